using Dapper;

namespace EnrichmentWorker.Jobs;

/// <summary>
/// A job's result writes, sent as one multi-statement command inside the transaction that completes the album's job
/// (one round trip), so results and completion land together or not at all. Their parameter names must not be
/// <c>jobId</c> (the completion's own). <paramref name="Committed"/> runs once they have committed.
/// </summary>
public sealed record JobResults(string Sql, DynamicParameters Parameters, Action? Committed = null)
{
    /// <summary>Nothing to write: the job completes and the album's results stay as they were.</summary>
    public static JobResults None => new("SELECT 1", new DynamicParameters());
}
