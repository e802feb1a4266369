using EnrichmentWorker.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace EnrichmentWorker.Hosting.Health;

/// <summary>The schema is at the version this build expects (start-up migrates; a mismatch means someone else changed it).</summary>
public sealed class MigrationsHealthCheck(MigrationRunner migrations) : IHealthCheck
{
    public const string Name = "migrations";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        int version;
        try
        {
            version = await migrations.CurrentVersionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"The schema version could not be read ({ex.GetType().Name}).");
        }

        var expected = MigrationRunner.LatestVersion;
        return version == expected
            ? HealthCheckResult.Healthy($"Schema at version {version}.")
            : HealthCheckResult.Unhealthy(version < expected
                ? $"Schema at version {version}, this build needs {expected}; restart the service (or run `EnrichmentWorker migrate`)."
                : $"Schema at version {version}, newer than this build ({expected}); run the newer EnrichmentWorker.");
    }
}
