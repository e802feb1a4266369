using System.Text.Json.Serialization;

namespace EnrichmentWorker.Discogs.Models;

// Wire models: the JSON exactly as Discogs sends it, kept apart from the matcher's records (Matching/MatchContracts).
// Every property is optional because real responses omit fields freely (legacy 2012 bodies, unauthenticated calls,
// releases without a master); the fixture test under tests/discogs-data/api proves these shapes parse.

/// <summary>The <c>pagination</c> object of every paged list.</summary>
public sealed class DiscogsPagination
{
    public int Page { get; init; }

    /// <summary>Capped by Discogs (search shows at most 10,000 results), so it can be lower than items / per_page.</summary>
    public int Pages { get; init; }

    public int PerPage { get; init; }

    /// <summary>The true total number of results.</summary>
    public int Items { get; init; }

    public Dictionary<string, string>? Urls { get; init; }
}

/// <summary>An artist credit: <c>name</c> may carry a " (N)" suffix, <c>anv</c> is the name as credited, <c>join</c> the word to the next credit.</summary>
public sealed class DiscogsArtistCredit
{
    public long Id { get; init; }

    public string Name { get; init; } = "";

    public string? Anv { get; init; }

    public string? Join { get; init; }

    public string? Role { get; init; }

    public string? Tracks { get; init; }

    public string? ResourceUrl { get; init; }

    public string? ThumbnailUrl { get; init; }
}

/// <summary>An image. Unauthenticated responses carry empty URIs, legacy ones relative URIs.</summary>
public sealed class DiscogsImage
{
    public string? Type { get; init; }

    public string? Uri { get; init; }

    public string? Uri150 { get; init; }

    public string? ResourceUrl { get; init; }

    public int? Width { get; init; }

    public int? Height { get; init; }
}

/// <summary>A label, company or series entry of a release.</summary>
public sealed class DiscogsCompany
{
    public long Id { get; init; }

    public string Name { get; init; } = "";

    public string? Catno { get; init; }

    public string? EntityType { get; init; }

    public string? EntityTypeName { get; init; }

    public string? ResourceUrl { get; init; }

    public string? ThumbnailUrl { get; init; }
}

public sealed class DiscogsFormat
{
    public string Name { get; init; } = "";

    /// <summary>A string in the API ("1", "2").</summary>
    public string? Qty { get; init; }

    public string? Text { get; init; }

    public IReadOnlyList<string>? Descriptions { get; init; }
}

public sealed class DiscogsIdentifier
{
    public string Type { get; init; } = "";

    public string? Value { get; init; }

    public string? Description { get; init; }
}

public sealed class DiscogsTrack
{
    public string? Position { get; init; }

    /// <summary>"track", "heading" or "index".</summary>
    [JsonPropertyName("type_")]
    public string? Type { get; init; }

    public string Title { get; init; } = "";

    public string? Duration { get; init; }

    public IReadOnlyList<DiscogsArtistCredit>? Artists { get; init; }

    public IReadOnlyList<DiscogsArtistCredit>? Extraartists { get; init; }
}

public sealed class DiscogsVideo
{
    public string? Uri { get; init; }

    public string? Title { get; init; }

    public string? Description { get; init; }

    public int? Duration { get; init; }

    public bool? Embed { get; init; }
}

public sealed class DiscogsRating
{
    public int Count { get; init; }

    public decimal Average { get; init; }
}

public sealed class DiscogsUserRef
{
    public string? Username { get; init; }

    public string? ResourceUrl { get; init; }
}

public sealed class DiscogsCommunity
{
    public int? Have { get; init; }

    public int? Want { get; init; }

    public DiscogsRating? Rating { get; init; }

    public string? Status { get; init; }

    public string? DataQuality { get; init; }

    public DiscogsUserRef? Submitter { get; init; }

    public IReadOnlyList<DiscogsUserRef>? Contributors { get; init; }
}

/// <summary>An amount of money: marketplace <c>lowest_price</c> objects and price suggestions.</summary>
public sealed class DiscogsPrice
{
    public decimal Value { get; init; }

    public string? Currency { get; init; }
}

/// <summary>An error body: Discogs always answers errors with <c>{"message": "..."}</c>.</summary>
public sealed class DiscogsErrorBody
{
    public string? Message { get; init; }
}

/// <summary><c>/oauth/identity</c>: who the token belongs to.</summary>
public sealed class DiscogsIdentity
{
    public long Id { get; init; }

    public string Username { get; init; } = "";

    public string? ResourceUrl { get; init; }

    public string? ConsumerName { get; init; }
}
