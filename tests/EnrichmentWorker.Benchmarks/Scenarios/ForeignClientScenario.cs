using Dapper;
using EnrichmentWorker.Benchmarks.Library;
using EnrichmentWorker.Benchmarks.Support;
using EnrichmentWorker.DiscogsSimulator;
using Npgsql;
using static EnrichmentWorker.Benchmarks.Support.Stats;

namespace EnrichmentWorker.Benchmarks.Scenarios;

/// <summary>
/// Another program on the same IP (issue 16): the real service enriches a library in genres mode while the simulator's
/// foreign client spends 10 % of the limit, 30 % of it, or a third of it in a burst every five windows. Discogs meters
/// per IP, so every foreign request is room the service does not have. Figures, from the simulator's logs over the
/// steady part of each run (one window after the service's first album request, up to the last job claimed, so the
/// start and the last few albums, when fewer jobs are in flight, do not count): 429s per 500 of the service's
/// requests, and the share of what the foreign client left of the limit that the service used.
/// </summary>
public sealed class ForeignClientScenario : IScenario
{
    public string Name => "foreign";

    public IReadOnlyList<string> Rows(BenchSettings settings) =>
        [.. Traffics(settings).SelectMany(t => new[] { FigureNames.ForeignRateLimited(t.Label), FigureNames.ForeignShare(t.Label) })];

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var library = context.Library(context.Settings.ForeignAlbums);
        var csv = Path.Combine(context.WorkFolder, "foreign-library.csv");
        await LibraryCsv.WriteAsync(csv, library, cancellationToken);
        foreach (var (label, traffic) in Traffics(context.Settings))
        {
            await RunBesideAsync(context, label, traffic, library, csv, cancellationToken);
        }
    }

    /// <summary>The three neighbours of issue 16, in requests of the scaled window (those --foreign names).</summary>
    public static IReadOnlyList<(string Label, ForeignTraffic Traffic)> Traffics(BenchSettings settings) =>
    [
        .. new (string Label, ForeignTraffic Traffic)[]
        {
            ("10 %", new ForeignTraffic(Share: 0.1)),
            ("30 %", new ForeignTraffic(Share: 0.3)),
            ("burst", new ForeignTraffic(BurstSize: BenchSettings.RequestsPerWindow / 3, BurstEvery: 5 * settings.Window)),
        }.Where(t => settings.ForeignNeighbours.Contains(t.Label.Split(' ')[0])),
    ];

    private static async Task RunBesideAsync(BenchContext context, string label, ForeignTraffic traffic, IReadOnlyList<LibraryAlbum> library, string csv, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        var database = "bench_foreign_" + new string([.. label.Where(char.IsLetterOrDigit)]);
        var connectionString = await context.Postgres.CreateDatabaseAsync(database, cancellationToken);
        try
        {
            await using var simulator = await SimulatedDiscogs.StartAsync(
                new SimulatorSetup(BenchSettings.RequestsPerWindow, settings.Window, context.ScaledRetryAfterSeconds, RateLimitEnabled: true), cancellationToken);
            await using var service = ServiceChild.Start(
                simulator.ServiceEnvironment(connectionString, BenchSettings.RequestsPerWindow, settings.Window, "genres"), "run");
            await service.WaitUntilServingAsync(TimeSpan.FromSeconds(90), cancellationToken);
            await using var foreign = simulator.StartForeignClient(traffic);

            context.Log($"foreign/{label}: importing {library.Count:N0} albums beside a foreign client ({traffic})");
            await LibraryImporter.ImportAsync(connectionString, csv, library, TimeSpan.FromMinutes(5), cancellationToken);
            var limit = TimeSpan.FromSeconds(library.Count / settings.RequestsPerSecond);
            var watch = new QueueWatch(connectionString);
            await watch.WaitUntilDoneAsync(library.Count, service, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(60) + (limit * 5),
                c => context.Log($"foreign/{label}: {c.Total - c.Live:N0}/{c.Total:N0} done, {simulator.Requests().Count:N0} requests"),
                cancellationToken);

            var requests = simulator.Requests().Where(r => r.IsAlbumWork).ToList();
            var theirs = foreign.Sent;
            DateTime lastClaim;
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                lastClaim = await connection.ExecuteScalarAsync<DateTime>(new CommandDefinition(
                    "SELECT max(createdat) FROM hangfire.state WHERE name = 'Processing'", cancellationToken: cancellationToken));
            }

            await service.StopAsync(TimeSpan.FromSeconds(30));
            Report(context, label, traffic, requests, theirs, new DateTimeOffset(DateTime.SpecifyKind(lastClaim, DateTimeKind.Utc)));
        }
        finally
        {
            await context.Postgres.DropDatabaseAsync(database);
        }
    }

    private static void Report(BenchContext context, string label, ForeignTraffic traffic, List<SimulatedRequest> requests, IReadOnlyList<DateTimeOffset> theirs, DateTimeOffset to)
    {
        var window = context.Settings.Window;
        if (requests.Count == 0)
        {
            throw new InvalidOperationException("The service sent no album request.");
        }

        var from = requests.Min(r => r.At) + window;
        var windows = (to - from) / window;
        var ours = requests.Count(r => r.At >= from && r.At < to);
        var foreignInSpan = theirs.Count(at => at >= from && at < to);
        var left = (windows * BenchSettings.RequestsPerWindow) - foreignInSpan;
        var limited = requests.Count(r => r.Status == 429);
        var steady = $"{F(windows, 1)} steady windows of {F(window.TotalSeconds, 3)} s ({foreignInSpan:N0} foreign requests in them, {traffic})";
        context.Table.Measured(FigureNames.ForeignRateLimited(label), $"{F(limited * 500.0 / requests.Count)} ({limited:N0} in {requests.Count:N0} requests)", "≤ 1",
            "from the simulator's request log, the whole run");
        context.Table.Measured(FigureNames.ForeignShare(label), windows < 3 ? $"{F(ours / left, 3)} (too short to mean much)" : F(ours / left, 3), "≥ 0.90",
            $"{ours:N0} sent of {left:N0} left over {steady}");
    }
}
