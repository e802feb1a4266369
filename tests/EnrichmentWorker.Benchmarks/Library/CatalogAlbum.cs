using EnrichmentWorker.DiscogsSimulator;

namespace EnrichmentWorker.Benchmarks.Library;

/// <summary>One album of tests/discogs-data/catalog/albums.csv: real titles, artists, years and master ids.</summary>
public sealed record CatalogAlbum(string Title, string Artist, int? Year, long? MasterId, long? ReleaseId, IReadOnlyList<string> Genres)
{
    /// <summary>Reads the catalogue file; a master id, or a release id for albums that have no master on Discogs.</summary>
    public static IReadOnlyList<CatalogAlbum> ReadAll(string path) =>
        [.. CatalogFile.Read(path).Select(static row => new CatalogAlbum(row.Title, row.Artist, row.Year, row.MasterId, row.ReleaseId, row.Genres))];
}
