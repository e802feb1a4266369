using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Enrichment;

/// <summary>Queues no-match albums again once they are older than <see cref="EnrichmentOptions.RecheckMissesAfter"/>:
/// Discogs grows, and an album missing last month may be there now.</summary>
public sealed class MissRecheck(AlbumSelection selection, IOptions<EnrichmentOptions> options, TimeProvider time, ILogger<MissRecheck> logger) : BackgroundService
{
    public Task<long> RunOnceAsync(CancellationToken cancellationToken) => selection.EnqueueAsync(
        new AlbumSelectionRequest(AlbumSelectionKind.Misses, MissAge: options.Value.RecheckMissesAfter),
        "scheduled recheck of an old no-match", cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RecheckInterval, time);
        do
        {
            try
            {
                var queued = await RunOnceAsync(stoppingToken);
                if (queued > 0)
                {
                    logger.LogInformation("Queued {Count} old no-match albums for a recheck", queued);
                }
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException)
            {
                logger.LogWarning("Recheck of old misses skipped, database unavailable ({Reason})", ex.Message);
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
