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
        Row("precision", Percent(m.Precision), Percent(b.Precision), "100%");
        Row("recall", Percent(m.Recall), Percent(b.Recall), ">= 99%");
        Row("correct matches", Count(m.Correct), Count(b.Correct), string.Empty);
        Row("wrong matches", Count(m.WrongMatches), Count(b.WrongMatches), string.Empty);
        Row("decoys accepted", Count(m.DecoysAccepted), Count(b.DecoysAccepted), "0");
        Row("needs_review", Count(m.NeedsReview), "n/a", string.Empty);
        Row("missed (no match or review)", Count(m.Missed), Count(b.Missed), string.Empty);
        Row("mean requests per album", Mean(m.MeanRequests), Mean(b.MeanRequests), "<= 1.2");
        Row("  ... per album to match", Mean(m.MeanRequestsPositives), Mean(b.MeanRequestsPositives), "<= 1.2");
        Row("max requests for one album", Count(m.MaxRequests), Count(b.MaxRequests), "<= 4");

        output.WriteLine();
        output.WriteLine("By category (matcher: correct / albums, precision, recall, wrong, review; decoys: accepted). A near miss");
        output.WriteLine("counts as correct when it went to review with the right candidate:");
        foreach (var group in report.MatcherResults.GroupBy(static r => r.Case.Category))
        {
            var decoy = group.First().Case.IsDecoy;
            var correct = group.Count(static r => r.IsCorrect);
            var wrong = group.Count(static r => r.IsWrong);
            var precision = correct + wrong == 0 ? 1.0 : (double)correct / (correct + wrong);
            output.WriteLine(decoy
                ? $"  {group.Key,-28} decoys {group.Count(),3}  accepted {group.Count(static r => r.MatchedAs is not null)}  review {group.Count(static r => r.Outcome == "NeedsReview")}  requests {group.Average(static r => r.Requests):0.00}"
                : $"  {group.Key,-28} {correct,3} / {group.Count(),3}  precision {Percent(precision),7}  recall {Percent((double)correct / group.Count()),7}  wrong {wrong}  review {group.Count(static r => r.Outcome == "NeedsReview")}  requests {group.Average(static r => r.Requests):0.00}");
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
