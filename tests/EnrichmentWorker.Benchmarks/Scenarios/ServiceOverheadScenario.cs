using EnrichmentWorker.Benchmarks.Library;
using EnrichmentWorker.Benchmarks.Support;
using EnrichmentWorker.Jobs;
using static EnrichmentWorker.Benchmarks.Support.Stats;

namespace EnrichmentWorker.Benchmarks.Scenarios;

/// <summary>
/// What the service itself costs per album with the network taken out: the simulator answers at once and never rate
/// limits, and the service's budget is far above anything it can spend. CPU is the service process's own user +
/// system time (the simulator runs in the harness, the import in its own process), so it is the service's overhead.
/// The rate is Hangfire album jobs per second (dispatch, Hangfire's fetch and state changes, the job's own work) with
/// <see cref="Workers"/> Hangfire workers, so the network's absence, not the worker count, is what is measured.
/// </summary>
public sealed class ServiceOverheadScenario : IScenario
{
    // Discogs:RequestsPerMinute's ceiling, spent per 1 s window: 100,000 requests a second is no limit here.
    private const int UnlimitedRequestsPerWindow = 100_000;
    private const string Mode = "genres";
    private const int Workers = 16;

    public string Name => "overhead";

    /// <summary>The harness process's CPU, which includes the in-process simulator's: the other tenant of the cores.</summary>
    private static TimeSpan HarnessCpu()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    public IReadOnlyList<string> Rows(BenchSettings settings) => [FigureNames.CpuPerAlbum, FigureNames.AlbumsPerSecond];

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var count = context.Settings.OverheadAlbums;
        const string database = "bench_overhead";
        var connectionString = await context.Postgres.CreateDatabaseAsync(database, cancellationToken);
        try
        {
            var library = context.Library(count);
            var csv = Path.Combine(context.WorkFolder, "overhead.csv");
            await LibraryCsv.WriteAsync(csv, library, cancellationToken);
            await using var simulator = await SimulatedDiscogs.StartAsync(
                new SimulatorSetup(UnlimitedRequestsPerWindow, TimeSpan.FromSeconds(1), 1, RateLimitEnabled: false), cancellationToken);
            var environment = simulator.ServiceEnvironment(connectionString, UnlimitedRequestsPerWindow, TimeSpan.FromSeconds(1), Mode);
            environment["Jobs__Workers"] = Workers.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await using var service = ServiceChild.Start(environment, "run");
            await service.WaitUntilServingAsync(TimeSpan.FromSeconds(90), cancellationToken);
            // Start-up work (JIT, migrations, identity check) is not per-album cost: let it settle before reading CPU.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var cpuBefore = service.CpuTime;
            var harnessCpuBefore = HarnessCpu();

            await LibraryImporter.ImportAsync(connectionString, csv, library, TimeSpan.FromMinutes(5), cancellationToken);
            var watch = new QueueWatch(connectionString);
            await watch.WaitUntilDoneAsync(count, service, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10),
                c => context.Log($"overhead: {c.Total - c.Live:N0}/{c.Total:N0} done"), cancellationToken);
            var cpu = service.CpuTime - cpuBefore;
            var harnessCpu = HarnessCpu() - harnessCpuBefore;
            var span = await watch.SpanAsync(cancellationToken);
            var workers = $"Jobs:Workers {Workers} (default {new JobQueueOptions().Workers})";

            context.Table.Measured(FigureNames.CpuPerAlbum, $"{F(cpu.TotalMilliseconds / count, 2)} ms", "(≤ 2 ms for 500/s on 1 core)",
                $"{F(cpu.TotalSeconds, 1)} s CPU for {count:N0} albums, {Mode} mode, user+system time of the service process");
            context.Table.Measured(FigureNames.AlbumsPerSecond, F(count / span.Duration.TotalSeconds, 0), FigureNames.TargetOf(FigureNames.AlbumsPerSecond),
                $"{count:N0} albums in {F(span.Duration.TotalSeconds, 1)} s (first Hangfire 'Processing' state to the last album's completion), {workers}, {Environment.ProcessorCount} cores shared with PostgreSQL and the simulator (harness process: {F(harnessCpu.TotalSeconds, 1)} s CPU)");
        }
        finally
        {
            await context.Postgres.DropDatabaseAsync(database);
        }
    }
}
