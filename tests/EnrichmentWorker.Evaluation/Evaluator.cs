using EnrichmentWorker.Matching;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Evaluation;

/// <summary>What one matcher achieved over the evaluation set.</summary>
public sealed record EvaluationFigures(
    string Name,
    int Albums,
    int Positives,
    int Decoys,
    int Correct,
    int WrongMatches,
    int DecoysAccepted,
    int NeedsReview,
    int Missed,
    int Requests,
    int PositiveRequests,
    int MaxRequests)
{
    /// <summary>Right matches over all matches made (a decoy accepted counts as wrong).</summary>
    public double Precision => Correct + WrongMatches + DecoysAccepted == 0 ? 1 : (double)Correct / (Correct + WrongMatches + DecoysAccepted);

    public double Recall => Positives == 0 ? 0 : (double)Correct / Positives;

    public double MeanRequests => Albums == 0 ? 0 : (double)Requests / Albums;

    public double MeanRequestsPositives => Positives == 0 ? 0 : (double)PositiveRequests / Positives;
}

/// <summary>One album's outcome, for the listing of failures.</summary>
public sealed record CaseResult(EvalCase Case, string Outcome, string? MatchedAs, int Requests, string Detail, string? ReviewedAs = null, string Steps = "")
{
    /// <summary>Matched to the right entity, or, for a near miss, sent to review with the right candidate.</summary>
    public bool IsCorrect => !Case.IsDecoy && (MatchedAs == Case.Entity || (Case.ExpectsReview && ReviewedAs == Case.Entity));

    public bool IsWrong => MatchedAs is not null && MatchedAs != Case.Entity;
}

public sealed record EvaluationReport(EvaluationFigures Matcher, EvaluationFigures Baseline, IReadOnlyList<CaseResult> MatcherResults, IReadOnlyList<CaseResult> BaselineResults);

/// <summary>Runs the matcher and the naive baseline over the labelled set against one <see cref="IDiscogsSearch"/>.</summary>
public sealed class Evaluator(IDiscogsSearch search, MatchingOptions? options = null)
{
    public async Task<EvaluationReport> RunAsync(IReadOnlyList<EvalCase> cases, CancellationToken cancellationToken)
    {
        var counting = new CountingSearch(search);
        var wrapped = Options.Create(options ?? new MatchingOptions());
        var matcher = new AlbumMatcher(counting, new CandidateScorer(wrapped), new MatchDecider(wrapped), new MemoryArtistNames(), wrapped);
        var baseline = new BaselineMatcher(counting);

        var matcherResults = new List<CaseResult>(cases.Count);
        var baselineResults = new List<CaseResult>(cases.Count);
        foreach (var evalCase in cases)
        {
            counting.Reset();
            var decision = await matcher.MatchAsync(evalCase.Tags, cancellationToken);
            if (counting.Requests != decision.RequestsSpent)
            {
                throw new InvalidOperationException($"{evalCase.CaseId}: the matcher reported {decision.RequestsSpent} requests but made {counting.Requests}.");
            }

            matcherResults.Add(new CaseResult(
                evalCase,
                decision.Outcome.ToString(),
                decision.Outcome == MatchOutcome.Matched ? Label(decision) : null,
                counting.Requests,
                decision.Explanation,
                decision.Outcome == MatchOutcome.NeedsReview && decision.Best is { } best ? Label(best.Candidate) : null,
                string.Join(" > ", decision.Queries.Select(static q => $"{q.Step}({q.Results})"))));

            counting.Reset();
            var (match, _) = await baseline.MatchAsync(evalCase.Tags, cancellationToken);
            baselineResults.Add(new CaseResult(
                evalCase,
                match is null ? nameof(MatchOutcome.NoMatch) : nameof(MatchOutcome.Matched),
                match is null ? null : Label(match),
                counting.Searches,
                match is null ? "no candidate reached 0.55" : $"{string.Join(", ", match.Artists)} - {match.Title}"));
        }

        return new EvaluationReport(Figures("matcher", matcherResults), Figures("baseline", baselineResults), matcherResults, baselineResults);
    }

    /// <summary>A decision's answer in the set's terms: the master when there is one, else the release.</summary>
    private static string Label(MatchDecision decision) =>
        decision.MasterId is { } master ? $"master:{master}" : $"release:{decision.ReleaseId}";

    private static string Label(MatchCandidate candidate) =>
        candidate.Kind == CandidateKind.Master ? $"master:{candidate.Id}"
        : candidate.MasterId is > 0 ? $"master:{candidate.MasterId}"
        : $"release:{candidate.Id}";

    private static EvaluationFigures Figures(string name, List<CaseResult> results) =>
        new(
            name,
            results.Count,
            results.Count(static r => !r.Case.IsDecoy),
            results.Count(static r => r.Case.IsDecoy),
            results.Count(static r => r.IsCorrect),
            results.Count(static r => !r.Case.IsDecoy && r.IsWrong),
            results.Count(static r => r.Case.IsDecoy && r.MatchedAs is not null),
            results.Count(static r => r.Outcome == nameof(MatchOutcome.NeedsReview)),
            results.Count(static r => !r.Case.IsDecoy && r.MatchedAs is null),
            results.Sum(static r => r.Requests),
            results.Where(static r => !r.Case.IsDecoy).Sum(static r => r.Requests),
            results.Count == 0 ? 0 : results.Max(static r => r.Requests));
}
