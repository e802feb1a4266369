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
            else if (candidate.AlbumKey != best.AlbumKey && !RepresentedByMaster(candidate, candidates))
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

        if (IsNearMiss(best))
        {
            return Review(
                MatchReason.NearMiss,
                string.Create(CultureInfo.InvariantCulture, $"Artist and year agree exactly with {Describe(best)}, but the titles do not ({best.Fields.First(static f => f.Field == MatchField.Title).Compared} scored {best.Similarity(MatchField.Title):0.##}): is it the same album under another name?"),
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

    /// <summary>
    /// Exact artist, exact year and a title that shares something with the album's: too little to match, but one
    /// click for a person (a title tagged by a nickname, a shortened or translated title) rather than no match.
    /// </summary>
    private static bool IsNearMiss(ScoredCandidate best) =>
        best.Similarity(MatchField.Artist) >= 1.0 && best.Similarity(MatchField.Year) >= 1.0
        && (best.Similarity(MatchField.Title) > 0 || IsSelfTitled(best.Candidate));

    /// <summary>A self-titled album on Discogs: the one a library most often tags by a nickname that shares no word with it.</summary>
    private static bool IsSelfTitled(MatchCandidate candidate)
    {
        var title = TitleNormalizer.Normalize(candidate.Title).Variants[0];
        var artist = ArtistNormalizer.Normalize(candidate.Artists).Whole;
        return !title.IsEmpty && (title.CompactKey == artist.CompactKey || title.CompactKey == "the" + artist.CompactKey);
    }

    /// <summary>
    /// A release whose master is among the candidates competes through its master: its own year is a reissue's, no
    /// evidence of which album it is (a 2020 pressing of Weezer's 2016 album must not crowd the 2019 one).
    /// </summary>
    private static bool RepresentedByMaster(ScoredCandidate candidate, IReadOnlyList<ScoredCandidate> candidates) =>
        candidate.Candidate.Kind == CandidateKind.Release && candidate.Candidate.MasterId is > 0 and var masterId
        && candidates.Any(c => c.Candidate.Kind == CandidateKind.Master && c.Candidate.Id == masterId);

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
