using EnrichmentWorker.Evaluation;

namespace EnrichmentWorker.Tests.Matching;

/// <summary>
/// The matcher over the labelled evaluation set against the Discogs simulator (through the real client and adapter):
/// the figures must stay at or above the targets, so a regression fails CI.
/// </summary>
public sealed class EvaluationTests
{
    private static EvaluationReport report = null!;

    [OneTimeSetUp]
    public static async Task RunTheEvaluationOnce()
    {
        var catalog = Catalog.Load(RepositoryPaths.CatalogCsv);
        await using var source = await EvaluationSearch.CreateAsync(catalog, inMemory: false, CancellationToken.None);
        report = await new Evaluator(source.Search).RunAsync(EvalCase.Load(RepositoryPaths.EvalSetCsv), CancellationToken.None);
    }

    [Test]
    public void The_set_holds_at_least_300_albums_to_match_and_50_that_must_not()
    {
        Assert.That(report.Matcher.Positives, Is.GreaterThanOrEqualTo(300));
        Assert.That(report.Matcher.Decoys, Is.GreaterThanOrEqualTo(50));
    }

    [Test]
    public void No_album_is_matched_wrongly() =>
        Assert.That((report.Matcher.Precision, report.Matcher.WrongMatches), Is.EqualTo((1.0, 0)), Failures());

    [Test]
    public void Every_class_of_albums_keeps_a_precision_of_one()
    {
        var wrongByClass = report.MatcherResults.Where(static r => r.IsWrong).GroupBy(static r => r.Case.Category).Select(static g => g.Key);
        Assert.That(wrongByClass, Is.Empty, Failures());
    }

    [Test]
    public void Recall_is_at_least_99_percent_of_the_albums_on_Discogs() =>
        Assert.That(report.Matcher.Recall, Is.GreaterThanOrEqualTo(0.99), Failures());

    [Test]
    public void No_decoy_is_accepted() =>
        Assert.That(report.Matcher.DecoysAccepted, Is.Zero, Failures());

    [Test]
    public void A_near_miss_goes_to_review_with_the_right_candidate_instead_of_no_match()
    {
        var nearMisses = report.MatcherResults.Where(static r => r.Case.ExpectsReview).ToList();
        Assert.That(nearMisses, Is.Not.Empty);
        Assert.That(nearMisses.Where(static r => !r.IsCorrect).Select(static r => $"{r.Case.CaseId}: {r.Outcome} {r.Detail}"), Is.Empty);
    }

    [Test]
    public void Deciding_an_album_costs_at_most_1_2_requests_on_average_decoys_included_and_none_more_than_4()
    {
        Assert.That(report.Matcher.MeanRequests, Is.LessThanOrEqualTo(1.2));
        Assert.That(report.Matcher.MeanRequestsPositives, Is.LessThanOrEqualTo(1.2));
        Assert.That(report.Matcher.MaxRequests, Is.LessThanOrEqualTo(4));
    }

    [Test]
    public void The_matcher_beats_the_naive_baseline()
    {
        Assert.That(report.Matcher.Recall, Is.GreaterThan(report.Baseline.Recall));
        Assert.That(report.Matcher.DecoysAccepted, Is.LessThan(report.Baseline.DecoysAccepted));
    }

    private static string Failures() => string.Join(
        Environment.NewLine,
        report.MatcherResults.Where(r => r.IsWrong || (!r.Case.IsDecoy && !r.IsCorrect))
            .Select(r => $"{r.Case.CaseId}: {r.Case.Artist} - {r.Case.Title} expected {r.Case.Expected}, got {r.Outcome} {r.MatchedAs}: {r.Detail}"));
}
