using System.Text.Json.Serialization;

namespace EnrichmentWorker.Discogs.Models;

/// <summary>A <c>/database/search</c> page.</summary>
public sealed class DiscogsSearchPage
{
    public DiscogsPagination Pagination { get; init; } = new();

    public IReadOnlyList<DiscogsSearchResult> Results { get; init; } = [];
}

/// <summary>
/// One search hit. The title reads "Artist - Title" for releases and masters (there is no separate artist field),
/// <c>year</c> is a string, <c>master_id</c> is absent, null or 0 when there is no master, and <c>label</c> is a list
/// (a single string in 2012-era bodies).
/// </summary>
public sealed class DiscogsSearchResult
{
    public long Id { get; init; }

    /// <summary>"release", "master", "artist" or "label".</summary>
    public string Type { get; init; } = "";

    public string Title { get; init; } = "";

    public string? Year { get; init; }

    public long? MasterId { get; init; }

    public string? MasterUrl { get; init; }

    public string? Country { get; init; }

    public IReadOnlyList<string>? Genre { get; init; }

    public IReadOnlyList<string>? Style { get; init; }

    public IReadOnlyList<string>? Format { get; init; }

    public IReadOnlyList<DiscogsFormat>? Formats { get; init; }

    public int? FormatQuantity { get; init; }

    [JsonConverter(typeof(StringOrListConverter))]
    public IReadOnlyList<string>? Label { get; init; }

    public string? Catno { get; init; }

    public IReadOnlyList<string>? Barcode { get; init; }

    public string? Thumb { get; init; }

    public string? CoverImage { get; init; }

    public string? Uri { get; init; }

    public string? ResourceUrl { get; init; }

    public DiscogsCommunity? Community { get; init; }
}
