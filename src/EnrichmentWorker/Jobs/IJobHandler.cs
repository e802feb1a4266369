namespace EnrichmentWorker.Jobs;

/// <summary>Runs one claimed job. Throwing means a transient failure (retried with backoff); a decided result,
/// a snooze, a permanent failure or a queue pause is returned as a <see cref="JobOutcome"/>.</summary>
public interface IJobHandler
{
    Task<JobOutcome> HandleAsync(ClaimedJob job, CancellationToken cancellationToken);
}
