using System.ComponentModel.DataAnnotations;

namespace EnrichmentWorker.Enrichment;

/// <summary>What each album job fetches and writes. Section "Enrichment".</summary>
public sealed class EnrichmentOptions
{
    public const string Section = "Enrichment";

    /// <summary><c>full</c> (default): match, then fetch the release for credits, tracklist, marketplace and
    /// identifiers (about 2 requests an album). <c>genres</c>: search results only (about 1 request an album).</summary>
    public EnrichmentMode Mode { get; set; } = EnrichmentMode.Full;

    /// <summary>Albums that found no match are tried again after this long, since Discogs keeps growing.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan RecheckMissesAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>When the recurring Hangfire job "recheck-misses" looks for misses due a recheck (cron, UTC).</summary>
    [Required]
    public string RecheckSchedule { get; set; } = "0 */6 * * *";

    /// <summary>A progress line is logged this often while there is work (and every 500 albums).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(15);
}
