using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using Hangfire.PostgreSql;
using Npgsql;

namespace EnrichmentWorker.Storage;

/// <summary>
/// Applies the SQL migrations embedded in this assembly, in version order, each in its own transaction,
/// under a session advisory lock so that several processes starting together apply each migration once.
/// </summary>
public sealed partial class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    // An arbitrary constant shared by every EnrichmentWorker process; only migration runs take it.
    /// <summary>Where Hangfire's tables live, beside the project's in the same database.</summary>
    public const string HangfireSchema = "hangfire";

    private const long AdvisoryLockKey = 0x456e72_6d6967; // "Enr" "mig"

    public static IReadOnlyList<Migration> KnownMigrations { get; } = LoadEmbedded();

    public static int LatestVersion => KnownMigrations[^1].Version;

    /// <summary>Brings the schema up to date; returns the migrations it applied (none when already current).</summary>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_lock(@key)", new { key = AdvisoryLockKey }, cancellationToken: cancellationToken));
        try
        {
            // The bookkeeping table belongs to the runner itself, so it is the one piece of DDL outside a migration file.
            await connection.ExecuteAsync(new CommandDefinition(MigrationSql.CreateHistoryTable, cancellationToken: cancellationToken));
            var applied = (await connection.QueryAsync<int>(new CommandDefinition(
                MigrationSql.AppliedVersions, cancellationToken: cancellationToken))).ToHashSet();

            var newest = applied.Count == 0 ? 0 : applied.Max();
            if (newest > LatestVersion)
            {
                throw new SchemaTooNewException(newest, LatestVersion);
            }

            var done = new List<Migration>();
            foreach (var migration in KnownMigrations.Where(m => !applied.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    MigrationSql.RecordApplied, new { version = migration.Version, name = migration.Name },
                    transaction, cancellationToken: cancellationToken));
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration {Version} {Name}", migration.Version, migration.Name);
                done.Add(migration);
            }

            // Hangfire's own tables, by Hangfire.PostgreSql's installer (idempotent, versioned in its own schema table),
            // under the same lock: every process that migrates — the service, a CLI command — finds them in place.
            PostgreSqlObjectsInstaller.Install(connection, HangfireSchema);
            return done;
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = AdvisoryLockKey });
        }
    }

    /// <summary>The highest version recorded in the database, or 0 for an empty database.</summary>
    public async Task<int> CurrentVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT to_regclass('schema_migrations') IS NOT NULL", cancellationToken: cancellationToken));
        return exists
            ? await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT coalesce(max(version), 0) FROM schema_migrations", cancellationToken: cancellationToken))
            : 0;
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = MigrationName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture),
                match.Groups["name"].Value, reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Two migrations share version {migrations[i].Version}.");
            }
        }

        return migrations;
    }

    [GeneratedRegex(@"\.Migrations\.(?<version>\d{4})_(?<name>[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex MigrationName();
}

public sealed record Migration(int Version, string Name, string Sql);

internal static class MigrationSql
{
    public const string CreateHistoryTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer PRIMARY KEY,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    public const string AppliedVersions = "SELECT version FROM schema_migrations";

    public const string RecordApplied = "INSERT INTO schema_migrations (version, name) VALUES (@version, @name)";
}

/// <summary>The database was migrated by a newer build; running an older one against it could corrupt data.</summary>
public sealed class SchemaTooNewException(int databaseVersion, int binaryVersion) : Exception(
    $"The database schema is at version {databaseVersion}, newer than this build of EnrichmentWorker understands " +
    $"(version {binaryVersion}). Run the newer EnrichmentWorker that migrated it, or point ConnectionStrings:Postgres at another database.")
{
    public int DatabaseVersion { get; } = databaseVersion;

    public int BinaryVersion { get; } = binaryVersion;
}
