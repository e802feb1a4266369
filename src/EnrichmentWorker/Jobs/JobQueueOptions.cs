using System.ComponentModel.DataAnnotations;

namespace EnrichmentWorker.Jobs;

/// <summary>How the per-album Hangfire jobs run. Section "Jobs".</summary>
public sealed class JobQueueOptions
{
    public const string Section = "Jobs";

    /// <summary>Hangfire workers in this process (0: this process runs no jobs, e.g. a dashboard-only instance).
    /// Discogs' budget, not CPU, bounds throughput; a few workers keep the budget busy while others wait on the network.</summary>
    [Range(0, 64)]
    public int Workers { get; set; } = 4;

    /// <summary>
    /// A fetched job stays invisible to other servers this long after its server's last sign of life (sliding: a live
    /// job is kept, however long it runs); a killed server's job runs again after it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Idle workers look for jobs this often: what another process enqueued waits at most this long for an idle
    /// worker here (a job enqueued in this process wakes this process's idle workers when it commits).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Backstop for the album notifications: the dispatcher looks for albums to hand to Hangfire this often anyway.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Albums handed to Hangfire per committed transaction: small enough that the first album of a big import
    /// starts within a second or two (a batch of 500 took ~25 s to commit on a loaded machine).</summary>
    [Range(1, 10_000)]
    public int DispatchBatchSize { get; set; } = 100;

    /// <summary>Runs of a job before it fails for good (transient errors only; rate limiting and pauses spend none).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>First retry delay; doubles each attempt, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(15);

    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>While paused, a waiting job looks at the switch this often.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PauseCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Hangfire keeps succeeded and deleted jobs this long; failed jobs stay until a person acts. The album's
    /// own history is kept in the project's tables for <see cref="HistoryRetention"/>.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan FinishedJobRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>An album's enrichment history (requested, enqueued, succeeded, failed) is pruned after this long.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>On shutdown, running jobs get this long to finish before they are put back for another run.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(20);
}
