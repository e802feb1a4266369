using System.ComponentModel.DataAnnotations;

namespace EnrichmentWorker.Jobs;

/// <summary>How the job queue runs. Section "Jobs".</summary>
public sealed class JobQueueOptions
{
    public const string Section = "Jobs";

    /// <summary>Concurrent jobs in this process. Discogs' budget, not CPU, bounds throughput; a few workers keep
    /// the budget busy while others wait on the network.</summary>
    [Range(0, 64)]
    public int Workers { get; set; } = 4;

    /// <summary>A claimed job belongs to its worker this long unless the heartbeat renews it.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often leases and the server registry are renewed; well under the lease.</summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Backstop for missed notifications: idle workers look for ready jobs this often anyway.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Runs of a job before it fails for good (transient errors only; rate limiting spends none).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>First retry delay; doubles each attempt, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(15);

    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A fetched job stays invisible to other servers this long after its server's last sign of life (sliding: a live
    /// job is kept, however long it runs); a killed server's job runs again after it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often expired leases are rescued and old jobs pruned.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Succeeded and deleted jobs (and their history) are removed after this long; failed jobs stay.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Pruning deletes this many jobs per committed batch, so it never holds long locks.</summary>
    [Range(1, 100_000)]
    public int PruneBatchSize { get; set; } = 1000;

    /// <summary>On shutdown, in-flight jobs get this long to finish before they are released for another run.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A server whose heartbeat is older than this is considered gone and removed from the registry.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
