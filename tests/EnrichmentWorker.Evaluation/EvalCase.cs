using System.Globalization;
using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.Library;
using EnrichmentWorker.Matching;

namespace EnrichmentWorker.Evaluation;

/// <summary>
/// One labelled album: tags as a library would hold them, and the Discogs entity it must match, or none.
/// </summary>
public sealed record EvalCase(string CaseId, string Category, string Artist, string Title, int? Year, string Expected, string Note)
{
    public static readonly string[] Header = ["case_id", "category", "artist", "title", "year", "expected", "note"];

    public bool IsDecoy => Expected == "none";

    /// <summary>A near miss: the album is on Discogs, but the tags are too far off to match; it must go to review with this candidate.</summary>
    public bool ExpectsReview => Expected.StartsWith(ReviewPrefix, StringComparison.Ordinal);

    /// <summary>The entity the album is, without the review prefix.</summary>
    public string Entity => ExpectsReview ? Expected[ReviewPrefix.Length..] : Expected;

    public const string ReviewPrefix = "review:";

    public CandidateKind? ExpectedKind => Entity.StartsWith("master:", StringComparison.Ordinal) ? CandidateKind.Master
        : Entity.StartsWith("release:", StringComparison.Ordinal) ? CandidateKind.Release
        : null;

    public long? ExpectedId => IsDecoy ? null : long.Parse(Entity[(Entity.IndexOf(':', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);

    public AlbumTags Tags => new(Artist, null, Title, Year);

    public IEnumerable<string> Fields() =>
        [CaseId, Category, Artist, Title, Year?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, Expected, Note];

    public static IReadOnlyList<EvalCase> Load(string path) =>
        CsvRecords.Read(path)
            .Skip(1)
            .Where(static f => f.Count >= 7)
            .Select(static f => new EvalCase(f[0], f[1], f[2], f[3], int.TryParse(f[4], CultureInfo.InvariantCulture, out var y) ? y : null, f[5], f[6]))
            .ToList();

    public static void Save(string path, IEnumerable<EvalCase> cases)
    {
        var lines = new List<string> { Csv.Line(Header) };
        lines.AddRange(cases.Select(static c => Csv.Line(c.Fields())));
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
    }
}
