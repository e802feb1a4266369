using EnrichmentWorker.Discogs;
using EnrichmentWorker.Jobs;
using EnrichmentWorker.Telemetry;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Enrichment;

/// <summary>
/// The job for one album: read it, match and fetch, and hand back its results to be written with the job's
/// completion. Discogs' answers map to queue outcomes here: rate limited → snooze (no attempt spent), token rejected
/// → pause the queue, a refused query → fail for a person to look at; anything transient → thrown, so the queue
/// retries with backoff.
/// </summary>
public sealed class AlbumEnrichmentHandler(
    AlbumReader albums,
    AlbumEnricher enricher,
    EnrichmentWriter writer,
    EnrichmentProgress progress,
    EnrichmentTelemetry telemetry,
    IOptions<EnrichmentOptions> options) : IJobHandler
{
    // The worker pool opens the log scope with the job and album ids (LoggerScopes) and the job's span around this.
    public async Task<JobOutcome> HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        var album = await albums.GetAsync(job, cancellationToken);
        if (album is null)
        {
            return new JobOutcome.Succeeded("album no longer exists");
        }

        try
        {
            var result = await enricher.EnrichAsync(album, job.Mode ?? options.Value.Mode, job.OverwriteManual, cancellationToken);
            RecordMatch(result);
            return new JobOutcome.Succeeded(result.Summary, writer.Results(result, () => progress.Record(result)));
        }
        catch (DiscogsRateLimitedException ex)
        {
            return new JobOutcome.Snoozed("rate limited by Discogs; waiting " + ex.RetryAfter.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " s", ex.RetryAfter);
        }
        catch (DiscogsUnauthorizedException ex)
        {
            return new JobOutcome.PauseQueue("Discogs token invalid: " + ex.Message);
        }
        catch (DiscogsBadRequestException ex)
        {
            return new JobOutcome.FailedPermanently("Discogs refused the query", ex);
        }
    }

    /// <summary>The matcher's decisions only: a person's manual decision kept by the run is not one.</summary>
    private void RecordMatch(EnrichmentResult result)
    {
        if (result.Manual)
        {
            return;
        }

        var outcome = result.Status switch
        {
            "matched" => TelemetryMatchOutcome.Matched,
            "needs_review" => TelemetryMatchOutcome.NeedsReview,
            _ => TelemetryMatchOutcome.NoMatch,
        };
        telemetry.RecordMatch(outcome, result.Best?.Total);
    }
}
