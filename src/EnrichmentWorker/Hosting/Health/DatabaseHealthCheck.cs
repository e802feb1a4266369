using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace EnrichmentWorker.Hosting.Health;

/// <summary>The database answers a query.</summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public const string Name = "database";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL answers.");
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // The exception's type only: Npgsql messages can carry host names and user names.
            return HealthCheckResult.Unhealthy($"PostgreSQL does not answer ({ex.GetType().Name}); check that the server runs and ConnectionStrings:Postgres.");
        }
    }
}
