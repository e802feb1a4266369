namespace EnrichmentWorker.Jobs;

/// <summary>A job this worker holds under a lease; only the lease token's holder may finish it.</summary>
public sealed record ClaimedJob(long Id, long AlbumId, int Attempt, int MaxAttempts, string? Mode, bool OverwriteManual, Guid LeaseToken);
