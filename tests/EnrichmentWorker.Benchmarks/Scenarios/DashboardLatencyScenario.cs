using System.Diagnostics;
using System.Net;
using Dapper;
using EnrichmentWorker.Benchmarks.Support;
using Npgsql;
using static EnrichmentWorker.Benchmarks.Support.Stats;

namespace EnrichmentWorker.Benchmarks.Scenarios;

/// <summary>
/// Dashboard pages on a big library: 100,000 albums made with generate_series (through the real insert trigger, so
/// album_jobs and the album's history are real), 80 % finished with match rows and a job history, the rest handed to
/// Hangfire by the service's own dispatcher (Jobs:Workers 0, queue paused: nothing runs), a quarter of those then
/// marked Failed with an exception as Hangfire records it. Hangfire's pages (/hangfire, Failed, Enqueued) and the
/// project's album pages are fetched sequentially after a warm-up; the figure is the slowest page's p95. A page that
/// answers 404 is reported as not mounted in this branch.
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
            context.Log($"dashboard: {settings.DashboardJobs:N0} albums and their history generated in {clock.Elapsed.TotalSeconds:0} s");

            // No Hangfire worker: the dispatcher hands the unfinished albums to Hangfire, and nothing runs them.
            environment["Jobs__Workers"] = "0";
            await using var service = ServiceChild.Start(environment, "run");
            await service.WaitUntilServingAsync(TimeSpan.FromSeconds(90), cancellationToken);
            clock.Restart();
            var hangfireJobs = await DispatchAndFailAsync(connectionString, service, cancellationToken);
            context.Log($"dashboard: {hangfireJobs.Enqueued:N0} Hangfire jobs enqueued and {hangfireJobs.Failed:N0} failed in {clock.Elapsed.TotalSeconds:0} s");
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
                ("/hangfire", "</html>"),
                ("/hangfire/jobs/failed", "</html>"),
                ("/hangfire/jobs/enqueued", "</html>"),
                ("/hangfire/jobs/enqueued/default", "</html>"),
                ("/dashboard", "</html>"),
                ("/dashboard/albums", "</html>"),
                ("/dashboard/albums?status=failed", "</html>"),
                ($"/dashboard/albums/{sampleAlbum.Id}", sampleAlbum.Title),
            ];
            var worst = (Page: "", P95: -1.0);
            var details = new List<string>();
            foreach (var (page, mustContain) in pages)
            {
                var (status, times, first) = await TimeAsync(http, page, mustContain, settings.DashboardRequestsPerPage, cancellationToken);
                if (status != HttpStatusCode.OK)
                {
                    details.Add(status == HttpStatusCode.NotFound ? $"{page}: 404, not mounted in this branch" : $"{page}: {(int)status}");
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
                $"{settings.DashboardJobs:N0} albums ({hangfireJobs.Enqueued:N0} Hangfire jobs enqueued, {hangfireJobs.Failed:N0} failed), default Dashboard options, {settings.DashboardRequestsPerPage} sequential requests per page after 3 warm-ups (first = cold): " + string.Join("; ", details));
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

    /// <summary>
    /// Albums through the real insert trigger (album_jobs and a 'requested' history row each), then what a long run
    /// leaves: 80 % finished (history enqueued / succeeded, a few rate limited or retried on the way; match rows; no
    /// live job), the rest still live for the dispatcher to hand to Hangfire.
    /// </summary>
    private static async Task<(long Id, string Title)> FillAsync(string connectionString, int count, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        async Task Run(string sql) => await connection.ExecuteAsync(new CommandDefinition(sql, new { count }, commandTimeout: 1800, cancellationToken: cancellationToken));

        await Run("UPDATE queue_state SET paused = true, reason = 'benchmark: dashboard pages only', paused_by = 'person', changed_at = now()");
        await Run("""
            INSERT INTO albums (source, source_key, artist, title, year)
            SELECT 'bench', 'gen-' || g, 'Artist ' || (g % 20000), 'Album ' || g, 1950 + g % 70
            FROM generate_series(1, @count) AS g
            """);
        // Finished: albums whose id is not 0..19 mod 100; spread over the last 30 days.
        await Run("""
            INSERT INTO album_job_history (album_id, hangfire_job_id, at, state, reason, attempt, exception_type, message)
            SELECT a.id, 1000000 + a.id, now() - make_interval(secs => a.id % 2592000) + make_interval(secs => h.offset_s), h.state, h.reason, h.attempt, h.exception_type, h.message
            FROM albums a
            CROSS JOIN LATERAL (VALUES
                (0, 'enqueued', 'handed to Hangfire', NULL::int, NULL::text, NULL::text),
                (1, 'retrying', 'attempt 1 failed; next try in 15 s', 1, NULL, 'Discogs answered 502 Bad Gateway'),
                (2, 'rate_limited', 'rate limited by Discogs until ' || to_char(now(), 'YYYY-MM-DD HH24:MI:SS') || 'Z; waited in place, no attempt spent', 2, NULL, NULL),
                (3, 'succeeded', 'matched master 123 (score 0.93)', 2, NULL, NULL)) AS h(offset_s, state, reason, attempt, exception_type, message)
            WHERE a.id % 100 >= 20 AND (h.state IN ('enqueued', 'succeeded') OR a.id % 10 = 3)
            """);
        await Run("""
            INSERT INTO album_matches (album_id, status, reason_code, reason, master_id, release_id, score, title_score, artist_score, year_score, requests_spent, mode)
            SELECT id,
                   CASE WHEN id % 7 = 0 THEN 'no_match' WHEN id % 11 = 0 THEN 'needs_review' ELSE 'matched' END,
                   'clear_winner', 'generated by the benchmark', 100000 + id, 200000 + id, 0.93, 1, 0.9, 0.5, 1, 'genres'
            FROM albums WHERE id % 100 >= 20
            """);
        await Run("DELETE FROM album_jobs WHERE album_id % 100 >= 20");
        await Run("VACUUM ANALYZE");
        return await connection.QuerySingleAsync<(long Id, string Title)>(new CommandDefinition("""
            SELECT a.id, a.title FROM album_matches m JOIN albums a ON a.id = m.album_id
            WHERE m.status = 'matched' ORDER BY m.album_id DESC LIMIT 1
            """, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Waits for the service's dispatcher to hand every live album to Hangfire, then fails a quarter of those jobs as
    /// Hangfire's retry filter would after the last attempt: a Failed state with the exception, out of the queue.
    /// </summary>
    private static async Task<(long Enqueued, long Failed)> DispatchAndFailAsync(string connectionString, ServiceChild service, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        while (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM album_jobs WHERE hangfire_job_id IS NULL", cancellationToken: cancellationToken)) > 0)
        {
            if (service.HasExited)
            {
                throw new InvalidOperationException($"The service exited with code {service.ExitCode}:\n{service.OutputTail}");
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(30))
            {
                throw new TimeoutException("the dispatcher did not hand every live album to Hangfire within 30 min");
            }

            await Task.Delay(500, cancellationToken);
        }

        var failed = await connection.ExecuteAsync(new CommandDefinition("""
            WITH failing AS (
                SELECT hangfire_job_id AS id FROM album_jobs WHERE album_id % 4 = 0
            ), states AS (
                INSERT INTO hangfire.state (jobid, name, reason, createdat, data)
                SELECT id, 'Failed', 'Retry attempt 9 of 9 exceeded', now(), jsonb_build_object(
                    'FailedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                    'ExceptionType', 'EnrichmentWorker.Discogs.DiscogsTransientException',
                    'ExceptionMessage', 'Discogs answered 502 Bad Gateway ten times',
                    'ExceptionDetails', 'EnrichmentWorker.Discogs.DiscogsTransientException: Discogs answered 502 Bad Gateway ten times',
                    'ServerId', 'benchmark', 'WorkerId', 'benchmark')
                FROM failing
                RETURNING id, jobid
            ), dequeued AS (
                DELETE FROM hangfire.jobqueue q USING failing f WHERE q.jobid = f.id
            )
            UPDATE hangfire.job j SET statename = 'Failed', stateid = s.id FROM states s WHERE j.id = s.jobid
            """, commandTimeout: 1800, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO album_job_history (album_id, hangfire_job_id, state, reason, attempt, exception_type, message)
            SELECT album_id, hangfire_job_id, 'failed', 'failed; waits for a person', 10, 'DiscogsTransientException', 'Discogs answered 502 Bad Gateway ten times'
            FROM album_jobs WHERE album_id % 4 = 0
            """, commandTimeout: 1800, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("VACUUM ANALYZE", commandTimeout: 1800, cancellationToken: cancellationToken));
        var enqueued = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM hangfire.job WHERE statename = 'Enqueued'", cancellationToken: cancellationToken));
        return (enqueued, failed);
    }
}
