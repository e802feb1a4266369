namespace EnrichmentWorker.Library;

/// <summary>A field of an album as every way in (CSV, JSON lines, HTTP) names it.</summary>
public enum AlbumField
{
    Source,
    SourceKey,
    Artist,
    AlbumArtist,
    Title,
    Year,
    TrackCount,
    CatalogNumber,
    Barcode,
    DiscogsReleaseId,
    DiscogsMasterId,
}

/// <summary>The wire names of <see cref="AlbumField"/>: the <c>albums</c> column names, matched case-insensitively.</summary>
public static class AlbumFieldNames
{
    private static readonly Dictionary<AlbumField, string> Names = new()
    {
        [AlbumField.Source] = "source",
        [AlbumField.SourceKey] = "source_key",
        [AlbumField.Artist] = "artist",
        [AlbumField.AlbumArtist] = "album_artist",
        [AlbumField.Title] = "title",
        [AlbumField.Year] = "year",
        [AlbumField.TrackCount] = "track_count",
        [AlbumField.CatalogNumber] = "catalog_number",
        [AlbumField.Barcode] = "barcode",
        [AlbumField.DiscogsReleaseId] = "discogs_release_id",
        [AlbumField.DiscogsMasterId] = "discogs_master_id",
    };

    private static readonly Dictionary<string, AlbumField> ByName = BuildLookup();

    /// <summary>The names a file may use as columns or keys (the source is named for the whole file instead).</summary>
    public static string FileFieldList { get; } = "source_key (or id), " + string.Join(", ",
        Names.Where(n => n.Key is not (AlbumField.Source or AlbumField.SourceKey)).Select(n => n.Value));

    /// <summary>The names an HTTP batch item may use.</summary>
    public static string ApiFieldList { get; } = "source, " + FileFieldList;

    public static string NameOf(AlbumField field) => Names[field];

    /// <summary>Each tag with its field, in the intake's order: what the album outputs list field by field.</summary>
    public static IEnumerable<(AlbumField Field, object? Value)> TagsOf(AlbumTags tags) =>
    [
        (AlbumField.Artist, tags.Artist),
        (AlbumField.AlbumArtist, tags.AlbumArtist),
        (AlbumField.Title, tags.Title),
        (AlbumField.Year, tags.Year),
        (AlbumField.TrackCount, tags.TrackCount),
        (AlbumField.CatalogNumber, tags.CatalogNumber),
        (AlbumField.Barcode, tags.Barcode),
        (AlbumField.DiscogsReleaseId, tags.DiscogsReleaseId),
        (AlbumField.DiscogsMasterId, tags.DiscogsMasterId),
    ];

    /// <summary>Finds a field by name, ignoring case and surrounding spaces; <c>id</c> is accepted for <c>source_key</c>.</summary>
    public static bool TryParse(string name, out AlbumField field) => ByName.TryGetValue(name.Trim(), out field);

    private static Dictionary<string, AlbumField> BuildLookup()
    {
        var lookup = Names.ToDictionary(n => n.Value, n => n.Key, StringComparer.OrdinalIgnoreCase);
        lookup["id"] = AlbumField.SourceKey;
        return lookup;
    }
}
