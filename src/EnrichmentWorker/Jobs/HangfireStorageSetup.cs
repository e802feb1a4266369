using EnrichmentWorker.Discogs;
using EnrichmentWorker.Jobs.Filters;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Jobs;

/// <summary>
/// Hangfire on the service's own database: its tables in schema "hangfire" (Hangfire.PostgreSql creates and upgrades
/// them), its connections from the service's one NpgsqlDataSource (so the embedded default and a configured database
/// both just work, and its commands join a job's trace like the rest), and the project's filters: retries with the
/// project's backoff, the album's side of each state change, and a span per job.
/// </summary>
public static class HangfireStorageSetup
{
    public const string Schema = Storage.MigrationRunner.HangfireSchema;

    public static IServiceCollection AddHangfireStorage(this IServiceCollection services)
    {
        services.AddSingleton<JobTelemetryFilter>();
        services.AddSingleton<AlbumJobStateFilter>();
        services.AddHangfire((provider, configuration) =>
        {
            var options = provider.GetRequiredService<IOptions<JobQueueOptions>>().Value;
            // Hangfire's own retry filter (10 attempts, its own delays) is global by default: ours replaces it.
            GlobalJobFilters.Filters.Remove(typeof(AutomaticRetryAttribute));
            configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseFilter(new DatabaseOutageFilter())
                .UseFilter(Retry(options))
                .UseFilter(provider.GetRequiredService<AlbumJobStateFilter>())
                .UseFilter(provider.GetRequiredService<JobTelemetryFilter>())
                .UsePostgreSqlStorage(
                    bootstrap => bootstrap.UseConnectionFactory(new DataSourceConnectionFactory(provider.GetRequiredService<NpgsqlDataSource>())),
                    StorageOptions(options))
                .WithJobExpirationTimeout(options.FinishedJobRetention);
        });
        return services;
    }

    /// <summary>
    /// Hangfire.PostgreSql's defaults changed where they hurt this service: a fixed 30-minute invisibility timeout
    /// (a killed server's album waited half an hour, and a slow live job ran twice) becomes a short sliding one; the
    /// 15 s queue poll becomes <see cref="JobQueueOptions.PollInterval"/>. Idle workers do not wait for that poll when
    /// a job is enqueued in this process (the dispatcher's batches, retries, recurring jobs): Hangfire.PostgreSql wakes
    /// them when the enqueuing transaction commits. Long polling (LISTEN/NOTIFY) stays off: see below.
    /// </summary>
    public static PostgreSqlStorageOptions StorageOptions(JobQueueOptions options) => new()
    {
        SchemaName = Schema,
        PrepareSchemaIfNecessary = false, // installed with the migrations (MigrationRunner)
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = options.InvisibilityTimeout,
        // Long polling lost jobs. With it, each fetch starts a LISTEN task and, after its UPDATE has fetched a job (whose
        // PostgreSqlFetchedJob already keeps the entry invisible by heartbeat), cancels that task and waits for it
        // (Hangfire.PostgreSql 1.21.1, PostgreSqlJobQueue.Dequeue, `listenTask?.Wait()`). Npgsql 10.0.3 can lose a
        // cancellation that arrives as NpgsqlConnection.WaitAsync starts (https://github.com/npgsql/npgsql/issues/5975,
        // fix not released): the task then waits for the next NOTIFY, which the dispatcher's jobs never send, so the
        // worker sat in Dequeue with an Enqueued job whose entry the heartbeat kept invisible to every other worker.
        // Without long polling the fetched job goes straight to the worker. Albums start as soon as before: jobs
        // enqueued here wake this process's workers on commit, and the dispatcher's jobs never sent a NOTIFY. Only
        // another process's idle workers now see a retry or a recurring job at their next poll instead of at once.
        EnableLongPolling = false,
        QueuePollInterval = options.PollInterval,
        // A lock row whose holder's connection died (a PostgreSQL restart mid state change) is only taken over once it
        // is this old: at the 10-minute default, that job's state change, and so its album, was stuck for 10 minutes.
        // Hangfire holds its locks for milliseconds; the dispatcher's batch holds a requeued job's for the batch.
        DistributedLockTimeout = TimeSpan.FromMinutes(1),
    };

    /// <summary>
    /// Transient failures retry with exponential backoff and jitter (base·2^(n-1), capped, 75–125 %), so albums failing
    /// together do not retry in lockstep; a query Discogs refuses (400/422) never improves, so it fails at once for a
    /// person to look at. Exhausted retries land in Failed and stay there until a person acts.
    /// </summary>
    public static AutomaticRetryAttribute Retry(JobQueueOptions options) => new()
    {
        Attempts = options.MaxAttempts - 1,
        DelayInSecondsByAttemptFunc = attempt => (int)Math.Ceiling(RetryDelay((int)Math.Min(attempt + 1, 100), options.RetryBaseDelay, options.RetryMaxDelay, Random.Shared.NextDouble()).TotalSeconds),
        OnAttemptsExceeded = AttemptsExceededAction.Fail,
        ExceptOn = [typeof(DiscogsBadRequestException)],
        LogEvents = true,
    };

    /// <summary>The delay before the run after <paramref name="attempt"/> (1-based) failed.</summary>
    public static TimeSpan RetryDelay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var raw = Math.Min(baseDelay.TotalSeconds * Math.Pow(2, Math.Min(attempt - 1, 30)), maxDelay.TotalSeconds);
        return TimeSpan.FromSeconds(Math.Min(raw * (0.75 + (0.5 * Math.Clamp(random, 0, 1))), maxDelay.TotalSeconds));
    }
}
