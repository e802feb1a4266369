using EnrichmentWorker.DiscogsSimulator;

namespace EnrichmentWorker.Evaluation;

/// <summary>Finds the harness's files from wherever it runs (bin folder, test runner, repo root), as the simulator finds its data.</summary>
public static class RepositoryPaths
{
    public static string CatalogCsv => CatalogFile.DefaultPath;

    /// <summary>Beside the catalogue's tests/discogs-data: tests/EnrichmentWorker.Evaluation/eval-set.csv.</summary>
    public static string EvalSetCsv =>
        Path.Combine(Directory.GetParent(DiscogsSimulatorServer.FindDataDirectory())!.FullName, "EnrichmentWorker.Evaluation", "eval-set.csv");
}
