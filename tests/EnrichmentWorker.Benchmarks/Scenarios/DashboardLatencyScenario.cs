using System.Diagnostics;
using System.Net;
using Dapper;
using EnrichmentWorker.Benchmarks.Support;
using Npgsql;
using static EnrichmentWorker.Benchmarks.Support.Stats;

namespace EnrichmentWorker.Benchmarks.Scenarios;

/// <summary>
/// Dashboard pages on a big queue: a million albums and jobs made with generate_series (through the real insert
/// trigger), spread over the states, with match rows for the finished ones; the queue paused so nothing runs. Each
/// page is fetched sequentially after a warm-up; the figure is the slowest page's p95.
/// </summary>
public sealed class DashboardLatencyScenario : IScenario
{
    public const string DashboardPending = "the dashboard (branch dashboard) is not in this build: /dashboard answers 404";

    public string Name => "dashboard";

    public IReadOnlyList<string> Rows(BenchSettings settings) => [FigureNames.Dashboard];

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        const string database = "bench_dashboard";
        var connectionString = await context.Postgres.CreateDatabaseAsync(database, cancellationToken);
        try
        {
            var environment = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = connectionString };
            var migrate = await ServiceChild.RunVerbAsync(environment, TimeSpan.FromMinutes(2), "migrate");
            if (migrate.ExitCode != 0)
            {
                throw new InvalidOperationException($"migrate {migrate.Problem}");
            }

            var clock = Stopwatch.StartNew();
            var sampleAlbum = await FillAsync(connectionString, settings.DashboardJobs, cancellationToken);
            context.Log($"dashboard: {settings.DashboardJobs:N0} jobs generated in {clock.Elapsed.TotalSeconds:0} s");

            await using var service = ServiceChild.Start(environment, "run");
            await service.WaitUntilServingAsync(TimeSpan.FromSeconds(90), cancellationToken);
            using var http = new HttpClient { BaseAddress = service.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
            using (var probe = await http.GetAsync(new Uri("/dashboard", UriKind.Relative), cancellationToken))
            {
                if (probe.StatusCode == HttpStatusCode.NotFound)
                {
                    throw new PendingException(DashboardPending);
                }
            }

            (string Page, string MustContain)[] pages =
            [
                ("/dashboard", "</html>"),
                ("/dashboard/jobs?state=failed", "</html>"),
                ("/dashboard/jobs?state=succeeded", "</html>"),
                ("/dashboard/jobs?state=enqueued", "</html>"),
                ($"/dashboard/albums/{sampleAlbum.Id}", sampleAlbum.Title),
            ];
            var worst = (Page: "", P95: -1.0);
            var details = new List<string>();
            foreach (var (page, mustContain) in pages)
            {
                var (status, times, first) = await TimeAsync(http, page, mustContain, settings.DashboardRequestsPerPage, cancellationToken);
                if (status != HttpStatusCode.OK)
                {
                    details.Add($"{page}: {(int)status}");
                    continue;
                }

                var p95 = Stats.Percentile(times, 95);
                details.Add($"{page} {F(p95, 0)} ms (first {F(first, 0)} ms)");
                if (p95 > worst.P95)
                {
                    worst = (page, p95);
                }
            }

            if (worst.P95 < 0)
            {
                throw new PendingException("no dashboard page answered 200: " + string.Join("; ", details));
            }

            context.Table.Measured(FigureNames.Dashboard, $"{F(worst.P95, 0)} ms ({worst.Page})", "< 300 ms",
                $"{settings.DashboardJobs:N0} jobs, default Dashboard options, {settings.DashboardRequestsPerPage} sequential requests per page after 3 warm-ups (first = cold): " + string.Join("; ", details));
        }
        finally
        {
            await context.Postgres.DropDatabaseAsync(database);
        }
    }

    private static async Task<(HttpStatusCode Status, List<double> Times, double First)> TimeAsync(HttpClient http, string page, string mustContain, int requests, CancellationToken cancellationToken)
    {
        var uri = new Uri(page, UriKind.Relative);
        var times = new List<double>();
        var first = 0.0;
        for (var i = 0; i < requests + 3; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(uri, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (response.StatusCode, times, first);
            }

            // A fast page that shows the wrong thing is no figure.
            if (!body.Contains(mustContain, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{page} answered 200 without '{mustContain}'");
            }

            if (i == 0)
            {
                first = clock.Elapsed.TotalMilliseconds;
            }

            // The first three warm the page (JIT, plan cache); they are not samples.
            if (i >= 3)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        return (HttpStatusCode.OK, times, first);
    }

    /// <summary>Albums through the real insert trigger (so jobs and their events are real), then states and matches.</summary>
    private static async Task<(long Id, string Title)> FillAsync(string connectionString, int count, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        async Task Run(string sql) => await connection.ExecuteAsync(new CommandDefinition(sql, new { count }, commandTimeout: 1800, cancellationToken: cancellationToken));

        await Run("UPDATE queue_state SET paused = true, reason = 'benchmark: dashboard pages only', paused_by = 'benchmark', changed_at = now()");
        await Run("""
            INSERT INTO albums (source, source_key, artist, title, year)
            SELECT 'bench', 'gen-' || g, 'Artist ' || (g % 20000), 'Album ' || g, 1950 + g % 70
            FROM generate_series(1, @count) AS g
            """);
        // 80% succeeded, 5% failed, 1% scheduled, the rest still enqueued; spread over the last 30 days.
        await Run("""
            UPDATE enrichment_jobs SET
                state = CASE WHEN id % 20 = 0 THEN 'failed' WHEN id % 100 = 1 THEN 'scheduled' WHEN id % 100 < 15 THEN 'enqueued' ELSE 'succeeded' END,
                attempt = CASE WHEN id % 20 = 0 THEN 10 WHEN id % 100 < 15 THEN 0 ELSE 1 END,
                started_at = now() - make_interval(secs => id % 2592000),
                finished_at = CASE WHEN id % 20 = 0 OR id % 100 >= 15 THEN now() - make_interval(secs => id % 2592000) + interval '1 second' END,
                state_changed_at = now() - make_interval(secs => id % 2592000),
                error_type = CASE WHEN id % 20 = 0 THEN 'EnrichmentWorker.Discogs.DiscogsTransientException' END,
                error_message = CASE WHEN id % 20 = 0 THEN 'Discogs answered 502 Bad Gateway ten times' END
            """);
        await Run("""
            INSERT INTO album_matches (album_id, status, reason_code, reason, master_id, release_id, score, title_score, artist_score, year_score, requests_spent, mode)
            SELECT album_id,
                   CASE WHEN id % 7 = 0 THEN 'no_match' WHEN id % 11 = 0 THEN 'needs_review' ELSE 'matched' END,
                   'clear_winner', 'generated by the benchmark', 100000 + album_id, 200000 + album_id, 0.93, 1, 0.9, 0.5, 1, 'genres'
            FROM enrichment_jobs WHERE state = 'succeeded'
            """);
        await Run("VACUUM ANALYZE");
        return await connection.QuerySingleAsync<(long Id, string Title)>(new CommandDefinition("""
            SELECT a.id, a.title FROM album_matches m JOIN albums a ON a.id = m.album_id
            WHERE m.status = 'matched' ORDER BY m.album_id DESC LIMIT 1
            """, cancellationToken: cancellationToken));
    }
}
