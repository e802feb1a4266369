using System.ComponentModel.DataAnnotations;

namespace EnrichmentWorker.Library;

/// <summary>Limits of the album intake (<c>POST /api/albums</c> and the <c>import</c> command), from the <c>Library</c> configuration section.</summary>
public sealed class LibraryOptions
{
    public const string Section = "Library";

    /// <summary>Most albums one request may carry; more is answered 413. Default 10,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxAlbumsPerRequest { get; set; } = 10_000;

    /// <summary>Largest request body in bytes; more is answered 413. Default 8 MiB (10,000 albums take ~2-3 MB).</summary>
    [Range(1024, 1024 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>The source of batch items that name none. Default <c>api</c>.</summary>
    [Required]
    [StringLength(AlbumValidator.MaxSourceLength, MinimumLength = 1)]
    public string DefaultApiSource { get; set; } = "api";

    /// <summary>
    /// Longest the <c>import</c> command's COPY and its one set-based upsert may each run. Default 0: no limit. A file
    /// is written in one transaction so that a failure leaves nothing half-written; a million albums take minutes on
    /// a small machine, and a timeout would only throw that work away (Ctrl+C still stops it, writing nothing).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ImportStatementTimeout { get; set; } = TimeSpan.Zero;
}
