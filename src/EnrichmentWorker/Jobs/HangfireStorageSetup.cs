using Hangfire;
using Hangfire.PostgreSql;
using Npgsql;

namespace EnrichmentWorker.Jobs;

/// <summary>
/// Hangfire on the service's own database: its tables in schema "hangfire" (Hangfire.PostgreSql creates and upgrades
/// them), its connections from the service's one NpgsqlDataSource (so the embedded default and a configured database
/// both just work, and its commands join a job's trace like the rest).
/// </summary>
public static class HangfireStorageSetup
{
    public const string Schema = "hangfire";

    public static IServiceCollection AddHangfireStorage(this IServiceCollection services)
    {
        services.AddHangfire((provider, configuration) =>
        {
            var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobQueueOptions>>().Value;
            configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UsePostgreSqlStorage(
                    bootstrap => bootstrap.UseConnectionFactory(new DataSourceConnectionFactory(provider.GetRequiredService<NpgsqlDataSource>())),
                    StorageOptions(options));
        });
        return services;
    }

    /// <summary>
    /// Hangfire.PostgreSql's defaults changed where they hurt this service: a fixed 30-minute invisibility timeout
    /// (a killed server's album waited half an hour, and a slow live job ran twice) becomes a short sliding one; a
    /// 15 s queue poll becomes LISTEN/NOTIFY long polling, so a new album starts within a second.
    /// </summary>
    public static PostgreSqlStorageOptions StorageOptions(JobQueueOptions options) => new()
    {
        SchemaName = Schema,
        PrepareSchemaIfNecessary = true,
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = options.InvisibilityTimeout,
        EnableLongPolling = true,
        QueuePollInterval = options.PollInterval,
    };

    /// <summary>Hands Hangfire connections from the service's data source; Hangfire opens and disposes them.</summary>
    private sealed class DataSourceConnectionFactory(NpgsqlDataSource dataSource) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
    }
}
