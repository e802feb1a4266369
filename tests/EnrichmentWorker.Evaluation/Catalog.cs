using System.Globalization;
using EnrichmentWorker.Matching;

namespace EnrichmentWorker.Evaluation;

/// <summary>One album of tests/discogs-data/catalog/albums.csv with its Discogs identity.</summary>
public sealed record CatalogAlbum(
    int Row,
    string Title,
    string Artist,
    int? Year,
    CandidateKind? Kind,
    long? Id,
    IReadOnlyList<string> Genres,
    IReadOnlyList<string> Styles)
{
    public bool InDiscogs => Id is not null;

    public string Expected => Kind switch
    {
        CandidateKind.Master => "master:" + Id!.Value.ToString(CultureInfo.InvariantCulture),
        CandidateKind.Release => "release:" + Id!.Value.ToString(CultureInfo.InvariantCulture),
        _ => "none",
    };
}

public static class Catalog
{
    public static IReadOnlyList<CatalogAlbum> Load(string path)
    {
        var albums = new List<CatalogAlbum>();
        var row = 0;
        foreach (var fields in Csv.Read(path))
        {
            row++;
            if (fields.Length < 8)
            {
                continue;
            }

            var url = fields[4];
            CandidateKind? kind = url.Contains("/master/", StringComparison.Ordinal) ? CandidateKind.Master
                : url.Contains("/release/", StringComparison.Ordinal) ? CandidateKind.Release
                : null;
            long? id = kind is null ? null : long.Parse(url[(url.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture);
            albums.Add(new CatalogAlbum(
                row,
                fields[0],
                fields[1],
                int.TryParse(fields[2], CultureInfo.InvariantCulture, out var year) ? year : null,
                kind,
                id,
                Split(fields[6]),
                Split(fields[7])));
        }

        return albums;
    }

    private static string[] Split(string list) =>
        list.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
