namespace EnrichmentWorker.Jobs;

/// <summary>A job this worker holds under a lease; only the lease token's holder may finish it. <see cref="Payload"/>
/// is what the registered <see cref="ClaimPayload"/> read with the claim (null without one).</summary>
public sealed record ClaimedJob(long Id, long AlbumId, int Attempt, int MaxAttempts, string? Mode, bool OverwriteManual, Guid LeaseToken, string? Payload = null);
