using System.Diagnostics;
using Dapper;
using EnrichmentWorker.Benchmarks.Dumps;
using EnrichmentWorker.Benchmarks.Library;
using EnrichmentWorker.Benchmarks.Support;
using EnrichmentWorker.Dumps;
using EnrichmentWorker.Library;
using EnrichmentWorker.Matching;
using Microsoft.Extensions.Options;
using Npgsql;
using static EnrichmentWorker.Benchmarks.Support.Stats;

namespace EnrichmentWorker.Benchmarks.Scenarios;

/// <summary>
/// Discogs' monthly dumps (issue 17): a dump generated at full scale in the real XML shape, imported by the real
/// binary's <c>dump import</c> (time, peak memory, rows/s), the local candidate lookup timed at that size, and the
/// library enriched in genres mode with the dump imported, against the API path on the same library.
/// </summary>
public sealed class DumpScenario : IScenario
{
    private static readonly DateOnly DumpDate = new(2026, 11, 1);

    public string Name => "dumps";

    public IReadOnlyList<string> Rows(BenchSettings settings) => DumpFigures.All(settings);

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        var folder = Path.Combine(context.WorkFolder, "dump");
        Directory.CreateDirectory(folder);
        await using var simulator = await SimulatedDiscogs.StartAsync(
            new SimulatorSetup(BenchSettings.RequestsPerWindow, settings.Window, context.ScaledRetryAfterSeconds, RateLimitEnabled: true), cancellationToken);

        context.Log($"dumps: generating {settings.DumpMasters:N0} masters, {settings.DumpReleases:N0} releases");
        var dump = FullScaleDumpGenerator.Write(simulator.Catalog, folder, DumpDate, settings.DumpMasters, settings.DumpReleases, settings.Seed);
        context.Table.Derived(DumpFigures.Generated, $"{N(dump.Masters)} masters, {N(dump.Releases)} releases, {N(dump.Artists)} artists, {N(dump.Labels)} labels",
            "(report)", $"{Mb(dump.Bytes)} gzipped, written in {F(dump.Elapsed.TotalSeconds, 0)} s; the simulator's catalogue plus generated records");

        var database = "bench_dumps";
        var connectionString = await context.Postgres.CreateDatabaseAsync(database, cancellationToken);
        try
        {
            var environment = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = connectionString };
            var migrate = await ServiceChild.RunVerbAsync(environment, TimeSpan.FromMinutes(2), "migrate");
            if (migrate.ExitCode != 0)
            {
                throw new InvalidOperationException("migrate " + migrate.Problem);
            }

            foreach (var (entity, file) in SimulatorFiles(dump))
            {
                context.Log($"dumps: importing {Path.GetFileName(file)}");
                var run = await ServiceChild.RunVerbAsync(environment, TimeSpan.FromMinutes(60), "dump", "import", file);
                if (run.ExitCode != 0)
                {
                    throw new InvalidOperationException($"dump import {Path.GetFileName(file)} " + run.Problem);
                }

                var rows = entity switch
                {
                    "masters" => dump.Masters,
                    "releases" => dump.Releases,
                    "artists" => dump.Artists,
                    _ => dump.Labels,
                };
                var size = new FileInfo(file).Length;
                context.Table.Measured(DumpFigures.Import(entity, rows), $"{F(run.Elapsed.TotalMinutes, 1)} min / {Mb(run.PeakWorkingSetBytes)}",
                    entity == "masters" ? "< 10 min / < 300 MB" : "(report)",
                    $"{N((long)(rows / run.Elapsed.TotalSeconds))} rows/s from {Mb(size)} gzipped; the binary's dump import, start-up included");
            }

            var disk = await DiskAsync(connectionString, cancellationToken);
            context.Table.Measured(DumpFigures.Disk, disk, "(report)", "pg_total_relation_size of the slot in service, indexes included");

            var library = context.Library(settings.Albums);
            await LookupAsync(context, connectionString, library, dump.Masters, cancellationToken);

            var csv = Path.Combine(context.WorkFolder, "dump-library.csv");
            await LibraryCsv.WriteAsync(csv, library, cancellationToken);
            var withDump = await EnrichAsync(context, simulator, connectionString, library, csv, "with the dump", cancellationToken);
            context.Table.Measured(DumpFigures.Enrich(settings.Albums), $"{F(withDump.Duration.TotalSeconds, 0)} s / {N(withDump.Requests)} requests",
                "< 2 min / 0 requests", $"genres mode; {withDump.Summary}; import of the library not counted");

            var apiDatabase = "bench_dumps_api";
            var apiConnection = await context.Postgres.CreateDatabaseAsync(apiDatabase, cancellationToken);
            try
            {
                simulator.ClearRequests();
                var api = await EnrichAsync(context, simulator, apiConnection, library, csv, "API path", cancellationToken);
                foreach (var key in api.Right.Except(withDump.Right).Order(StringComparer.Ordinal))
                {
                    // Where the dump's recall falls short of the API path's, album by album.
                    var album = library.First(a => a.SourceKey == key);
                    context.Log($"dumps: right by the API path only: '{album.Artist}' - '{album.Title}' ({album.Year}) [{album.Noise}]: "
                        + $"with the dump {withDump.Outcomes.GetValueOrDefault(key)}; API path {api.Outcomes.GetValueOrDefault(key)}");
                }

                context.Table.Measured(DumpFigures.Quality, $"dump {withDump.Quality} vs API {api.Quality}", "no worse",
                    $"precision = right / matched, recall = right / albums Discogs has; API path: {F(api.Duration.TotalSeconds, 0)} s, {N(api.Requests)} requests");
            }
            finally
            {
                await context.Postgres.DropDatabaseAsync(apiDatabase);
            }
        }
        finally
        {
            await context.Postgres.DropDatabaseAsync(database);
        }
    }

    private static IEnumerable<(string Entity, string File)> SimulatorFiles(GeneratedDump dump) =>
        dump.Files.Select(f => (Path.GetFileName(f).Split('_')[2].Split('.')[0], f));

    private static async Task<string> DiskAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var sizes = await connection.QueryAsync<(string Entity, long Bytes)>(new CommandDefinition(
            "SELECT entity, pg_total_relation_size(format('dump_%s_%s', entity, slot)::regclass) FROM dump_installed ORDER BY entity",
            cancellationToken: cancellationToken));
        return string.Join(", ", sizes.Select(s => $"{s.Entity} {Mb(s.Bytes)}"));
    }

    /// <summary>The local lookup (and scoring) of every library album, in process, against the imported dump.</summary>
    private static async Task LookupAsync(BenchContext context, string connectionString, IReadOnlyList<LibraryAlbum> library, long masters, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var lookup = new DumpCandidateLookup(dataSource, Options.Create(new DumpOptions()));
        var timings = new List<double>(library.Count);
        var candidates = 0L;
        await lookup.FindAsync(CandidateScorer.Prepare(new AlbumTags("warm", null, "up", null)), cancellationToken); // JIT and pool, not the lookup
        foreach (var album in library)
        {
            var prepared = CandidateScorer.Prepare(new AlbumTags(album.Artist, null, album.Title, album.Year));
            var clock = Stopwatch.StartNew();
            var found = await lookup.FindAsync(prepared, cancellationToken);
            timings.Add(clock.Elapsed.TotalMilliseconds);
            candidates += found?.Candidates.Count ?? 0;
        }

        foreach (var (ms, i) in timings.Select((t, i) => (t, i)).OrderByDescending(x => x.t).Take(5))
        {
            // The slow tail by name, to reproduce with EXPLAIN ANALYZE.
            context.Log($"dumps: slow lookup {F(ms, 1)} ms: '{library[i].Artist}' - '{library[i].Title}'");
        }

        context.Table.Measured(DumpFigures.Lookup(masters), $"{F(Percentile(timings, 50), 1)} ms / {F(Percentile(timings, 95), 1)} ms",
            "p95 < 20 ms", $"{N(library.Count)} library albums, one connection, {F(candidates / (double)library.Count, 1)} candidates per album");
    }

    private sealed record EnrichRun(TimeSpan Duration, long Requests, string Quality, string Summary, IReadOnlySet<string> Right, IReadOnlyDictionary<string, string> Outcomes);

    private static async Task<EnrichRun> EnrichAsync(BenchContext context, SimulatedDiscogs simulator, string connectionString, IReadOnlyList<LibraryAlbum> library,
        string csv, string label, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        await using var service = ServiceChild.Start(
            simulator.ServiceEnvironment(connectionString, BenchSettings.RequestsPerWindow, settings.Window, "genres"), "run");
        await service.WaitUntilServingAsync(TimeSpan.FromSeconds(90), cancellationToken);
        await LibraryImporter.ImportAsync(connectionString, csv, library, TimeSpan.FromMinutes(5), cancellationToken);
        var watch = new QueueWatch(connectionString);
        var limit = TimeSpan.FromSeconds(library.Count / settings.RequestsPerSecond);
        await watch.WaitUntilDoneAsync(library.Count, service, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60) + (limit * 5),
            c => context.Log($"dumps/{label}: {c.Total - c.Live:N0}/{c.Total:N0} done, {simulator.Requests().Count(r => r.IsAlbumWork):N0} requests"),
            cancellationToken);
        var span = await watch.SpanAsync(cancellationToken);
        var requests = simulator.Requests().Count(r => r.IsAlbumWork);
        await service.StopAsync(TimeSpan.FromSeconds(30));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var matches = (await connection.QueryAsync<(string Key, string Status, string Source, long? MasterId, long? ReleaseId, string ReasonCode, int Requests)>(new CommandDefinition(
            "SELECT a.source_key, m.status, m.match_source, m.master_id, m.release_id, m.reason_code, m.requests_spent FROM album_matches m JOIN albums a ON a.id = m.album_id",
            cancellationToken: cancellationToken))).ToList();
        var truth = library.ToDictionary(a => a.SourceKey, StringComparer.Ordinal);
        var matched = matches.Where(m => m.Status == "matched").ToList();
        var rightKeys = matched.Where(m => truth.TryGetValue(m.Key, out var a) && a.Truth is { } t
            && (t.MasterId is { } master ? m.MasterId == master : m.ReleaseId == t.ReleaseId)).Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
        var right = rightKeys.Count;
        var known = library.Count(a => a.Truth is not null);
        var quality = $"{F(right / (double)Math.Max(1, matched.Count), 3)} / {F(right / (double)Math.Max(1, known), 3)}";
        var summary = $"{N(matches.Count(m => m.Source == "dump"))} decided by the dump, {N(matches.Count(m => m.Source == "api"))} by the API; "
            + $"matched {N(matched.Count)} (wrong {N(matched.Count - right)}), needs_review {N(matches.Count(m => m.Status == "needs_review"))}, no_match {N(matches.Count(m => m.Status == "no_match"))}";
        context.Log($"dumps/{label}: {F(span.Duration.TotalSeconds, 1)} s, {requests:N0} requests; {summary}; precision / recall {quality}");
        foreach (var spent in matches.Where(m => m.Requests > 0 && m.Source == "api" && truth.ContainsKey(m.Key)).Take(label == "API path" ? 0 : 100))
        {
            // Which albums the dump left to the API, and why: the figure to drive towards 0 requests.
            var album = truth[spent.Key];
            context.Log($"dumps/{label}: to the API: '{album.Artist}' - '{album.Title}' ({album.Year}) [{album.Noise}], truth {album.Truth?.MasterId}/{album.Truth?.ReleaseId}: "
                + $"{spent.Status} {spent.ReasonCode}, {spent.Requests} requests");
        }
        return new EnrichRun(span.Duration, requests, quality, summary, rightKeys,
            matches.ToDictionary(m => m.Key, m => $"{m.Status} {m.ReasonCode} by {m.Source} (master {m.MasterId}, release {m.ReleaseId})", StringComparer.Ordinal));
    }
}

/// <summary>The dump scenario's figure names.</summary>
public static class DumpFigures
{
    public const string Generated = "dump: generated in the real XML shape";

    public const string Disk = "dump: disk used by the imported tables";

    public const string Quality = "dump: precision / recall, genres mode, dump vs API path";

    public static string Import(string entity, long rows) => $"dump import, {rows:N0} {entity} (time / peak memory)";

    public static string Lookup(long masters) => $"dump: local candidate lookup at {masters:N0} masters (p50 / p95)";

    public static string Enrich(int albums) => $"dump: {albums:N0}-album library, genres mode, dump imported (time / requests)";

    /// <summary>Rows whose names do not depend on measured counts; the count-named rows print as they are measured.</summary>
    public static IReadOnlyList<string> All(BenchSettings settings) => [Generated, Disk, Enrich(settings.Albums), Quality];
}
