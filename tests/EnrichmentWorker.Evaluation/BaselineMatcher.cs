using System.Text;
using EnrichmentWorker.Library;
using EnrichmentWorker.Matching;

namespace EnrichmentWorker.Evaluation;

/// <summary>
/// The users' rule implemented naively, as the older pipeline did: ASCII-only tokens (anything else is dropped, so
/// "Beyoncé" becomes "beyonc" and a CJK title becomes nothing), similarity = overlap / size of the larger token set,
/// 0.6 title + 0.3 artist + 0.1 year (equal years only), accept the best candidate at 0.55, no artist gate, no margin.
/// Query: the raw tags as a full-text search, then the raw title alone when that finds nothing.
/// </summary>
public sealed class BaselineMatcher(IDiscogsSearch search)
{
    public const double Threshold = 0.55;

    public async Task<(MatchCandidate? Match, int Requests)> MatchAsync(AlbumTags tags, CancellationToken cancellationToken)
    {
        var requests = 1;
        var results = await search.SearchAsync(new CandidateSearch { Query = tags.Artist + " " + tags.Title }, cancellationToken);
        if (results.Count == 0)
        {
            requests++;
            results = await search.SearchAsync(new CandidateSearch { Query = tags.Title }, cancellationToken);
        }

        var title = Tokens(tags.Title);
        var artist = Tokens(tags.Artist);
        MatchCandidate? best = null;
        var bestScore = 0.0;
        foreach (var candidate in results)
        {
            var score = (0.6 * Overlap(title, Tokens(candidate.Title)))
                + (0.3 * Overlap(artist, Tokens(string.Join(" ", candidate.Artists))))
                + (0.1 * (tags.Year is not null && tags.Year == candidate.Year ? 1 : 0));
            if (score > bestScore)
            {
                (best, bestScore) = (candidate, score);
            }
        }

        return (bestScore >= Threshold ? best : null, requests);
    }

    private static double Overlap(HashSet<string> a, HashSet<string> b) =>
        a.Count == 0 || b.Count == 0 ? 0 : (double)a.Intersect(b).Count() / Math.Max(a.Count, b.Count);

    private static HashSet<string> Tokens(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            builder.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or ' ' ? c : c < 128 ? ' ' : '\0');
        }

        return builder.ToString().Replace("\0", string.Empty, StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
    }
}
