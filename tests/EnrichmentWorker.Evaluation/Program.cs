using System.Globalization;
using EnrichmentWorker.Evaluation;

// The matcher's evaluation harness:
//   dotnet run --project tests/EnrichmentWorker.Evaluation                 evaluate the matcher and the baseline
//   dotnet run --project tests/EnrichmentWorker.Evaluation -- --details    ... and list every miss and wrong match
//   dotnet run --project tests/EnrichmentWorker.Evaluation -- --bench      scoring micro-benchmark
//   dotnet run --project tests/EnrichmentWorker.Evaluation -- --generate   rewrite eval-set.csv from the catalogue
var catalog = Catalog.Load(RepositoryPaths.CatalogCsv);

if (args.Contains("--generate"))
{
    var cases = new EvalSetGenerator(catalog, await EvaluationSearch.NumberedArtistsAsync(CancellationToken.None)).Generate();
    EvalCase.Save(RepositoryPaths.EvalSetCsv, cases);
    Console.WriteLine($"Wrote {cases.Count} cases ({cases.Count(static c => !c.IsDecoy)} to match, {cases.Count(static c => c.IsDecoy)} decoys) to {RepositoryPaths.EvalSetCsv}.");
    return 0;
}

if (args.Contains("--bench"))
{
    ScoringBenchmark.Run(catalog, Console.Out);
    return 0;
}

var set = EvalCase.Load(RepositoryPaths.EvalSetCsv);
await using var source = await EvaluationSearch.CreateAsync(catalog, args.Contains("--in-memory"), CancellationToken.None);
Console.WriteLine($"Evaluation set: {set.Count} albums ({set.Count(static c => !c.IsDecoy)} to match, {set.Count(static c => c.IsDecoy)} decoys), against {source.Description}.");
var report = await new Evaluator(source.Search).RunAsync(set, CancellationToken.None);
EvaluationPrinter.Print(report, Console.Out, args.Contains("--details"));
if (source.SimulatorRequests is { } answered)
{
    Console.WriteLine($"The simulator answered {answered} requests (matcher and baseline together: {report.Matcher.Requests + report.Baseline.Requests} counted).");
}

if (args.Contains("--requests"))
{
    foreach (var r in report.MatcherResults.Where(static r => r.Requests > 1))
    {
        Console.WriteLine($"  {r.Case.CaseId}: '{r.Case.Artist} - {r.Case.Title}' {r.Requests} requests ({r.Steps}), {r.Outcome}: {r.Detail}");
    }
}
return 0;
