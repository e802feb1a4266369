using System.Globalization;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Matching;

/// <summary>
/// Turns scored candidates into a decision: matched (threshold and margin over the next-best distinct master),
/// needs_review (plausible but not sure), or no_match, each with its reason.
/// </summary>
public sealed class MatchDecider(IOptions<MatchingOptions> options)
{
    private readonly MatchingOptions settings = options.Value;

    public MatchDecision Decide(IReadOnlyList<ScoredCandidate> candidates, IReadOnlyList<QueryAttempt> queries)
    {
        var ordered = Order(candidates);
        ScoredCandidate? best = null;
        ScoredCandidate? runnerUp = null;
        foreach (var candidate in ordered)
        {
            if (!candidate.PassedArtistGate)
            {
                continue;
            }

            if (best is null)
            {
                best = candidate;
            }
            else if (candidate.AlbumKey != best.AlbumKey)
            {
                // The margin is over another album: the same master's releases do not compete with each other.
                runnerUp = candidate;
                break;
            }
        }

        if (best is null)
        {
            return ordered.Count == 0
                ? NoMatch(MatchReason.NoCandidates, "No search returned a candidate.", ordered, queries)
                : NoMatch(
                    MatchReason.ArtistMismatch,
                    string.Create(CultureInfo.InvariantCulture, $"{ordered.Count} candidate(s) found, none by this artist (artist similarity below {settings.ArtistGate:0.##})."),
                    ordered,
                    queries);
        }

        var margin = Math.Round(best.Total - (runnerUp?.Total ?? 0), 4);
        if (best.Total >= settings.MatchThreshold && margin >= settings.Margin)
        {
            return new MatchDecision
            {
                Outcome = MatchOutcome.Matched,
                Reason = MatchReason.Confident,
                Explanation = runnerUp is null
                    ? string.Create(CultureInfo.InvariantCulture, $"Matched {Describe(best)} with a score of {best.Total:0.00}; no other album by this artist was among the candidates.")
                    : string.Create(CultureInfo.InvariantCulture, $"Matched {Describe(best)} with a score of {best.Total:0.00}, {margin:0.00} ahead of the next album, {Describe(runnerUp)}."),
                Best = best,
                MasterId = MasterOf(best.Candidate),
                ReleaseId = best.Candidate.Kind == CandidateKind.Release ? best.Candidate.Id : null,
                Score = best.Total,
                Margin = margin,
                Candidates = ordered,
                Queries = queries,
            };
        }

        if (best.Total >= settings.MatchThreshold)
        {
            return Review(
                MatchReason.Ambiguous,
                string.Create(CultureInfo.InvariantCulture, $"{Describe(best)} scored {best.Total:0.###} but {Describe(runnerUp!)} scored {runnerUp!.Total:0.###}: a lead of {margin:0.###} is less than {settings.Margin:0.###}."),
                best,
                margin,
                ordered,
                queries);
        }

        if (best.Total >= settings.ReviewThreshold)
        {
            return Review(
                MatchReason.BelowThreshold,
                string.Create(CultureInfo.InvariantCulture, $"The best candidate, {Describe(best)}, scored {best.Total:0.###}, below the {settings.MatchThreshold:0.###} needed to match."),
                best,
                margin,
                ordered,
                queries);
        }

        return NoMatch(
            MatchReason.LowScore,
            string.Create(CultureInfo.InvariantCulture, $"The best candidate by this artist, {Describe(best)}, scored only {best.Total:0.###}."),
            ordered,
            queries) with { Best = best, Score = best.Total };
    }

    /// <summary>Whether a decision is final, so that no further request could change it for the better.</summary>
    public static bool IsSettled(MatchDecision decision) =>
        decision.Outcome == MatchOutcome.Matched || decision.Reason == MatchReason.Ambiguous;

    private static List<ScoredCandidate> Order(IReadOnlyList<ScoredCandidate> candidates)
    {
        var ordered = new List<ScoredCandidate>(candidates);

        // Best first; among equals, gate-passers first, then masters before their releases (the master is the album).
        ordered.Sort(static (a, b) =>
        {
            var byTotal = b.Total.CompareTo(a.Total);
            if (byTotal != 0)
            {
                return byTotal;
            }

            var byGate = b.PassedArtistGate.CompareTo(a.PassedArtistGate);
            return byGate != 0 ? byGate : a.Candidate.Kind.CompareTo(b.Candidate.Kind);
        });
        return ordered;
    }

    private static long? MasterOf(MatchCandidate candidate) =>
        candidate.Kind == CandidateKind.Master ? candidate.Id : candidate.MasterId is > 0 ? candidate.MasterId : null;

    private static MatchDecision Review(MatchReason reason, string explanation, ScoredCandidate best, double margin, List<ScoredCandidate> ordered, IReadOnlyList<QueryAttempt> queries) =>
        new()
        {
            Outcome = MatchOutcome.NeedsReview,
            Reason = reason,
            Explanation = explanation,
            Best = best,
            Score = best.Total,
            Margin = margin,
            Candidates = ordered,
            Queries = queries,
        };

    private static MatchDecision NoMatch(MatchReason reason, string explanation, List<ScoredCandidate> ordered, IReadOnlyList<QueryAttempt> queries) =>
        new()
        {
            Outcome = MatchOutcome.NoMatch,
            Reason = reason,
            Explanation = explanation,
            Candidates = ordered,
            Queries = queries,
        };

    private static string Describe(ScoredCandidate candidate) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{candidate.Candidate.Kind.ToString().ToLowerInvariant()} {candidate.Candidate.Id} '{string.Join(", ", candidate.Candidate.Artists)} - {candidate.Candidate.Title}'");
}
