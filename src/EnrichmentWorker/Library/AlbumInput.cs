namespace EnrichmentWorker.Library;

/// <summary>One album as it arrives, validated and ready to write: the tags the library holds for it.</summary>
public sealed record AlbumInput(
    string Source,
    string SourceKey,
    string Artist,
    string? AlbumArtist,
    string Title,
    int? Year,
    int? TrackCount = null,
    string? CatalogNumber = null,
    string? Barcode = null,
    long? DiscogsReleaseId = null,
    long? DiscogsMasterId = null);

/// <summary>
/// What a write did: <see cref="Added"/> new albums (each queued by the database), <see cref="Updated"/> albums whose
/// tags changed (queued again when a tag matching reads changed), <see cref="Unchanged"/> albums already as given.
/// </summary>
public sealed record AlbumUpsertResult(int Received, int Added, int Updated, int Unchanged);
