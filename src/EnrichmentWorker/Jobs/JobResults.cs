using Dapper;

namespace EnrichmentWorker.Jobs;

/// <summary>
/// A job's result writes, sent as one multi-statement command inside the transaction that completes the album's job
/// (one round trip), so results and completion land together or not at all. Their parameter names must not be
/// <c>jobId</c> (the completion's own). <paramref name="Committed"/> runs once they have committed.
/// </summary>
public sealed record JobResults(string Sql, DynamicParameters Parameters, Action? Committed = null);
