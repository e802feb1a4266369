using Npgsql;

namespace EnrichmentWorker.Jobs;

/// <summary>Writes a job's results inside the transaction that completes it, so results land exactly once.</summary>
public delegate Task ResultWriter(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken);

/// <summary>What a job handler decided. The worker maps each outcome to a state change in one place.</summary>
public abstract record JobOutcome(string Reason)
{
    /// <summary>Done (matched, needs review or no match are all results): write and finish.</summary>
    public sealed record Succeeded(string Reason, ResultWriter? WriteResults = null) : JobOutcome(Reason);

    /// <summary>Try again later without spending an attempt (rate limited, queue paused).</summary>
    public sealed record Snoozed(string Reason, TimeSpan Delay) : JobOutcome(Reason);

    /// <summary>A failure retrying cannot fix: fail now, a person decides.</summary>
    public sealed record FailedPermanently(string Reason, Exception? Error = null) : JobOutcome(Reason);

    /// <summary>The whole queue must stop (e.g. the Discogs token is invalid); this job is put back unspent.</summary>
    public sealed record PauseQueue(string Reason) : JobOutcome(Reason);
}
