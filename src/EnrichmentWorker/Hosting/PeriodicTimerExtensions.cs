namespace EnrichmentWorker.Hosting;

public static class PeriodicTimerExtensions
{
    /// <summary>Waits for the next tick; false when the timer was disposed or the service is stopping, so a
    /// <c>do { ... } while (await timer.NextTickOrStopAsync(ct));</c> loop ends quietly on shutdown.</summary>
    public static async Task<bool> NextTickOrStopAsync(this PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
