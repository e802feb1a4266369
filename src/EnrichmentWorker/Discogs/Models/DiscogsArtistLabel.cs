namespace EnrichmentWorker.Discogs.Models;

/// <summary><c>/artists/{id}</c>.</summary>
public sealed class DiscogsArtist
{
    public long Id { get; init; }

    public string Name { get; init; } = "";

    public string? Realname { get; init; }

    public string? Profile { get; init; }

    public string? DataQuality { get; init; }

    public IReadOnlyList<string>? Namevariations { get; init; }

    public IReadOnlyList<string>? Urls { get; init; }

    public IReadOnlyList<DiscogsEntityRef>? Aliases { get; init; }

    public IReadOnlyList<DiscogsEntityRef>? Members { get; init; }

    public IReadOnlyList<DiscogsImage>? Images { get; init; }

    public string? ReleasesUrl { get; init; }

    public string? Uri { get; init; }

    public string? ResourceUrl { get; init; }
}

/// <summary>A reference to another artist or label (aliases, members, sublabels, parent label).</summary>
public sealed class DiscogsEntityRef
{
    public long Id { get; init; }

    public string Name { get; init; } = "";

    public bool? Active { get; init; }

    public string? ResourceUrl { get; init; }
}

/// <summary><c>/labels/{id}</c>.</summary>
public sealed class DiscogsLabel
{
    public long Id { get; init; }

    public string Name { get; init; } = "";

    public string? Profile { get; init; }

    public string? ContactInfo { get; init; }

    public string? DataQuality { get; init; }

    public DiscogsEntityRef? ParentLabel { get; init; }

    public IReadOnlyList<DiscogsEntityRef>? Sublabels { get; init; }

    public IReadOnlyList<string>? Urls { get; init; }

    public IReadOnlyList<DiscogsImage>? Images { get; init; }

    public string? ReleasesUrl { get; init; }

    public string? Uri { get; init; }

    public string? ResourceUrl { get; init; }
}

/// <summary>A <c>/artists/{id}/releases</c> page.</summary>
public sealed class DiscogsArtistReleasesPage
{
    public DiscogsPagination Pagination { get; init; } = new();

    public IReadOnlyList<DiscogsArtistRelease> Releases { get; init; } = [];
}

/// <summary>A release or master an artist appears on; <c>type</c> says which, <c>role</c> how (Main, TrackAppearance...).</summary>
public sealed class DiscogsArtistRelease
{
    public long Id { get; init; }

    public string Type { get; init; } = "";

    public string Title { get; init; } = "";

    public string? Artist { get; init; }

    public int? Year { get; init; }

    public string? Role { get; init; }

    public string? Format { get; init; }

    public string? Label { get; init; }

    public string? Status { get; init; }

    public long? MainRelease { get; init; }

    public string? Trackinfo { get; init; }

    public string? Thumb { get; init; }

    public string? ResourceUrl { get; init; }
}

/// <summary><c>/marketplace/stats/{release_id}</c>: <c>lowest_price</c> is an object, or null when nothing is for sale.</summary>
public sealed class DiscogsMarketplaceStats
{
    public DiscogsPrice? LowestPrice { get; init; }

    public int? NumForSale { get; init; }

    public bool? BlockedFromSale { get; init; }
}
