using EnrichmentWorker.Discogs.Models;
using EnrichmentWorker.Matching;

namespace EnrichmentWorker.Enrichment;

/// <summary>Everything one album's job found, written in the job's completing transaction.</summary>
public sealed record EnrichmentResult
{
    public required long AlbumId { get; init; }

    public required EnrichmentMode Mode { get; init; }

    public required MatchOutcome Status { get; init; }

    public required string ReasonCode { get; init; }

    public required string Reason { get; init; }

    public bool Manual { get; init; }

    public long? MasterId { get; init; }

    public long? ReleaseId { get; init; }

    public ScoredCandidate? Best { get; init; }

    public IReadOnlyList<ScoredCandidate> Candidates { get; init; } = [];

    public int RequestsSpent { get; init; }

    public MatchSource MatchSource { get; init; } = MatchSource.Api;

    public IReadOnlyList<AlbumGenre> Genres { get; init; } = [];

    public IReadOnlyList<AlbumLabel> Labels { get; init; } = [];

    /// <summary>The fetched release (full mode), with credits, tracklist, community and marketplace data.</summary>
    public DiscogsRelease? Release { get; init; }

    /// <summary>The release was read from the imported dump, which has no community or marketplace figures and no
    /// images: the stored ones are kept, and the recurring job <see cref="ReleaseFiguresQueue"/> asks the API.</summary>
    public bool ReleaseFromDump { get; init; }

    /// <summary>The fetched master, when one was fetched (a manual decision in genres mode).</summary>
    public DiscogsMaster? Master { get; init; }

    public string? Country { get; init; }

    public IReadOnlyList<string> Formats { get; init; } = [];

    public string? CoverImageUrl { get; init; }

    public string? ThumbnailUrl { get; init; }

    public string Summary => Status switch
    {
        MatchOutcome.Matched => $"matched {(ReleaseId is { } r ? $"release {r}" : $"master {MasterId}")} ({Hosting.Plural.Of(RequestsSpent, "request")})",
        MatchOutcome.NeedsReview => $"needs review: {Reason}",
        _ => $"no match: {Reason}",
    };
}

/// <summary>Which source decided the match.</summary>
public enum MatchSource
{
    /// <summary>Requests to the Discogs API.</summary>
    Api,

    /// <summary>The imported Discogs dump, without a request.</summary>
    Dump,
}

/// <summary><see cref="MatchSource"/> as album_matches.match_source stores it: the one mapping.</summary>
public static class MatchSourceColumn
{
    public static string ToColumn(this MatchSource source) => source switch
    {
        MatchSource.Api => "api",
        MatchSource.Dump => "dump",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };
}

/// <summary>A genre or style of the album and the Discogs entity it came from (album_genres).</summary>
public sealed record AlbumGenre(string Genre, GenreKind Kind, GenreSource Source);

public enum GenreKind
{
    Genre,
    Style,
}

public enum GenreSource
{
    DiscogsMaster,
    DiscogsRelease,
}

/// <summary>
/// <see cref="GenreKind"/> and <see cref="GenreSource"/> as album_genres stores them (and the export writes them, for
/// the pipelines that read them): the one mapping. Dapper would send an enum as its number.
/// </summary>
public static class GenreColumns
{
    public const string Genre = "genre";
    public const string Style = "style";
    public const string DiscogsMaster = "discogs_master";
    public const string DiscogsRelease = "discogs_release";

    public static string ToColumn(this GenreKind kind) => kind switch
    {
        GenreKind.Genre => Genre,
        GenreKind.Style => Style,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string ToColumn(this GenreSource source) => source switch
    {
        GenreSource.DiscogsMaster => DiscogsMaster,
        GenreSource.DiscogsRelease => DiscogsRelease,
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };
}

public sealed record AlbumLabel(string Name, long? LabelId, string? CatalogNumber);
