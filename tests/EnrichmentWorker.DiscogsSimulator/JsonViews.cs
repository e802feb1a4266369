using System.Globalization;
using System.Text.Json.Nodes;

namespace EnrichmentWorker.DiscogsSimulator;

/// <summary>
/// The real JSON shapes (tests/discogs-data/api/*), produced per request from the entities. <paramref name="api"/> is the
/// simulator's own base URL, used where Discogs writes https://api.discogs.com (resource_url, pagination urls), so
/// clients that follow links stay on the simulator. Unauthenticated requests get empty image URLs, as on Discogs.
/// </summary>
internal sealed class JsonViews(string api, bool authenticated)
{
    private const string Web = "https://www.discogs.com";

    public JsonObject Release(SimRelease r)
    {
        var json = new JsonObject
        {
            ["id"] = r.Id,
            ["status"] = "Accepted",
            ["year"] = r.Year,
            ["resource_url"] = $"{api}/releases/{r.Id}",
            ["uri"] = $"{Web}/{Slug(r.Artists, r.Title)}/release/{r.Id}",
            ["artists"] = Credits(r.Artists),
            ["artists_sort"] = ArtistLine(r.Artists),
            ["labels"] = new JsonArray([.. r.Labels.Select(l => (JsonNode)LabelCredit(l))]),
            ["series"] = new JsonArray(),
            ["companies"] = new JsonArray(),
            ["formats"] = new JsonArray([.. r.Formats.Select(f => (JsonNode)Format(f))]),
            ["data_quality"] = r.DataQuality,
            ["community"] = new JsonObject
            {
                ["have"] = r.Have,
                ["want"] = r.Want,
                ["rating"] = new JsonObject { ["count"] = r.RatingCount, ["average"] = r.RatingAverage },
                ["submitter"] = new JsonObject { ["username"] = "discogs_sim", ["resource_url"] = $"{api}/users/discogs_sim" },
                ["contributors"] = new JsonArray(new JsonObject { ["username"] = "discogs_sim", ["resource_url"] = $"{api}/users/discogs_sim" }),
                ["data_quality"] = r.DataQuality,
                ["status"] = "Accepted",
            },
            ["format_quantity"] = r.Formats.Sum(f => f.Quantity),
            ["date_added"] = "2009-03-12T10:21:45-07:00",
            ["date_changed"] = "2020-06-01T08:00:00-07:00",
            ["num_for_sale"] = r.NumForSale,
            ["blocked_from_sale"] = false,
            ["lowest_price"] = r.LowestPrice is { } price ? JsonValue.Create(price) : null,
            ["title"] = r.Title,
            ["country"] = r.Country,
            ["released"] = r.Released,
            ["notes"] = r.Notes,
            ["released_formatted"] = ReleasedFormatted(r.Released),
            ["identifiers"] = new JsonArray([.. r.Identifiers.Select(i => (JsonNode)Identifier(i))]),
            ["videos"] = new JsonArray(),
            ["genres"] = Strings(r.Genres),
            ["styles"] = Strings(r.Styles),
            ["tracklist"] = Tracks(r.Tracklist),
            ["extraartists"] = Credits(r.ExtraArtists),
            ["images"] = Images("R", r.Id, r.ImageCount),
            ["thumb"] = Thumb("R", r.Id),
            ["estimated_weight"] = 85 * Math.Max(1, r.Formats.Sum(f => f.Quantity)),
        };
        if (r.MasterId is { } masterId)
        {
            // A release without a master has no master_id key at all (release-6990537-lxxxvi, release-2221110-david).
            json["master_id"] = masterId;
            json["master_url"] = $"{api}/masters/{masterId}";
        }

        return json;
    }

    public JsonObject Master(SimMaster m)
    {
        var main = m.MainRelease;
        var mostRecent = m.MostRecentRelease;
        return new JsonObject
        {
            ["id"] = m.Id,
            ["main_release"] = m.MainReleaseId,
            ["most_recent_release"] = mostRecent?.Id ?? m.MainReleaseId,
            ["resource_url"] = $"{api}/masters/{m.Id}",
            ["uri"] = $"{Web}/{Slug(m.Artists, m.Title)}/master/{m.Id}",
            ["versions_url"] = $"{api}/masters/{m.Id}/versions",
            ["main_release_url"] = $"{api}/releases/{m.MainReleaseId}",
            ["most_recent_release_url"] = $"{api}/releases/{mostRecent?.Id ?? m.MainReleaseId}",
            ["num_for_sale"] = m.Versions.Sum(v => v.NumForSale),
            ["lowest_price"] = m.Versions.Where(v => v.LowestPrice is not null).Select(v => v.LowestPrice).Min() is { } low ? JsonValue.Create(low) : null,
            ["images"] = Images("R", m.MainReleaseId, main?.ImageCount ?? 1),
            ["genres"] = Strings(m.Genres),
            ["styles"] = Strings(m.Styles),
            ["year"] = m.Year,
            ["tracklist"] = Tracks(main?.Tracklist ?? []),
            ["artists"] = Credits(m.Artists),
            ["title"] = m.Title,
            ["data_quality"] = m.DataQuality,
            ["videos"] = new JsonArray(),
        };
    }

    public JsonObject Version(SimRelease r) => new()
    {
        ["id"] = r.Id,
        ["label"] = r.Labels.FirstOrDefault()?.Label.Name ?? "",
        ["country"] = r.Country,
        ["title"] = r.Title,
        ["major_formats"] = Strings(r.Formats.Select(f => f.Name).Distinct()),
        ["format"] = string.Join(", ", r.Formats.SelectMany(f => f.Descriptions)),
        ["catno"] = r.Labels.FirstOrDefault()?.CatalogNumber ?? "",
        ["released"] = r.Released.Length >= 4 ? r.Released[..4] : r.Released,
        ["status"] = "Accepted",
        ["resource_url"] = $"{api}/releases/{r.Id}",
        ["thumb"] = Thumb("R", r.Id),
        ["stats"] = new JsonObject
        {
            ["community"] = new JsonObject { ["in_wantlist"] = r.Want, ["in_collection"] = r.Have },
            ["user"] = new JsonObject { ["in_wantlist"] = 0, ["in_collection"] = 0 },
        },
    };

    public JsonObject Artist(SimArtist a)
    {
        var json = ArtistWithoutAliases(a);
        if (a.Aliases.Count > 0)
        {
            // Real answers leave the key out when an artist has no alias (Nirvana's), and list {resource_url, id, name}.
            json["aliases"] = new JsonArray([.. a.Aliases.Select(alias => (JsonNode)new JsonObject
            {
                ["resource_url"] = $"{api}/artists/{alias.Id}",
                ["id"] = alias.Id,
                ["name"] = alias.Name,
            })]);
        }

        return json;
    }

    private JsonObject ArtistWithoutAliases(SimArtist a) => new()
    {
        ["id"] = a.Id,
        ["name"] = a.Name,
        ["realname"] = a.RealName,
        ["profile"] = a.Profile,
        ["resource_url"] = $"{api}/artists/{a.Id}",
        ["uri"] = $"{Web}/artist/{a.Id}-{TextFolding.Slug(a.Name)}",
        ["releases_url"] = $"{api}/artists/{a.Id}/releases",
        ["images"] = Images("A", a.Id, 1),
        ["urls"] = new JsonArray(),
        ["namevariations"] = new JsonArray([.. a.NameVariations.Select(static n => (JsonNode)n)]),
        ["data_quality"] = "Needs Vote",
    };

    public JsonObject Label(SimLabel l) => new()
    {
        ["id"] = l.Id,
        ["name"] = l.Name,
        ["profile"] = l.Profile,
        ["contact_info"] = "",
        ["resource_url"] = $"{api}/labels/{l.Id}",
        ["uri"] = $"{Web}/label/{l.Id}-{TextFolding.Slug(l.Name)}",
        ["releases_url"] = $"{api}/labels/{l.Id}/releases",
        ["images"] = Images("L", l.Id, 1),
        ["urls"] = new JsonArray(),
        ["sublabels"] = new JsonArray(),
        ["data_quality"] = "Needs Vote",
    };

    /// <summary>An entry of /artists/{id}/releases: a master or a release the artist is credited on.</summary>
    public JsonObject ArtistWork(SimMaster? master, SimRelease? release)
    {
        if (master is not null)
        {
            return new JsonObject
            {
                ["id"] = master.Id,
                ["title"] = master.Title,
                ["type"] = "master",
                ["main_release"] = master.MainReleaseId,
                ["artist"] = ArtistLine(master.Artists),
                ["role"] = "Main",
                ["resource_url"] = $"{api}/masters/{master.Id}",
                ["year"] = master.Year,
                ["thumb"] = Thumb("R", master.MainReleaseId),
                ["stats"] = Stats(master.Want, master.Have),
            };
        }

        var r = release!;
        return new JsonObject
        {
            ["id"] = r.Id,
            ["status"] = "Accepted",
            ["type"] = "release",
            ["format"] = string.Join(", ", r.Formats.SelectMany(f => f.Descriptions.Prepend(f.Name))),
            ["label"] = r.Labels.FirstOrDefault()?.Label.Name ?? "",
            ["title"] = r.Title,
            ["resource_url"] = $"{api}/releases/{r.Id}",
            ["role"] = "Main",
            ["artist"] = ArtistLine(r.Artists),
            ["year"] = r.Year,
            ["thumb"] = Thumb("R", r.Id),
            ["stats"] = Stats(r.Want, r.Have),
        };
    }

    /// <summary>A /database/search result: year as a string, title "Artist - Title", master_id 0 for a release without master.</summary>
    public JsonObject SearchResult(SearchDoc doc)
    {
        var userData = new JsonObject { ["in_wantlist"] = false, ["in_collection"] = false };
        switch (doc.Type)
        {
            case SearchType.Artist:
                return new JsonObject
                {
                    ["id"] = doc.Id, ["type"] = "artist", ["user_data"] = userData, ["master_id"] = null, ["master_url"] = null,
                    ["uri"] = $"/artist/{doc.Id}-{TextFolding.Slug(doc.Artist!.Name)}", ["title"] = doc.Artist.Name,
                    ["thumb"] = Thumb("A", doc.Id), ["cover_image"] = Cover("A", doc.Id), ["resource_url"] = $"{api}/artists/{doc.Id}",
                };
            case SearchType.Label:
                return new JsonObject
                {
                    ["id"] = doc.Id, ["type"] = "label", ["user_data"] = userData, ["master_id"] = null, ["master_url"] = null,
                    ["uri"] = $"/label/{doc.Id}-{TextFolding.Slug(doc.Label!.Name)}", ["title"] = doc.Label.Name,
                    ["thumb"] = Thumb("L", doc.Id), ["cover_image"] = Cover("L", doc.Id), ["resource_url"] = $"{api}/labels/{doc.Id}",
                };
        }

        var isMaster = doc.Type == SearchType.Master;
        var release = isMaster ? doc.Master!.MainRelease : doc.Release!;
        var artists = isMaster ? doc.Master!.Artists : release!.Artists;
        var title = isMaster ? doc.Master!.Title : release!.Title;
        var versions = isMaster ? doc.Master!.Versions : [release!];
        var imageId = release?.Id ?? doc.Id;
        long? masterId = isMaster ? doc.Id : release!.MasterId ?? 0;
        var json = new JsonObject
        {
            ["country"] = release?.Country ?? "",
            ["year"] = doc.Year == 0 ? null : doc.Year.ToString(CultureInfo.InvariantCulture),
            ["format"] = Strings(versions.SelectMany(v => v.Formats).SelectMany(f => f.Descriptions.Prepend(f.Name)).Distinct()),
            ["label"] = Strings(versions.SelectMany(v => v.Labels).Select(l => l.Label.Name).Distinct()),
            ["type"] = isMaster ? "master" : "release",
            ["genre"] = Strings(isMaster ? doc.Master!.Genres : release!.Genres),
            ["style"] = Strings(isMaster ? doc.Master!.Styles : release!.Styles),
            ["id"] = doc.Id,
            ["barcode"] = Strings(versions.SelectMany(v => v.Barcodes)),
            ["user_data"] = userData,
            ["master_id"] = masterId,
            ["master_url"] = masterId is > 0 ? $"{api}/masters/{masterId}" : null,
            ["uri"] = $"/{Slug(artists, title)}/{(isMaster ? "master" : "release")}/{doc.Id}",
            ["catno"] = release?.Labels.FirstOrDefault()?.CatalogNumber ?? "",
            ["title"] = $"{ArtistLine(artists)} - {title}",
            ["thumb"] = Thumb("R", imageId),
            ["cover_image"] = Cover("R", imageId),
            ["resource_url"] = $"{api}/{(isMaster ? "masters" : "releases")}/{doc.Id}",
            ["community"] = new JsonObject { ["want"] = isMaster ? doc.Master!.Want : release!.Want, ["have"] = doc.Have },
        };
        if (!isMaster)
        {
            json["format_quantity"] = release!.Formats.Sum(f => f.Quantity);
            json["formats"] = new JsonArray([.. release.Formats.Select(f => (JsonNode)Format(f))]);
        }

        return json;
    }

    /// <summary>"Simon & Garfunkel", "Stan Getz, Charlie Byrd": names (anv when credited so) joined by their join words.</summary>
    public static string ArtistLine(IReadOnlyList<Credit> credits)
    {
        var parts = new List<string>();
        for (var i = 0; i < credits.Count; i++)
        {
            var c = credits[i];
            parts.Add(c.Anv.Length > 0 ? c.Anv : c.Artist.Name);
            if (i < credits.Count - 1)
            {
                parts.Add(c.Join is "," or "" ? ", " : $" {c.Join} ");
            }
        }

        return string.Concat(parts);
    }

    private static string Slug(IReadOnlyList<Credit> artists, string title) =>
        TextFolding.Slug($"{ArtistLine(artists)} {title}");

    private JsonArray Credits(IReadOnlyList<Credit> credits) =>
        new([.. credits.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Artist.Name,
            ["anv"] = c.Anv,
            ["join"] = c.Join,
            ["role"] = c.Role,
            ["tracks"] = c.Tracks,
            ["id"] = c.Artist.Id,
            ["resource_url"] = $"{api}/artists/{c.Artist.Id}",
        })]);

    private JsonObject LabelCredit(LabelCredit l) => new()
    {
        ["name"] = l.Label.Name,
        ["catno"] = l.CatalogNumber,
        ["entity_type"] = "1",
        ["entity_type_name"] = "Label",
        ["id"] = l.Label.Id,
        ["resource_url"] = $"{api}/labels/{l.Label.Id}",
    };

    private static JsonObject Format(FormatEntry f)
    {
        var json = new JsonObject
        {
            ["name"] = f.Name,
            ["qty"] = f.Quantity.ToString(CultureInfo.InvariantCulture),
            ["descriptions"] = Strings(f.Descriptions),
        };
        if (f.Text.Length > 0)
        {
            json["text"] = f.Text;
        }

        return json;
    }

    private static JsonObject Identifier(Identifier i)
    {
        var json = new JsonObject { ["type"] = i.Type, ["value"] = i.Value };
        if (i.Description is not null)
        {
            json["description"] = i.Description;
        }

        return json;
    }

    private static JsonArray Tracks(IReadOnlyList<Track> tracks) =>
        new([.. tracks.Select(t => (JsonNode)new JsonObject
        {
            ["position"] = t.Position, ["type_"] = "track", ["title"] = t.Title, ["duration"] = t.Duration,
        })]);

    private static JsonObject Stats(int want, int have) => new()
    {
        ["community"] = new JsonObject { ["in_wantlist"] = want, ["in_collection"] = have },
        ["user"] = new JsonObject { ["in_wantlist"] = 0, ["in_collection"] = 0 },
    };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    private JsonArray Images(string kind, long id, int count) =>
        new([.. Enumerable.Range(0, Math.Max(1, count)).Select(i => (JsonNode)new JsonObject
        {
            ["type"] = i == 0 ? "primary" : "secondary",
            ["uri"] = ImageUrl(kind, id, i, 600, 90),
            ["resource_url"] = ImageUrl(kind, id, i, 600, 90),
            ["uri150"] = ImageUrl(kind, id, i, 150, 40),
            ["width"] = 600,
            ["height"] = 600,
        })]);

    private string Thumb(string kind, long id) => ImageUrl(kind, id, 0, 150, 40);

    private string Cover(string kind, long id) => ImageUrl(kind, id, 0, 600, 90);

    private string ImageUrl(string kind, long id, int index, int size, int quality) =>
        authenticated
            ? $"https://i.discogs.com/{TextFolding.StableHash($"{kind}{id}/{index}/{size}"):x8}/rs:fit/g:sm/q:{quality}/h:{size}/w:{size}/{kind}-{id}-{index}.jpeg"
            : "";

    private static string ReleasedFormatted(string released)
    {
        if (DateOnly.TryParseExact(released, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date.ToString("dd MMM yyyy", CultureInfo.InvariantCulture);
        }

        return released.Length >= 4 ? released[..4] : released;
    }
}
