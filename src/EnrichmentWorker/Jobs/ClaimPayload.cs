namespace EnrichmentWorker.Jobs;

/// <summary>
/// What the claim reads for each job it claims, in the same statement: a SQL expression over the claimed row (the
/// <c>claimed</c> CTE: id, album_id, attempt, mode) whose text value arrives as <see cref="ClaimedJob.Payload"/>.
/// The handler's layer registers it, so the queue stays ignorant of what a job works on, and a job's input costs no
/// round trip of its own. Without one registered, Payload is null and the handler reads what it needs itself.
/// </summary>
public sealed record ClaimPayload(string Sql);
