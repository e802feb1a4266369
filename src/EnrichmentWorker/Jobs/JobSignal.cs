namespace EnrichmentWorker.Jobs;

/// <summary>Wakes idle workers when work may be ready (a NOTIFY arrived, a job was released).</summary>
public sealed class JobSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>Take the wait before looking for work, so a pulse between the look and the wait is not missed.</summary>
    public Task NextPulse => Volatile.Read(ref _next).Task;

    public void Pulse() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
