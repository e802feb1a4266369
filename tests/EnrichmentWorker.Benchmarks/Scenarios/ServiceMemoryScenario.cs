using System.Diagnostics;
using System.Globalization;
using System.Net;
using Dapper;
using EnrichmentWorker.Benchmarks.Library;
using EnrichmentWorker.Benchmarks.Support;
using Npgsql;
using static EnrichmentWorker.Benchmarks.Support.Stats;

namespace EnrichmentWorker.Benchmarks.Scenarios;

/// <summary>
/// The service's memory as a user sees it: a library enriching under the scaled budget while the dashboard serves
/// 2,000 requests, 20 at a time (overview, job lists, album pages, the review queue, the JSON the overview polls). The figure is the
/// peak resident set (VmHWM); the note splits the resident set after the load into anonymous memory (GC heap, native
/// allocations, JIT code) and file-backed pages (the runtime and assemblies mapped from disk), and gives what the
/// PostgreSQL it used holds: with the embedded default that runs in the service's cgroup, so systemd's "Memory:" line
/// counts both.
/// </summary>
public sealed class ServiceMemoryScenario : IScenario
{
    private const string Mode = "genres";

    public string Name => "memory";

    public IReadOnlyList<string> Rows(BenchSettings settings) => [FigureNames.PeakMemoryDashboard];

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        const string database = "bench_memory";
        var connectionString = await context.Postgres.CreateDatabaseAsync(database, cancellationToken);
        try
        {
            var library = context.Library(settings.Albums);
            var csv = Path.Combine(context.WorkFolder, "memory.csv");
            await LibraryCsv.WriteAsync(csv, library, cancellationToken);
            await using var simulator = await SimulatedDiscogs.StartAsync(
                new SimulatorSetup(BenchSettings.RequestsPerWindow, settings.Window, context.ScaledRetryAfterSeconds, RateLimitEnabled: true), cancellationToken);
            var environment = simulator.ServiceEnvironment(connectionString, BenchSettings.RequestsPerWindow, settings.Window, Mode);
            foreach (var (key, value) in ParseVariant(Environment.GetEnvironmentVariable("BENCH_MEMORY_ENV")))
            {
                environment[key] = value;
            }

            await using var service = ServiceChild.Start(environment, "run");
            await service.WaitUntilServingAsync(TimeSpan.FromSeconds(90), cancellationToken);
            await LibraryImporter.ImportAsync(connectionString, csv, library, TimeSpan.FromMinutes(5), cancellationToken);
            var albumIds = await AlbumIdsAsync(connectionString, cancellationToken);
            var afterStart = ServiceChild.ReadStatus(service.ProcessId);

            var clock = Stopwatch.StartNew();
            var (served, failed) = await LoadAsync(service.BaseUrl, albumIds, settings.MemoryRequests, settings.MemoryConcurrency, cancellationToken);
            var elapsed = clock.Elapsed;
            var peak = service.PeakWorkingSetBytes;
            var after = ServiceChild.ReadStatus(service.ProcessId);
            var databaseBytes = context.Postgres.ProportionalResidentBytes();
            var done = await ScalarAsync(connectionString, "SELECT count(*) FROM album_matches", cancellationToken);
            context.Log($"memory: {served} requests in {elapsed.TotalSeconds:0.0} s; peak {Mb(peak)}; {Describe(after)}");
            if (failed.Count > 0)
            {
                throw new InvalidOperationException("dashboard requests did not answer 200: " + string.Join(", ", failed.Take(5)));
            }

            context.Table.Measured(FigureNames.PeakMemoryDashboard, Mb(peak), "< 200 MB",
                $"VmHWM while serving {served:N0} dashboard requests, {settings.MemoryConcurrency} at a time, in {F(elapsed.TotalSeconds, 1)} s, with {done:N0} of {library.Count:N0} albums enriched meanwhile; " +
                $"resident after start-up {Describe(afterStart)}, after the load {Describe(after)}; the PostgreSQL it used, embedded the same way: {Mb(databaseBytes)} (Pss of the postmaster and its backends)" +
                (Environment.GetEnvironmentVariable("BENCH_MEMORY_ENV") is { Length: > 0 } variant ? $"; with {variant}" : ""));
        }
        finally
        {
            await context.Postgres.DropDatabaseAsync(database);
        }
    }

    private static string Describe(IReadOnlyDictionary<string, long> status) =>
        $"{Mb(status.GetValueOrDefault("VmRSS"))} (anonymous {Mb(status.GetValueOrDefault("RssAnon"))}, files {Mb(status.GetValueOrDefault("RssFile"))})";

    /// <summary>"A=1;B=2": extra environment for the service, to compare settings without a rebuild.</summary>
    private static IEnumerable<(string Key, string Value)> ParseVariant(string? text) =>
        (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => (parts[0], parts.Length > 1 ? parts[1] : ""));

    private static async Task<(int Served, IReadOnlyList<string> Failed)> LoadAsync(Uri baseUrl, IReadOnlyList<long> albumIds, int requests, int concurrency, CancellationToken cancellationToken)
    {
        string[] fixedPages =
        [
            "/dashboard", "/api/overview", "/dashboard/albums", "/hangfire", "/hangfire/jobs/enqueued/default",
            "/hangfire/jobs/succeeded", "/dashboard/review", "/api/history",
        ];
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        var next = -1;
        var failed = new System.Collections.Concurrent.ConcurrentBag<string>();
        var random = new Random(3788);
        var pages = Enumerable.Range(0, requests)
            .Select(i => i % 3 == 2 && albumIds.Count > 0 ? $"/dashboard/albums/{albumIds[random.Next(albumIds.Count)]}" : fixedPages[i % fixedPages.Length])
            .ToArray();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var i && i < pages.Length)
            {
                using var response = await http.GetAsync(new Uri(pages[i], UriKind.Relative), cancellationToken);
                await response.Content.ReadAsByteArrayAsync(cancellationToken);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failed.Add($"{pages[i]} {(int)response.StatusCode}");
                }
            }
        }));
        return (pages.Length, [.. failed.Distinct().Order(StringComparer.Ordinal)]);
    }

    private static async Task<IReadOnlyList<long>> AlbumIdsAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<long>(new CommandDefinition("SELECT id FROM albums", cancellationToken: cancellationToken))];
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, cancellationToken: cancellationToken));
    }
}
