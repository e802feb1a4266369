using EnrichmentWorker.Discogs;
using EnrichmentWorker.Jobs;

namespace EnrichmentWorker.Enrichment;

/// <summary>
/// Keeps the queue paused while Discogs cannot be used with the configured token (missing or rejected), with the
/// reason shown on the dashboard, and resumes it by itself once a token is configured and checked. It resumes only on
/// a check newer than the pause: a job's 401 pauses the queue while the last check may still say "connected", and
/// resuming on that stale answer would spend a request per job to learn the same thing again.
/// </summary>
public sealed class DiscogsTokenGate(DiscogsConnectionStatus status, QueueControl queue, TimeProvider time, ILogger<DiscogsTokenGate> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var connection = status.Current;
        var current = await queue.GetAsync(cancellationToken);
        var pausedForToken = current.Paused && current.PausedBy == QueueControl.PausedByDiscogsToken;
        switch (connection.State)
        {
            case DiscogsConnectionState.MissingToken or DiscogsConnectionState.Invalid when !current.Paused:
                await queue.PauseAsync(connection.Reason ?? "Discogs token invalid", QueueControl.PausedByDiscogsToken, cancellationToken);
                logger.LogWarning("Queue paused until a valid Discogs token is configured: {Reason}", connection.Reason);
                break;
            case DiscogsConnectionState.Connected when pausedForToken:
                if (connection.CheckedAt is { } checkedAt && checkedAt.UtcDateTime > DateTime.SpecifyKind(current.ChangedAt, DateTimeKind.Utc))
                {
                    await queue.ResumeAsync(QueueControl.PausedByDiscogsToken, cancellationToken);
                    logger.LogInformation("Discogs token accepted (connected as {Username}); queue resumed", connection.Username);
                }
                else
                {
                    status.RequestRecheck();
                }

                break;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException)
            {
                logger.LogDebug("Token gate skipped a beat: {Reason}", ex.Message);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        while (await Tick(timer, stoppingToken));
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken cancellationToken)
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
