using System.Collections.Concurrent;

namespace EnrichmentWorker.Jobs;

/// <summary>Why a running job was told to stop; decides what happens to it afterwards.</summary>
public enum StopReason
{
    None,
    CancelledByPerson,
    Shutdown,
    LeaseLost,
}

/// <summary>The jobs this process is running now, so the heartbeat can renew their leases and stop them.</summary>
public sealed class InFlightJobs
{
    private readonly ConcurrentDictionary<long, InFlightJob> _jobs = new();

    public InFlightJob Add(ClaimedJob job, CancellationToken hardStop)
    {
        var running = new InFlightJob(job, CancellationTokenSource.CreateLinkedTokenSource(hardStop));
        _jobs[job.Id] = running;
        return running;
    }

    public void Remove(InFlightJob job)
    {
        _jobs.TryRemove(new KeyValuePair<long, InFlightJob>(job.Job.Id, job));
        job.Dispose();
    }

    public IReadOnlyList<InFlightJob> Snapshot() => [.. _jobs.Values];

    public int Count => _jobs.Count;

    /// <summary>Whether this very run is still going (not finished, and not replaced by a newer run of its job).</summary>
    public bool IsRunning(InFlightJob job) => _jobs.TryGetValue(job.Job.Id, out var current) && ReferenceEquals(current, job);

    public bool TryStop(long jobId, StopReason reason) => _jobs.TryGetValue(jobId, out var job) && job.Stop(reason);
}

public sealed class InFlightJob(ClaimedJob job, CancellationTokenSource cancellation) : IDisposable
{
    private int _reason;

    public ClaimedJob Job { get; } = job;

    public CancellationToken Token { get; } = cancellation.Token;

    public StopReason Reason => (StopReason)Volatile.Read(ref _reason);

    /// <summary>The first reason wins; a later one (shutdown after a person's cancel) does not change the outcome.</summary>
    public bool Stop(StopReason reason)
    {
        if (Interlocked.CompareExchange(ref _reason, (int)reason, (int)StopReason.None) != (int)StopReason.None)
        {
            return false;
        }

        try
        {
            cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Finished in the meantime: nothing to stop.
        }

        return true;
    }

    public void Dispose() => cancellation.Dispose();
}
