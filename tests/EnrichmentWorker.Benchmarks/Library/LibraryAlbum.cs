namespace EnrichmentWorker.Benchmarks.Library;

/// <summary>
/// An album as a music library's tags describe it, with the truth the harness knows: the catalogue entry it was
/// drawn from (null for the albums Discogs does not have).
/// </summary>
public sealed record LibraryAlbum(string SourceKey, string Artist, string Title, int? Year, CatalogAlbum? Truth, string Noise);
