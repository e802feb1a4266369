namespace EnrichmentWorker.Library;

/// <summary>
/// An album as the library's tags describe it: the one declaration of the tag fields, used by every way in (files,
/// HTTP, music folders), the writer, the matcher and the job. A new tag is added here, to <see cref="AlbumField"/>
/// (its wire name), to <see cref="AlbumValidator"/> (its rule), and to the statements that copy it in and read it back
/// (<c>AlbumSql</c>, <c>EnrichmentSql.AlbumGetForEnrichment</c>), after the migration that adds its column.
/// </summary>
public sealed record AlbumTags(
    string Artist,
    string? AlbumArtist,
    string Title,
    int? Year,
    int? TrackCount = null,
    string? CatalogNumber = null,
    string? Barcode = null,
    long? DiscogsReleaseId = null,
    long? DiscogsMasterId = null);
