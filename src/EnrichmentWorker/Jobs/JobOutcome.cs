using Dapper;

namespace EnrichmentWorker.Jobs;

/// <summary>
/// A job's result writes. They go to the database in the same command as the job's fenced completion (one round trip),
/// inside the transaction that completes it, so results land exactly once: if the completion finds the lease lost,
/// the transaction rolls back with them. Their parameter names must not start with "job" (the completion's own).
/// <paramref name="Committed"/> runs once they have committed.
/// </summary>
public sealed record JobResults(string Sql, DynamicParameters Parameters, Action? Committed = null);

/// <summary>What a job handler decided. The worker maps each outcome to a state change in one place.</summary>
public abstract record JobOutcome(string Reason)
{
    /// <summary>Done (matched, needs review or no match are all results): write and finish.</summary>
    public sealed record Succeeded(string Reason, JobResults? Results = null) : JobOutcome(Reason);

    /// <summary>Try again later without spending an attempt (rate limited, queue paused).</summary>
    public sealed record Snoozed(string Reason, TimeSpan Delay) : JobOutcome(Reason);

    /// <summary>A failure retrying cannot fix: fail now, a person decides.</summary>
    public sealed record FailedPermanently(string Reason, Exception? Error = null) : JobOutcome(Reason);

    /// <summary>The whole queue must stop (e.g. the Discogs token is invalid); this job is put back unspent.</summary>
    public sealed record PauseQueue(string Reason) : JobOutcome(Reason);
}
