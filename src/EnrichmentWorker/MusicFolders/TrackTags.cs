namespace EnrichmentWorker.MusicFolders;

/// <summary>The album-level tags of one audio file, as the taggers wrote them (null: not there).</summary>
public sealed record TrackTags(
    string? Album,
    string? AlbumArtist,
    string? Artist,
    int? Year,
    int? Disc,
    bool Compilation,
    string? CatalogNumber,
    string? Barcode,
    long? DiscogsReleaseId,
    string? MusicBrainzAlbumId);

/// <summary>One audio file under a root as the last scan saw it: its size and time, and its tags or why none.</summary>
public sealed record TrackFile(string Path, long Size, DateTime ModifiedUtc, TrackTags? Tags, string? Problem);
