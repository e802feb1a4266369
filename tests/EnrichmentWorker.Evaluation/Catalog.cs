using System.Globalization;
using EnrichmentWorker.DiscogsSimulator;
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
    public static IReadOnlyList<CatalogAlbum> Load(string path) =>
        [.. CatalogFile.Read(path).Select(static row => new CatalogAlbum(
            row.Row,
            row.Title,
            row.Artist,
            row.Year,
            row.MasterId is not null ? CandidateKind.Master : row.ReleaseId is not null ? CandidateKind.Release : null,
            row.MasterId ?? row.ReleaseId,
            row.Genres,
            row.Styles))];
}
