namespace EnrichmentWorker.Discogs.Models;

/// <summary><c>/releases/{id}</c>. <c>master_id</c> is absent for a release without a master; <c>year</c> is a number (0 when unknown).</summary>
public sealed class DiscogsRelease
{
    public long Id { get; init; }

    public string Title { get; init; } = "";

    public int? Year { get; init; }

    public long? MasterId { get; init; }

    public string? MasterUrl { get; init; }

    public string? Status { get; init; }

    public string? Country { get; init; }

    public string? Released { get; init; }

    public string? ReleasedFormatted { get; init; }

    public string? Notes { get; init; }

    public string? DataQuality { get; init; }

    public string? ArtistsSort { get; init; }

    public IReadOnlyList<DiscogsArtistCredit> Artists { get; init; } = [];

    public IReadOnlyList<DiscogsArtistCredit>? Extraartists { get; init; }

    public IReadOnlyList<DiscogsCompany>? Labels { get; init; }

    public IReadOnlyList<DiscogsCompany>? Companies { get; init; }

    public IReadOnlyList<DiscogsCompany>? Series { get; init; }

    public IReadOnlyList<DiscogsFormat>? Formats { get; init; }

    public int? FormatQuantity { get; init; }

    public IReadOnlyList<DiscogsIdentifier>? Identifiers { get; init; }

    public IReadOnlyList<string>? Genres { get; init; }

    public IReadOnlyList<string>? Styles { get; init; }

    public IReadOnlyList<DiscogsTrack>? Tracklist { get; init; }

    public IReadOnlyList<DiscogsImage>? Images { get; init; }

    public IReadOnlyList<DiscogsVideo>? Videos { get; init; }

    public string? Thumb { get; init; }

    public DiscogsCommunity? Community { get; init; }

    /// <summary>A number, or null when nothing is for sale.</summary>
    public decimal? LowestPrice { get; init; }

    public int? NumForSale { get; init; }

    public bool? BlockedFromSale { get; init; }

    public int? EstimatedWeight { get; init; }

    public string? DateAdded { get; init; }

    public string? DateChanged { get; init; }

    public string? Uri { get; init; }

    public string? ResourceUrl { get; init; }
}

/// <summary><c>/masters/{id}</c>.</summary>
public sealed class DiscogsMaster
{
    public long Id { get; init; }

    public string Title { get; init; } = "";

    public int? Year { get; init; }

    public long? MainRelease { get; init; }

    public string? MainReleaseUrl { get; init; }

    public long? MostRecentRelease { get; init; }

    public string? MostRecentReleaseUrl { get; init; }

    public string? VersionsUrl { get; init; }

    public IReadOnlyList<DiscogsArtistCredit> Artists { get; init; } = [];

    public IReadOnlyList<string>? Genres { get; init; }

    public IReadOnlyList<string>? Styles { get; init; }

    public IReadOnlyList<DiscogsTrack>? Tracklist { get; init; }

    public IReadOnlyList<DiscogsImage>? Images { get; init; }

    public IReadOnlyList<DiscogsVideo>? Videos { get; init; }

    public string? DataQuality { get; init; }

    public string? Notes { get; init; }

    public decimal? LowestPrice { get; init; }

    public int? NumForSale { get; init; }

    public string? Uri { get; init; }

    public string? ResourceUrl { get; init; }
}

/// <summary>A <c>/masters/{id}/versions</c> page.</summary>
public sealed class DiscogsMasterVersionsPage
{
    public DiscogsPagination Pagination { get; init; } = new();

    public IReadOnlyList<DiscogsMasterVersion> Versions { get; init; } = [];
}

/// <summary>One release of a master, as the versions list shows it (format and label as flat strings).</summary>
public sealed class DiscogsMasterVersion
{
    public long Id { get; init; }

    public string Title { get; init; } = "";

    public string? Format { get; init; }

    public IReadOnlyList<string>? MajorFormats { get; init; }

    public string? Label { get; init; }

    public string? Catno { get; init; }

    public string? Country { get; init; }

    public string? Released { get; init; }

    public string? Status { get; init; }

    public string? Thumb { get; init; }

    public string? ResourceUrl { get; init; }
}
