namespace EnrichmentWorker.Library;

/// <summary>One album as it arrives, validated and ready to write: where it comes from and the tags the library holds.</summary>
/// <param name="Source">The library it comes from (a music folder, an import's --source, an API caller's name).</param>
/// <param name="SourceKey">Its key within that source; (source, source key) identifies the album across writes.</param>
public sealed record AlbumInput(string Source, string SourceKey, AlbumTags Tags);

/// <summary>
/// What a write did: <see cref="Added"/> new albums (each queued by the database), <see cref="Updated"/> albums whose
/// tags changed (queued again when a tag matching reads changed), <see cref="Unchanged"/> albums already as given.
/// </summary>
public sealed record AlbumUpsertResult(int Received, int Added, int Updated, int Unchanged);
