using EnrichmentWorker.Storage;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Jobs;

/// <summary>
/// Where a job waits while the queue is paused, before it sends anything to Discogs: in place, in its worker, so a
/// pause never reschedules jobs (which would write three state rows per job per check) and resuming needs no requeue.
/// </summary>
public sealed class QueuePauseGate(QueueControl queue, IOptions<JobQueueOptions> options, TimeProvider time, ILogger<QueuePauseGate> logger)
{
    public async Task WaitUntilRunningAsync(CancellationToken cancellationToken)
    {
        var logged = false;
        while (true)
        {
            try
            {
                var status = await queue.GetAsync(cancellationToken);
                if (!status.Paused)
                {
                    return;
                }

                if (!logged)
                {
                    logger.LogInformation("Queue paused ({Reason}); the job waits here until it is resumed", status.Reason ?? "no reason given");
                    logged = true;
                }
            }
            catch (Exception ex) when (DatabaseOutage.InterruptedDatabaseWork(ex) && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Cannot read the queue's switch, database unavailable ({Reason}); waiting", ex.Message);
            }

            await Task.Delay(options.Value.PauseCheckInterval, time, cancellationToken);
        }
    }
}
