using EnrichmentWorker.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EnrichmentWorker.Tests.Support;

/// <summary>
/// One real PostgreSQL server for the whole test run: the server named by ENRICHMENT_TEST_POSTGRES, or else a private
/// cluster started by the service's own embedded launcher. A migrated template database is built once; each test
/// gets its own database cloned from it, so tests are isolated, can commit, and can run alone or in parallel.
/// </summary>
public static class TestPostgres
{
    public const string TemplateDatabase = "enrichment_test_template";
    private static EmbeddedPostgres? s_embedded;
    private static string? s_serverConnectionString;

    /// <summary>A connection string to the server's maintenance database.</summary>
    public static string ServerConnectionString =>
        s_serverConnectionString ?? throw new InvalidOperationException("The test PostgreSQL has not been started.");

    /// <summary>Where the test run's embedded cluster keeps its files (for tests that start the service themselves).</summary>
    public static string? EmbeddedDataDirectory { get; private set; }

    public static async Task StartServerAndBuildTemplate()
    {
        var external = Environment.GetEnvironmentVariable("ENRICHMENT_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(external))
        {
            s_serverConnectionString = new NpgsqlConnectionStringBuilder(external) { Database = "postgres" }.ConnectionString;
        }
        else
        {
            // One cluster per checkout, so test runs in two worktrees never share (or stop) each other's server.
            var checkout = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes(AppContext.BaseDirectory)))[..10].ToLowerInvariant();
            EmbeddedDataDirectory = Path.Combine(Path.GetTempPath(), "enrichment-worker-tests-" + checkout);
            s_embedded = await EmbeddedPostgres.StartAsync(
                new StorageOptions { DataDirectory = EmbeddedDataDirectory, DatabaseName = "postgres" },
                NullLogger.Instance, CancellationToken.None);
            s_serverConnectionString = new NpgsqlConnectionStringBuilder(s_embedded.ConnectionString) { MaxPoolSize = 100 }.ConnectionString;
        }

        await using var server = new NpgsqlConnection(ServerConnectionString);
        await server.OpenAsync();
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {TemplateDatabase} WITH (FORCE)");
        await ExecuteAsync(server, $"CREATE DATABASE {TemplateDatabase}");
        await using (var template = NpgsqlDataSource.Create(ConnectionStringFor(TemplateDatabase)))
        {
            await new MigrationRunner(template, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
        }

        NpgsqlConnection.ClearAllPools();
    }

    public static async Task StopServer()
    {
        NpgsqlConnection.ClearAllPools();
        if (s_embedded is not null)
        {
            await s_embedded.DisposeAsync();
        }
    }

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database }.ConnectionString;

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    internal static ILoggerFactory Loggers { get; } = NullLoggerFactory.Instance;
}
