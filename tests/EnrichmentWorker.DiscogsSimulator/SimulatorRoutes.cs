using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace EnrichmentWorker.DiscogsSimulator;

/// <summary>The endpoints, each answering a status and a JSON body worded as the real API words it.</summary>
internal sealed class SimulatorRoutes(SimulatorState state, JsonViews views, string api)
{
    /// <summary>Discogs shows at most this many search results; pages beyond are capped, items stays the true total.</summary>
    public const int SearchResultCap = 10_000;

    public const string ReleaseNotFound = "Release not found.";
    public const string MasterNotFound = "Master Release not found.";
    public const string ArtistNotFound = "Artist not found.";
    public const string LabelNotFound = "Label not found.";
    public const string ResourceNotFound = "The requested resource was not found.";

    private SimulatorCatalog Catalog => state.Catalog;

    public (int Status, JsonNode Body) Answer(HttpRequest request, bool authenticated)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return (StatusCodes.Status405MethodNotAllowed, Message("Method not allowed."));
        }

        var segments = (request.Path.Value ?? "/").Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        long? id = segments.Length > 1 && long.TryParse(segments[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        return (segments, id) switch
        {
            ([], _) => (200, new JsonObject { ["hello"] = "Welcome to the Discogs API.", ["api_version"] = "v2", ["documentation_url"] = "http://www.discogs.com/developers/" }),
            (["database", "search"], _) => authenticated ? Search(request) : (401, Message(SimulatorHandler.MustAuthenticateMessage)),
            (["releases", _], { } releaseId) => Release(releaseId),
            (["masters", _], { } masterId) => Master(masterId),
            (["masters", _, "versions"], { } masterId) => Versions(request, masterId),
            (["artists", _], { } artistId) => Catalog.ArtistsById.TryGetValue(artistId, out var a) ? (200, views.Artist(a)) : (404, Message(ArtistNotFound)),
            (["artists", _, "releases"], { } artistId) => ArtistReleases(request, artistId),
            (["labels", _], { } labelId) => Catalog.LabelsById.TryGetValue(labelId, out var l) ? (200, views.Label(l)) : (404, Message(LabelNotFound)),
            (["marketplace", "stats", var raw], _) => MarketplaceStats(raw),
            (["oauth", "identity"], _) => authenticated ? (200, Identity()) : (401, Message(SimulatorHandler.MustAuthenticateMessage)),
            _ => (404, Message(ResourceNotFound)),
        };
    }

    private (int, JsonNode) Release(long id) =>
        Catalog.Releases.TryGetValue(id, out var release) && !state.Faults.IsHidden(id)
            ? (200, views.Release(release))
            : (404, Message(ReleaseNotFound));

    private (int, JsonNode) Master(long id) =>
        Catalog.Masters.TryGetValue(id, out var master) ? (200, views.Master(master)) : (404, Message(MasterNotFound));

    private (int, JsonNode) Search(HttpRequest request)
    {
        var query = request.Query;
        SearchType? type = query["type"].ToString().ToLowerInvariant() switch
        {
            "release" => SearchType.Release,
            "master" => SearchType.Master,
            "artist" => SearchType.Artist,
            "label" => SearchType.Label,
            _ => null,
        };
        var hits = Catalog.Search.Run(new SearchQuery
        {
            Q = query["q"],
            Type = type,
            Title = query["title"],
            ReleaseTitle = query["release_title"],
            Artist = query["artist"],
            Year = query["year"],
            Format = query["format"],
            CatalogNumber = query["catno"],
            Barcode = query["barcode"],
            Genre = query["genre"],
            Style = query["style"],
            Country = query["country"],
            Label = query["label"],
        });
        var (page, perPage) = Paging(request);
        var shown = Math.Min(hits.Count, SearchResultCap);
        var pages = Math.Max(1, (shown + perPage - 1) / perPage);
        // Past the last page the simulator answers an empty page (the real API's answer there was not recorded).
        var results = page <= pages ? hits.Skip((page - 1) * perPage).Take(Math.Min(perPage, shown - ((page - 1) * perPage))) : [];
        return (200, new JsonObject
        {
            ["pagination"] = Pagination(request, page, perPage, hits.Count, pages),
            ["results"] = new JsonArray([.. results.Select(d => (JsonNode)views.SearchResult(d))]),
        });
    }

    private (int, JsonNode) Versions(HttpRequest request, long masterId)
    {
        if (!Catalog.Masters.TryGetValue(masterId, out var master))
        {
            return (404, Message(MasterNotFound));
        }

        var query = request.Query;
        var applied = new JsonObject();
        IEnumerable<SimRelease> versions = master.Versions;
        foreach (var (key, select) in Facets)
        {
            var wanted = query[key].ToString();
            if (wanted.Length > 0)
            {
                applied[key] = new JsonArray(wanted);
                versions = versions.Where(v => select(v).Contains(wanted, StringComparer.OrdinalIgnoreCase));
            }
        }

        var list = versions.ToList();
        var (page, perPage) = Paging(request);
        var pages = Math.Max(1, (list.Count + perPage - 1) / perPage);
        var available = new JsonObject();
        var facets = new JsonArray();
        foreach (var (key, select) in Facets)
        {
            var counts = master.Versions.SelectMany(select).GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
            var countsJson = new JsonObject();
            counts.ForEach(g => countsJson[g.Key] = g.Count());
            available[key] = countsJson;
            facets.Add(new JsonObject
            {
                ["title"] = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(key),
                ["id"] = key,
                ["values"] = new JsonArray([.. counts.Select(g => (JsonNode)new JsonObject { ["title"] = g.Key, ["value"] = Uri.EscapeDataString(g.Key), ["count"] = g.Count() })]),
                ["allows_multiple_values"] = true,
            });
        }

        return (200, new JsonObject
        {
            ["pagination"] = Pagination(request, page, perPage, list.Count, pages),
            ["filters"] = new JsonObject { ["applied"] = applied, ["available"] = available },
            ["filter_facets"] = facets,
            ["versions"] = new JsonArray([.. list.Skip((page - 1) * perPage).Take(perPage).Select(v => (JsonNode)views.Version(v))]),
        });
    }

    private static readonly (string Key, Func<SimRelease, IEnumerable<string>> Select)[] Facets =
    [
        ("format", v => v.Formats.SelectMany(f => f.Descriptions.Prepend(f.Name)).Distinct()),
        ("label", v => v.Labels.Select(l => l.Label.Name).Distinct()),
        ("country", v => v.Country.Length > 0 ? [v.Country] : []),
        ("released", v => v.Year > 0 ? [v.Year.ToString(CultureInfo.InvariantCulture)] : []),
    ];

    private (int, JsonNode) ArtistReleases(HttpRequest request, long artistId)
    {
        if (!Catalog.ArtistsById.ContainsKey(artistId))
        {
            return (404, Message(ArtistNotFound));
        }

        var works = state.ArtistWorks[artistId].ToList();
        var descending = string.Equals(request.Query["sort_order"], "desc", StringComparison.OrdinalIgnoreCase);
        Func<(SimMaster? Master, SimRelease? Release), IComparable> key = request.Query["sort"].ToString() switch
        {
            "title" => w => w.Master?.Title ?? w.Release!.Title,
            _ => w => w.Master?.Year ?? w.Release!.Year,
        };
        works = descending ? [.. works.OrderByDescending(key)] : [.. works.OrderBy(key)];
        var (page, perPage) = Paging(request);
        var pages = Math.Max(1, (works.Count + perPage - 1) / perPage);
        return (200, new JsonObject
        {
            ["pagination"] = Pagination(request, page, perPage, works.Count, pages),
            ["releases"] = new JsonArray([.. works.Skip((page - 1) * perPage).Take(perPage).Select(w => (JsonNode)views.ArtistWork(w.Master, w.Release))]),
        });
    }

    private (int, JsonNode) MarketplaceStats(string raw)
    {
        if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !Catalog.Releases.TryGetValue(id, out var release) || state.Faults.IsHidden(id))
        {
            return (404, Message(ReleaseNotFound));
        }

        return (200, new JsonObject
        {
            ["lowest_price"] = release.LowestPrice is { } price ? new JsonObject { ["currency"] = "USD", ["value"] = price } : null,
            ["num_for_sale"] = release.NumForSale,
            ["blocked_from_sale"] = false,
        });
    }

    private JsonObject Identity() => new()
    {
        ["id"] = 1_000_001,
        ["username"] = state.Options.IdentityUsername,
        ["resource_url"] = $"{api}/users/{state.Options.IdentityUsername}",
        ["consumer_name"] = "EnrichmentWorker (Discogs simulator)",
    };

    private static (int Page, int PerPage) Paging(HttpRequest request)
    {
        var perPage = int.TryParse(request.Query["per_page"], CultureInfo.InvariantCulture, out var pp) ? Math.Clamp(pp, 1, 100) : 50;
        var page = int.TryParse(request.Query["page"], CultureInfo.InvariantCulture, out var p) ? Math.Max(1, p) : 1;
        return (page, perPage);
    }

    /// <summary>Discogs' pagination object: urls holds first/prev and next/last only where they exist.</summary>
    private JsonObject Pagination(HttpRequest request, int page, int perPage, int items, int pages)
    {
        var urls = new JsonObject();
        if (page > 1)
        {
            urls["first"] = PageUrl(request, 1, perPage);
            urls["prev"] = PageUrl(request, Math.Min(page - 1, pages), perPage);
        }

        if (page < pages)
        {
            urls["last"] = PageUrl(request, pages, perPage);
            urls["next"] = PageUrl(request, page + 1, perPage);
        }

        return new JsonObject { ["page"] = page, ["pages"] = pages, ["per_page"] = perPage, ["items"] = items, ["urls"] = urls };
    }

    private string PageUrl(HttpRequest request, int page, int perPage)
    {
        var parameters = request.Query
            .Where(p => p.Key is not "page" and not "per_page")
            .Select(p => new KeyValuePair<string, string?>(p.Key, p.Value.ToString()))
            .Append(new("page", page.ToString(CultureInfo.InvariantCulture)))
            .Append(new("per_page", perPage.ToString(CultureInfo.InvariantCulture)));
        return QueryHelpers.AddQueryString($"{api}{request.Path}", parameters);
    }

    private static JsonObject Message(string message) => new() { ["message"] = message };
}
