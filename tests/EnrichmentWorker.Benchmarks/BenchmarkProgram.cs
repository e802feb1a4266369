using System.Diagnostics;
using System.Globalization;
using EnrichmentWorker.Benchmarks.Library;
using EnrichmentWorker.Benchmarks.Scenarios;
using EnrichmentWorker.Benchmarks.Support;

namespace EnrichmentWorker.Benchmarks;

public sealed record BenchResult(int ExitCode, IReadOnlyList<Figure> Figures, IReadOnlyList<string> ExpectedRows, string Report);

/// <summary>
/// The benchmark harness: a private PostgreSQL, the Discogs simulator and the real service binary as child processes,
/// and a table of figures, each a ratio to the configured budget so it means the same at any scale.
/// </summary>
public static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        var result = await RunAsync(args, Console.Out, cancel.Token);
        return result.ExitCode;
    }

    /// <summary>Runs the harness; the CI smoke test calls this with <c>--smoke</c>.</summary>
    public static async Task<BenchResult> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        BenchSettings settings;
        try
        {
            settings = BenchSettings.Parse(args);
        }
        catch (BenchUsageException ex)
        {
            await output.WriteLineAsync(ex.Message + "\n\n" + BenchSettings.Usage);
            return new BenchResult(64, [], [], "");
        }

        var table = new FigureTable();
        var clock = Stopwatch.StartNew();
        var workFolder = Path.Combine(Path.GetTempPath(), "ewbench-files-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(workFolder);
        string postgresVersion;
        try
        {
            await output.WriteLineAsync(Configuration(settings, "starting"));
            var catalog = CatalogAlbum.ReadAll(DiscogsSimulator.CatalogFile.DefaultPath);
            await using var postgres = await BenchPostgres.StartAsync(cancellationToken);
            postgresVersion = await postgres.VersionAsync(cancellationToken);
            var context = new BenchContext(settings, table, postgres, catalog, workFolder, output);
            foreach (var scenario in AllScenarios().Where(s => settings.Runs(s.Name)))
            {
                await RunScenarioAsync(context, scenario, cancellationToken);
            }
        }
        finally
        {
            TryDelete(workFolder);
        }

        var report = $"""

            {Configuration(settings, $"PostgreSQL {postgresVersion}; harness ran {clock.Elapsed.TotalSeconds:0} s")}

            {table.Render()}
            """;
        await output.WriteLineAsync(report);
        var failed = table.Rows.Any(r => r.Status == FigureStatus.Failed);
        return new BenchResult(failed ? 1 : 0, table.Rows, FigureNames.Expected(settings), report);
    }

    private static IEnumerable<IScenario> AllScenarios() =>
    [
        new EnrichmentScenario(),
        new PickupLatencyScenario(),
        new ServiceOverheadScenario(),
        new ImportScaleScenario(),
        new DashboardLatencyScenario(),
        new MatchingThroughputScenario(),
        new DumpScenario(),
        new MusicFolderScanScenario(),
        new ServiceMemoryScenario(),
        new ForeignClientScenario(),
    ];

    private static async Task RunScenarioAsync(BenchContext context, IScenario scenario, CancellationToken cancellationToken)
    {
        var before = context.Table.Rows.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        context.Log($"{scenario.Name}: starting");
        string? failure = null;
        string? pending = null;
        try
        {
            await scenario.RunAsync(context, cancellationToken);
        }
        catch (PendingException ex)
        {
            pending = ex.Message;
            context.Log($"{scenario.Name}: pending: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = ex.GetType().Name + ": " + FirstLine(ex.Message);
            context.Log($"{scenario.Name}: failed: {ex}");
        }

        context.Log($"{scenario.Name}: done in {clock.Elapsed.TotalSeconds:0.0} s");
        var printed = context.Table.Rows.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var row in scenario.Rows(context.Settings).Where(r => !printed.Contains(r) || before.Contains(r)))
        {
            if (pending is not null)
            {
                context.Table.Pending(row, pending);
            }
            else
            {
                context.Table.Failed(row, failure ?? "the scenario ended without measuring it");
            }
        }
    }

    private static string Configuration(BenchSettings s, string extra) => string.Join('\n',
    [
        $"EnrichmentWorker benchmark{(s.Smoke ? " (SMOKE: tiny sizes, figures have no timing meaning)" : "")}",
        $"  date:    {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC",
        $"  machine: {MachineInfo.Describe()}",
        $"  budget:  {BenchSettings.RequestsPerWindow} requests per moving {s.Window.TotalSeconds:0.###} s window " +
        $"(Discogs' 60 per 60 s at scale {s.Scale:0.##}: 1 real second = {s.Scale / 60:0.##} simulated minutes)",
        $"  library: {s.Albums:N0} albums from tests/discogs-data/catalog/albums.csv with tag noise, {s.AbsentShare:P0} absent from Discogs, seed {s.Seed}",
        $"  modes:   {string.Join(", ", s.Modes)}; scenarios: {string.Join(", ", BenchSettings.Scenarios.Where(s.Runs))}",
        $"  sizes:   overhead {s.OverheadAlbums:N0} albums; imports {s.LargeImport:N0} and {s.HugeImport:N0}; dashboard {s.DashboardJobs:N0} albums; pickup {s.PickupSamples} samples",
        $"  {extra}",
    ]);

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline];
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
