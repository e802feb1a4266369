namespace EnrichmentWorker.Evaluation;

/// <summary>Finds files of the repository from wherever the harness runs (bin folder, test runner, repo root).</summary>
public static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            {
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "EnrichmentWorker.sln")))
                    {
                        return dir.FullName;
                    }
                }
            }

            throw new InvalidOperationException("Cannot find the repository root (the folder holding EnrichmentWorker.sln) above " + AppContext.BaseDirectory + ".");
        }
    }

    public static string CatalogCsv => Path.Combine(Root, "tests", "discogs-data", "catalog", "albums.csv");

    public static string EvalSetCsv => Path.Combine(Root, "tests", "EnrichmentWorker.Evaluation", "eval-set.csv");
}
