using System.Globalization;

namespace EnrichmentWorker.DiscogsSimulator;

/// <summary>
/// One row of tests/discogs-data/catalog/albums.csv (no header: title, artist, year, lists, Discogs URL, artist ids,
/// genres, styles). The URL names a master, or a release for albums that have no master; empty when not on Discogs.
/// </summary>
/// <param name="Row">1-based record number in the file, counting rows that were skipped.</param>
public sealed record CatalogRow(
    int Row,
    string Title,
    string Artist,
    int? Year,
    int ListCount,
    long? MasterId,
    long? ReleaseId,
    IReadOnlyList<long> ArtistIds,
    IReadOnlyList<string> Genres,
    IReadOnlyList<string> Styles);

/// <summary>Reads the catalogue for the simulator, the benchmarks and the evaluation.</summary>
public static class CatalogFile
{
    /// <summary>tests/discogs-data/catalog/albums.csv of this checkout.</summary>
    public static string DefaultPath => Path.Combine(DiscogsSimulatorServer.FindDataDirectory(), "catalog", "albums.csv");

    public static IReadOnlyList<CatalogRow> Read(string path)
    {
        var rows = new List<CatalogRow>();
        var number = 0;
        foreach (var fields in CsvRecords.Read(path))
        {
            number++;
            if (fields.Count < 8)
            {
                continue;
            }

            var url = fields[4];
            long? masterId = null;
            long? releaseId = null;
            var masterIndex = url.IndexOf("/master/", StringComparison.Ordinal);
            var releaseIndex = url.IndexOf("/release/", StringComparison.Ordinal);
            if (masterIndex >= 0)
            {
                masterId = long.Parse(url[(masterIndex + 8)..], CultureInfo.InvariantCulture);
            }
            else if (releaseIndex >= 0)
            {
                releaseId = long.Parse(url[(releaseIndex + 9)..], CultureInfo.InvariantCulture);
            }

            rows.Add(new CatalogRow(
                number,
                fields[0],
                fields[1],
                int.TryParse(fields[2], CultureInfo.InvariantCulture, out var year) ? year : null,
                List(fields[3]).Length,
                masterId,
                releaseId,
                [.. List(fields[5]).Select(static s => long.TryParse(s, CultureInfo.InvariantCulture, out var id) ? id : 0).Where(static id => id > 0)],
                List(fields[6]),
                List(fields[7])));
        }

        return rows;
    }

    private static string[] List(string list) =>
        list.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
