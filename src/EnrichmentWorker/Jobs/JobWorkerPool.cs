using EnrichmentWorker.Storage;
using EnrichmentWorker.Telemetry;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Jobs;

/// <summary>
/// Runs <see cref="JobQueueOptions.Workers"/> workers that claim one job at a time and run it with the handler.
/// On shutdown they stop claiming; running jobs get <see cref="JobQueueOptions.ShutdownGrace"/> to finish and are
/// then released unspent for another run, so a stop never leaves a job in processing.
/// </summary>
public sealed class JobWorkerPool(
    JobStore store,
    QueueControl queue,
    IJobHandler handler,
    InFlightJobs inFlight,
    JobSignal signal,
    ServerIdentity server,
    EnrichmentTelemetry telemetry,
    IOptions<JobQueueOptions> options,
    TimeProvider time,
    ILogger<JobWorkerPool> logger) : BackgroundService
{
    private readonly JobQueueOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Workers == 0)
        {
            logger.LogInformation("Jobs:Workers is 0: this process runs no jobs");
            return;
        }

        // Running jobs are cut only when the grace period after the stop request has passed.
        using var hardStop = new CancellationTokenSource();
        await using var onStop = stoppingToken.Register(() => hardStop.CancelAfter(_options.ShutdownGrace));
        using var onHardStop = hardStop.Token.Register(() =>
        {
            foreach (var job in inFlight.Snapshot())
            {
                job.Stop(StopReason.Shutdown);
            }
        });

        logger.LogInformation("Job queue started as server {Server} with {Workers} workers", server.Id, _options.Workers);
        await Task.WhenAll(Enumerable.Range(0, _options.Workers).Select(_ => RunWorkerAsync(stoppingToken, hardStop.Token)));
        logger.LogInformation("Job queue stopped: no job left running on server {Server}", server.Id);
    }

    private async Task RunWorkerAsync(CancellationToken stoppingToken, CancellationToken hardStop)
    {
        await Task.Yield();
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            var pulse = signal.NextPulse;
            IReadOnlyList<ClaimedJob> claimed;
            try
            {
                claimed = await store.ClaimAsync(server.Id, 1, _options.LeaseDuration, _options.MaxAttempts, stoppingToken);
                backoff = TimeSpan.FromMilliseconds(200);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (DatabaseOutage.InterruptedDatabaseWork(ex))
            {
                logger.LogWarning("Cannot claim jobs, database unavailable ({Reason}); retrying in {Delay}", ex.Message, backoff);
                await DelayAsync(backoff, stoppingToken);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 5_000));
                continue;
            }

            if (claimed.Count == 0)
            {
                await WaitForWorkAsync(pulse, stoppingToken);
                continue;
            }

            await RunJobAsync(claimed[0], hardStop);
        }
    }

    private async Task RunJobAsync(ClaimedJob job, CancellationToken hardStop)
    {
        // The span makes the job's Discogs calls and database commands (its result transaction too) its children.
        using var activity = telemetry.StartJobActivity(job.AlbumId, job.Id);
        using var scope = logger.BeginJobScope(job.Id, job.AlbumId);
        var started = time.GetTimestamp();
        var measured = TelemetryJobOutcome.Released;
        var running = inFlight.Add(job, hardStop);
        try
        {
            JobOutcome? outcome = null;
            Exception? failure = null;
            try
            {
                outcome = await handler.HandleAsync(job, running.Token);
            }
            catch (OperationCanceledException) when (running.Token.IsCancellationRequested)
            {
                // Handled below by the stop reason.
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            if (outcome is null && hardStop.IsCancellationRequested)
            {
                // The hard stop cancels this run's linked token before the pool's own callback names the reason
                // (cancellation callbacks run newest first), and a run claimed after it never gets that callback:
                // a run cut by the stop is a release, never a failed attempt.
                running.Stop(StopReason.Shutdown);
            }

            var transition = Decide(job, running.Reason, outcome, failure);
            measured = JobOutcomeTelemetry.Of(running.Reason, transition);
            if (transition is null)
            {
                logger.LogWarning("Job {JobId} lost its lease while running; its result is discarded", job.Id);
                return;
            }

            if (outcome is JobOutcome.PauseQueue pause && running.Reason == StopReason.None)
            {
                await queue.PauseAsync(pause.Reason, QueueControl.PausedByDiscogsToken, CancellationToken.None);
                logger.LogError("Queue paused: {Reason}", pause.Reason);
            }

            var results = running.Reason == StopReason.None ? (outcome as JobOutcome.Succeeded)?.Results : null;
            await FinishAsync(job, transition, results);
        }
        finally
        {
            inFlight.Remove(running);
            telemetry.RecordJobOutcome(measured, time.GetElapsedTime(started));
        }
    }

    /// <summary>The single place where what happened becomes the job's next state; null means "not ours any more".</summary>
    private JobTransition? Decide(ClaimedJob job, StopReason stop, JobOutcome? outcome, Exception? failure) => (stop, outcome) switch
    {
        (StopReason.LeaseLost, _) => null,
        (StopReason.CancelledByPerson, _) => new JobTransition(JobState.Deleted, "cancelled by a person while running"),
        (StopReason.Shutdown, _) => new JobTransition(JobState.Enqueued, "released at shutdown", RefundAttempt: true),
        (_, JobOutcome.Succeeded s) => new JobTransition(JobState.Succeeded, s.Reason),
        (_, JobOutcome.Snoozed s) => new JobTransition(s.Delay > TimeSpan.Zero ? JobState.Scheduled : JobState.Enqueued, s.Reason, s.Delay, RefundAttempt: true),
        (_, JobOutcome.PauseQueue p) => new JobTransition(JobState.Enqueued, p.Reason, RefundAttempt: true),
        (_, JobOutcome.FailedPermanently f) => new JobTransition(JobState.Failed, f.Reason, Error: f.Error),
        (_, null) when failure is not null && DatabaseOutage.Caused(failure) => WaitOutOutage(job, failure),
        _ when job.Attempt >= job.MaxAttempts => new JobTransition(JobState.Failed,
            $"failed after {job.Attempt} attempts: {failure?.Message}", Error: failure),
        _ => Retry(job, failure),
    };

    private JobTransition Retry(ClaimedJob job, Exception? failure)
    {
        var delay = RetryPolicy.NextDelay(job.Attempt, _options.RetryBaseDelay, _options.RetryMaxDelay, Random.Shared.NextDouble());
        logger.LogWarning("Job {JobId} attempt {Attempt}/{MaxAttempts} failed ({Error}); retrying in {Delay}",
            job.Id, job.Attempt, job.MaxAttempts, failure?.Message, delay);
        // A retry due now is enqueued (which wakes the workers); a later one waits as scheduled.
        return new JobTransition(delay > TimeSpan.Zero ? JobState.Scheduled : JobState.Enqueued, $"attempt {job.Attempt} failed; retrying", delay, Error: failure);
    }

    /// <summary>A run that met a stopped or restarting database did nothing wrong: it goes back unspent, after a pause
    /// that gives the database time to come back, so an outage cannot use up a job's attempts.</summary>
    private JobTransition WaitOutOutage(ClaimedJob job, Exception failure)
    {
        var delay = RetryPolicy.NextDelay(1, _options.RetryBaseDelay, _options.RetryMaxDelay, Random.Shared.NextDouble());
        logger.LogWarning("Job {JobId} met an unavailable database ({Error}); it runs again in {Delay} without spending an attempt",
            job.Id, failure.Message, delay);
        return new JobTransition(delay > TimeSpan.Zero ? JobState.Scheduled : JobState.Enqueued, "database unavailable; running again",
            delay, RefundAttempt: true, Error: failure);
    }

    /// <summary>Writes results and the state change in one transaction, fenced by the lease. A database outage at
    /// this moment is retried briefly; if it persists, the lease expires and the job is rescued and run again.</summary>
    private async Task FinishAsync(ClaimedJob job, JobTransition transition, JobResults? results)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await using var connection = await store.OpenAsync(timeout.Token);
                await using var transaction = await connection.BeginTransactionAsync(timeout.Token);
                if (!await JobStore.FinishIfLeasedAsync(connection, transaction, job, transition, results, timeout.Token))
                {
                    await transaction.RollbackAsync(timeout.Token);
                    logger.LogWarning("Job {JobId} lost its lease before finishing; its result is discarded", job.Id);
                    return;
                }

                await transaction.CommitAsync(timeout.Token);
                results?.Committed?.Invoke();
                if (transition.State is JobState.Enqueued)
                {
                    signal.Pulse();
                }

                return;
            }
            catch (Exception ex) when (DatabaseOutage.InterruptedDatabaseWork(ex) && !timeout.IsCancellationRequested)
            {
                logger.LogWarning("Could not record job {JobId} ({Reason}); retrying in {Delay}", job.Id, ex.Message, delay);
                await Task.Delay(delay, time, CancellationToken.None);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5_000));
            }
            catch (Exception ex) when (DatabaseOutage.InterruptedDatabaseWork(ex) || ex is OperationCanceledException)
            {
                logger.LogError("Could not record job {JobId} ({Reason}); its lease will expire and it will run again", job.Id, ex.Message);
                return;
            }
        }
    }

    private async Task WaitForWorkAsync(Task pulse, CancellationToken stoppingToken)
    {
        using var pollCts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var poll = Task.Delay(_options.PollInterval, time, pollCts.Token);
        await Task.WhenAny(pulse, poll);
        await pollCts.CancelAsync();
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        Task.Delay(delay, time, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
}
