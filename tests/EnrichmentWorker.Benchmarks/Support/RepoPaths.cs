namespace EnrichmentWorker.Benchmarks.Support;

/// <summary>Finds the checkout (the folder holding EnrichmentWorker.sln) from the binary's folder, as the tests do.</summary>
public static class RepoPaths
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EnrichmentWorker.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No EnrichmentWorker.sln above {AppContext.BaseDirectory}: run the harness from a checkout.");
    }

    public static string DiscogsData() => Path.Combine(Root(), "tests", "discogs-data");

    public static string CatalogCsv() => Path.Combine(DiscogsData(), "catalog", "albums.csv");
}
