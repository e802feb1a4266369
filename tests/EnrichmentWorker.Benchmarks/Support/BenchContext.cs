using EnrichmentWorker.Benchmarks.Library;

namespace EnrichmentWorker.Benchmarks.Support;

/// <summary>What every scenario shares in one harness run.</summary>
public sealed class BenchContext(BenchSettings settings, FigureTable table, BenchPostgres postgres, IReadOnlyList<CatalogAlbum> catalog, string workFolder, TextWriter log)
{
    public BenchSettings Settings { get; } = settings;

    public FigureTable Table { get; } = table;

    public BenchPostgres Postgres { get; } = postgres;

    public IReadOnlyList<CatalogAlbum> Catalog { get; } = catalog;

    /// <summary>A temporary folder for generated files, removed with the run.</summary>
    public string WorkFolder { get; } = workFolder;

    /// <summary>Progress lines (not figures), so a long run shows what it is doing.</summary>
    public void Log(string line) => log.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");

    public IReadOnlyList<LibraryAlbum> Library(int count) =>
        LibraryGenerator.Generate(Catalog, count, Settings.AbsentShare, Settings.Seed);

    /// <summary>Retry-After scaled like the window: Discogs says 60 s; whole seconds only, so at least 1.</summary>
    public int ScaledRetryAfterSeconds => Math.Max(1, (int)Math.Round(60 / Settings.Scale));
}

/// <summary>One group of figures, measured on its own database and its own service process.</summary>
public interface IScenario
{
    string Name { get; }

    /// <summary>The rows this scenario prints, so one that ends early still prints each of them (as failed).</summary>
    IReadOnlyList<string> Rows(BenchSettings settings);

    Task RunAsync(BenchContext context, CancellationToken cancellationToken);
}
