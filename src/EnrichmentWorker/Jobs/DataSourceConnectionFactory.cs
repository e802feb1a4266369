using Hangfire.PostgreSql;
using Npgsql;

namespace EnrichmentWorker.Jobs;

/// <summary>Hands Hangfire connections from the service's data source; Hangfire opens and disposes them.</summary>
internal sealed class DataSourceConnectionFactory(NpgsqlDataSource dataSource) : IConnectionFactory
{
    public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
}
