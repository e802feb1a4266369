using System.ComponentModel.DataAnnotations;

namespace EnrichmentWorker.Dumps;

/// <summary>The <c>Dumps</c> section: where monthly files are dropped, and how local matching uses them.</summary>
public sealed class DumpOptions
{
    public const string Section = "Dumps";

    /// <summary>A folder watched for newer monthly dump files (<c>discogs_YYYYMMDD_*.xml.gz</c>); empty: none.</summary>
    public string? Folder { get; set; }

    /// <summary>Releases to import from a releases file: <c>all</c>, or <c>library</c> (only those of the library's artists and masters).</summary>
    [RegularExpression("^(all|library)$")]
    public string Releases { get; set; } = "all";

    /// <summary>
    /// Whether an album the dump cannot decide (from a year after the dump, or an artist with more albums than a lookup
    /// reads, none of them good enough) goes on to the Discogs API. Off, such albums are decided by the dump alone and
    /// cost nothing.
    /// </summary>
    public bool ApiFallback { get; set; } = true;

    /// <summary>Most masters read for one artist key, and for one title key, per lookup.</summary>
    [Range(10, 10_000)]
    public int LookupLimit { get; set; } = 400;

    /// <summary>How often an import logs its progress.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(5);
}
