using System.Diagnostics;
using Dapper;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Dashboard;

/// <summary>
/// Not a test: a measurement run by hand (<c>dotnet test --filter DashboardScaleProbe</c>), never in CI. Builds a
/// database with 1,000,000 albums and their job history, prints EXPLAIN for the dashboard's queries and the p50/p95 of every page over HTTP.
/// The benchmark harness can reuse <see cref="SeedMillionAsync"/> for its own dashboard mode.
/// </summary>
[Explicit("a measurement that takes minutes, run by hand")]
public sealed class DashboardScaleProbe
{
    [Test]
    public async Task Measure_every_page_with_a_million_albums()
    {
        await using var db = await TestDatabase.CreateAsync();
        var seeded = Stopwatch.StartNew();
        await SeedMillionAsync(db.DataSource);
        await TestContext.Out.WriteLineAsync($"seeded 1,000,000 albums in {seeded.Elapsed.TotalSeconds:0} s");

        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            foreach (var (name, sql) in Explains)
            {
                var plan = string.Join('\n', await connection.QueryAsync<string>("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql));
                await TestContext.Out.WriteLineAsync($"--- {name}\n{plan}\n");
            }
        }

        await using var service = ServiceProcess.Start(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = db.ConnectionString,
            ["Jobs__Workers"] = "0",
        });
        await service.WaitUntilServingAsync();
        using var http = new HttpClient { BaseAddress = service.BaseUrl };
        var album = 500_000;
        string[] paths =
        [
            "/dashboard", "/api/overview", "/api/history", $"/dashboard/albums/{album}", "/dashboard/review", "/api/review?after=0.3_500000",
        ];
        foreach (var path in paths)
        {
            (await http.GetAsync(path)).EnsureSuccessStatusCode(); // warm-up: JIT, plans, caches
            var times = new List<double>();
            for (var i = 0; i < 30; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await http.GetAsync(path);
                await response.Content.ReadAsByteArrayAsync();
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            await TestContext.Out.WriteLineAsync($"{path,-55} p50 {times[14],7:0.0} ms   p95 {times[28],7:0.0} ms   max {times[^1],7:0.0} ms");
        }
    }

    /// <summary>A million albums, 60 % done and 5 % failed over 30 days, the rest waiting, then ANALYZE.</summary>
    public static async Task SeedMillionAsync(Npgsql.NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO albums (artist, title, year)
            SELECT 'Artist ' || (g % 50000), 'Title ' || g || ' ' || md5(g::text), 1960 + g % 60 FROM generate_series(1, 1000000) g;
            -- 60 % done (their job rows gone, a history line each over 30 days), 5 % failed, the rest still waiting.
            DELETE FROM album_jobs WHERE album_id % 100 < 60;
            INSERT INTO album_job_history (album_id, state, reason, at)
            SELECT id, CASE WHEN id % 100 < 60 THEN 'succeeded' ELSE 'failed' END, 'seeded', now() - make_interval(secs => (id % 2592000))
            FROM albums WHERE id % 100 < 65;
            INSERT INTO album_matches (album_id, status, reason_code, reason, score, candidates, requests_spent, mode, matched_at)
            SELECT id, CASE WHEN id % 50 = 0 THEN 'needs_review' ELSE 'matched' END, 'x', 'seeded', (id % 1000) / 1000.0, '[]', 2, 'genres', now() - make_interval(secs => id % 86400)
            FROM albums WHERE id % 100 < 60;
            """, commandTimeout: 1800);
        await connection.ExecuteAsync("VACUUM ANALYZE", commandTimeout: 1800);
    }

    private static readonly (string Name, string Sql)[] Explains =
    [
        ("queue reading", EnrichmentWorker.Jobs.AlbumJobSql.QueueReading),
        ("throughput", "SELECT date_trunc('minute', at), count(*) FILTER (WHERE state = 'succeeded') FROM album_job_history WHERE at > now() - interval '60 minutes' AND state IN ('succeeded', 'failed') GROUP BY 1"),
        ("history daily", "SELECT date_trunc('day', at), count(*) FROM album_job_history WHERE at > now() - interval '30 days' AND state IN ('succeeded', 'failed') GROUP BY 1"),
        ("needs review, page 1", "SELECT m.album_id FROM album_matches m JOIN albums a ON a.id = m.album_id WHERE m.status = 'needs_review' AND (coalesce(m.score, -1), m.album_id) < ('Infinity'::real, 9223372036854775807) ORDER BY coalesce(m.score, -1) DESC, m.album_id DESC LIMIT 51"),
        ("needs review, deep page", "SELECT m.album_id FROM album_matches m JOIN albums a ON a.id = m.album_id WHERE m.status = 'needs_review' AND (coalesce(m.score, -1), m.album_id) < (0.3::real, 500000) ORDER BY coalesce(m.score, -1) DESC, m.album_id DESC LIMIT 51"),
        ("requests per album", "SELECT avg(requests_spent) FROM (SELECT requests_spent FROM album_matches WHERE NOT manual ORDER BY matched_at DESC LIMIT 500) r"),
    ];
}
