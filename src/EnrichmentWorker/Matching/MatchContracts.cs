namespace EnrichmentWorker.Matching;

// The matcher's inputs and outputs, apart from the Discogs wire models: the Discogs client maps its responses into
// these records (Discogs/DiscogsCandidateSearch), the matcher never sees JSON. Its input is the album's tags
// (Library/AlbumTags).

public enum CandidateKind
{
    Master,
    Release,
}

/// <summary>One Discogs master or release as a search result or a fetched entity describes it.</summary>
public sealed record MatchCandidate
{
    public required CandidateKind Kind { get; init; }

    /// <summary>The master id for a master, the release id for a release.</summary>
    public required long Id { get; init; }

    /// <summary>The master a release belongs to (null or 0 from Discogs means none); for a master, its own id.</summary>
    public long? MasterId { get; init; }

    /// <summary>The title alone, without the "Artist - " prefix that search results carry.</summary>
    public required string Title { get; init; }

    /// <summary>Artist credits as Discogs names them (may carry " (N)" suffixes and a trailing "*").</summary>
    public required IReadOnlyList<string> Artists { get; init; }

    /// <summary>The year of this entity: for a master its original year, for a release its release year.</summary>
    public int? Year { get; init; }

    /// <summary>The original year when known separately (a release's master year).</summary>
    public int? MasterYear { get; init; }

    public IReadOnlyList<string> Genres { get; init; } = [];

    public IReadOnlyList<string> Styles { get; init; } = [];

    public IReadOnlyList<string> Formats { get; init; } = [];

    public IReadOnlyList<string> Labels { get; init; } = [];

    public IReadOnlyList<string> CatalogNumbers { get; init; } = [];

    public IReadOnlyList<string> Barcodes { get; init; } = [];

    public string? Country { get; init; }

    public string? CoverImageUrl { get; init; }

    public string? ThumbnailUrl { get; init; }

    /// <summary>A master's main release, when the response names it.</summary>
    public long? MainReleaseId { get; init; }

    /// <summary>The credited artists' ids, in the order of <see cref="Artists"/>: only fetched entities carry them, search hits do not.</summary>
    public IReadOnlyList<long> ArtistIds { get; init; } = [];
}

/// <summary>
/// The other names Discogs knows an artist by: its name variations (other spellings and scripts, "デヴィッド・ボウイ")
/// and the names of its aliases (other artist entries of the same person, "Slim Shady").
/// </summary>
public sealed record ArtistNames(long ArtistId, string Name, IReadOnlyList<string> OtherNames);

/// <summary>
/// What was learned of artists' other names, kept across albums and restarts so an artist costs one /artists request
/// ever. Looked up by the name as Discogs writes it in a search hit (" (2)" suffix included), because search hits
/// carry no artist id.
/// </summary>
public interface IArtistNamesCache
{
    Task<ArtistNames?> FindAsync(string discogsName, CancellationToken cancellationToken);

    Task StoreAsync(ArtistNames names, CancellationToken cancellationToken);
}

/// <summary>One Discogs database search, in the matcher's terms. Maps to /database/search parameters.</summary>
public sealed record CandidateSearch
{
    public CandidateKind? Type { get; init; }

    public string? Query { get; init; }

    public string? Artist { get; init; }

    public string? ReleaseTitle { get; init; }

    public string? Year { get; init; }

    public string? CatalogNumber { get; init; }

    public string? Barcode { get; init; }

    public int PerPage { get; init; } = 25;
}

/// <summary>
/// What the matcher may ask Discogs. Every call is exactly one HTTP request (so the matcher can count them).
/// Implemented over the real Discogs client; the client's typed errors (rate limited, unauthorised, transient)
/// propagate unchanged, except that a 404 becomes null.
/// </summary>
public interface IDiscogsSearch
{
    Task<IReadOnlyList<MatchCandidate>> SearchAsync(CandidateSearch search, CancellationToken cancellationToken);

    Task<MatchCandidate?> GetReleaseAsync(long releaseId, CancellationToken cancellationToken);

    Task<MatchCandidate?> GetMasterAsync(long masterId, CancellationToken cancellationToken);

    Task<ArtistNames?> GetArtistNamesAsync(long artistId, CancellationToken cancellationToken);
}
