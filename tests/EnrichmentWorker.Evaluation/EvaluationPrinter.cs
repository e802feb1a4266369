using System.Globalization;

namespace EnrichmentWorker.Evaluation;

public static class EvaluationPrinter
{
    public static void Print(EvaluationReport report, TextWriter output, bool details)
    {
        var m = report.Matcher;
        var b = report.Baseline;
        output.WriteLine();
        output.WriteLine($"{"",-32}{"matcher",12}{"baseline",12}{"target",10}");
        Row("precision", Percent(m.Precision), Percent(b.Precision), ">= 99%");
        Row("recall", Percent(m.Recall), Percent(b.Recall), ">= 92%");
        Row("correct matches", Count(m.Correct), Count(b.Correct), string.Empty);
        Row("wrong matches", Count(m.WrongMatches), Count(b.WrongMatches), string.Empty);
        Row("decoys accepted", Count(m.DecoysAccepted), Count(b.DecoysAccepted), "<= 1");
        Row("needs_review", Count(m.NeedsReview), "n/a", string.Empty);
        Row("missed (no match or review)", Count(m.Missed), Count(b.Missed), string.Empty);
        Row("mean requests per album", Mean(m.MeanRequests), Mean(b.MeanRequests), "<= 1.3");
        Row("  ... per album to match", Mean(m.MeanRequestsPositives), Mean(b.MeanRequestsPositives), string.Empty);
        Row("max requests for one album", Count(m.MaxRequests), Count(b.MaxRequests), "<= 4");

        output.WriteLine();
        output.WriteLine("By category (matcher: correct / albums, wrong, review; decoys: accepted):");
        foreach (var group in report.MatcherResults.GroupBy(static r => r.Case.Category))
        {
            var decoy = group.First().Case.IsDecoy;
            output.WriteLine(decoy
                ? $"  {group.Key,-28} decoys {group.Count(),3}  accepted {group.Count(static r => r.MatchedAs is not null)}  review {group.Count(static r => r.Outcome == "NeedsReview")}  requests {group.Average(static r => r.Requests):0.00}"
                : $"  {group.Key,-28} {group.Count(static r => r.IsCorrect),3} / {group.Count(),3}  wrong {group.Count(static r => r.IsWrong)}  review {group.Count(static r => r.Outcome == "NeedsReview")}  requests {group.Average(static r => r.Requests):0.00}");
        }

        if (details)
        {
            output.WriteLine();
            output.WriteLine("Matcher misses and wrong matches:");
            foreach (var r in report.MatcherResults.Where(static r => r.IsWrong || (!r.Case.IsDecoy && !r.IsCorrect)))
            {
                output.WriteLine($"  {r.Case.CaseId}: '{r.Case.Artist} - {r.Case.Title}' ({r.Case.Year}) expected {r.Case.Expected}, got {r.Outcome} {r.MatchedAs} after {r.Requests} request(s): {r.Detail}");
            }
        }

        void Row(string label, string matcher, string baseline, string target) =>
            output.WriteLine($"{label,-32}{matcher,12}{baseline,12}{target,10}");
    }

    private static string Percent(double value) => value.ToString("P1", CultureInfo.InvariantCulture);

    private static string Mean(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
