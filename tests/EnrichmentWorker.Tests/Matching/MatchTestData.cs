using EnrichmentWorker.Library;
using EnrichmentWorker.Matching;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Tests.Matching;

/// <summary>Candidates as the Discogs adapter would map them, and the matcher's parts with default options.</summary>
internal static class MatchTestData
{
    public static readonly IOptions<MatchingOptions> Options = Microsoft.Extensions.Options.Options.Create(new MatchingOptions());

    public static CandidateScorer Scorer => new(Options);

    public static MatchDecider Decider => new(Options);

    public static MatchCandidate Master(long id, string artist, string title, int? year) => new()
    {
        Kind = CandidateKind.Master,
        Id = id,
        MasterId = id,
        Title = title,
        Artists = [artist],
        Year = year,
    };

    public static MatchCandidate Release(long id, string artist, string title, int? year, long? masterId = null) => new()
    {
        Kind = CandidateKind.Release,
        Id = id,
        MasterId = masterId,
        Title = title,
        Artists = [artist],
        Year = year,
    };

    public static ScoredCandidate Score(AlbumTags tags, MatchCandidate candidate) =>
        Scorer.Score(CandidateScorer.Prepare(tags), candidate);

    public static MatchDecision Decide(AlbumTags tags, params MatchCandidate[] candidates)
    {
        var album = CandidateScorer.Prepare(tags);
        return Decider.Decide([.. candidates.Select(c => Scorer.Score(album, c))], []);
    }
}
