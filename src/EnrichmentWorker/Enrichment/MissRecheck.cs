using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Enrichment;

/// <summary>The recurring Hangfire job "recheck-misses": queues no-match albums again once they are older than
/// <see cref="EnrichmentOptions.RecheckMissesAfter"/>, since Discogs grows and an album missing last month may be there now.</summary>
public sealed class MissRecheck(AlbumSelection selection, IOptions<EnrichmentOptions> options, ILogger<MissRecheck> logger)
{
    public const string RecurringJobId = "recheck-misses";

    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        var queued = await selection.EnqueueAsync(
            new AlbumSelectionRequest(AlbumSelectionKind.Misses, MissAge: options.Value.RecheckMissesAfter),
            "scheduled recheck of an old no-match", cancellationToken);
        if (queued > 0)
        {
            logger.LogInformation("Queued {Count} old no-match albums for a recheck", queued);
        }

        return queued;
    }
}
