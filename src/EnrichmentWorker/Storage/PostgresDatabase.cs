using Npgsql;

namespace EnrichmentWorker.Storage;

/// <summary>
/// The database the service runs on: the server named by <c>ConnectionStrings:Postgres</c>, or else the embedded
/// default. Disposing it stops the embedded cluster when this process owns it and no other process still uses it
/// (see <see cref="EmbeddedPostgres"/>).
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly EmbeddedPostgres? _embedded;

    private PostgresDatabase(string connectionString, EmbeddedPostgres? embedded)
    {
        ConnectionString = connectionString;
        _embedded = embedded;
    }

    public string ConnectionString { get; }

    public bool IsEmbedded => _embedded is not null;

    /// <summary>Where the data lives, for a log line: never the connection string, which may hold a password.</summary>
    public string Description => _embedded is not null
        ? $"embedded PostgreSQL in {_embedded.ClusterDirectory}"
        : DescribeServer(ConnectionString);

    public static async Task<PostgresDatabase> OpenAsync(IConfiguration configuration, ILogger logger, CancellationToken cancellationToken)
    {
        var configured = configuration.GetConnectionString("Postgres");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new PostgresDatabase(configured, embedded: null);
        }

        var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var embedded = await EmbeddedPostgres.StartAsync(options, logger, cancellationToken);
        return new PostgresDatabase(embedded.ConnectionString, embedded);
    }

    public ValueTask DisposeAsync() => _embedded?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static string DescribeServer(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"PostgreSQL at {builder.Host}:{builder.Port}, database {builder.Database}";
        }
        catch (ArgumentException)
        {
            return "PostgreSQL (connection string could not be parsed)";
        }
    }
}
