using Dapper;
using EnrichmentWorker.Dashboard;
using EnrichmentWorker.Jobs;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Jobs;

/// <summary>
/// The backlog ETA (the overview's and the status line's): the current run's rate once it has one, the request budget until then, never a fixed
/// window that counts the idle time before the run (29 albums that took a minute were once estimated at 48).
/// </summary>
public sealed class BacklogEstimateTests
{
    private const double SixtyPerMinute = 60;

    [Test]
    public async Task A_run_just_started_after_an_idle_spell_is_estimated_from_the_budget_not_from_the_quiet_quarter_hour()
    {
        await using var db = await TestDatabase.CreateAsync();
        // An earlier run finished four albums ten minutes ago; then nothing, until 29 albums were requested 40 s ago
        // and three of them are already done.
        await FinishedAsync(db, albums: 4, agoSeconds: 600);
        await FinishedAsync(db, albums: 3, agoSeconds: 10);
        await WaitingAsync(db, albums: 29, requestedSecondsAgo: 40);

        var run = await CurrentRunAsync(db);
        var backlog = BacklogEstimate.For(29, run, requestsPerAlbum: 1.5, SixtyPerMinute);

        Assert.Multiple(() =>
        {
            Assert.That(run.Finished, Is.EqualTo(3), "only this run's albums count");
            Assert.That(run.Elapsed, Is.InRange(TimeSpan.FromSeconds(35), TimeSpan.FromSeconds(60)), "the run began when its oldest album was requested");
            Assert.That(backlog.Basis, Is.EqualTo("request budget (this run not measured yet)"));
            // 60 requests a minute at 1.5 per album: 40 albums a minute, so 29 take under a minute.
            Assert.That(backlog.Eta, Is.LessThan(TimeSpan.FromMinutes(1)));
        });
    }

    [Test]
    public async Task A_run_measured_for_minutes_is_estimated_from_its_own_rate_when_that_is_slower_than_the_budget()
    {
        await using var db = await TestDatabase.CreateAsync();
        await FinishedAsync(db, albums: 30, agoSeconds: 60);
        await WaitingAsync(db, albums: 100, requestedSecondsAgo: 300);

        var run = await CurrentRunAsync(db);
        var backlog = BacklogEstimate.For(100, run, requestsPerAlbum: 1.5, SixtyPerMinute);

        Assert.Multiple(() =>
        {
            Assert.That(backlog.Basis, Is.EqualTo("measured rate of this run"));
            Assert.That(backlog.MeasuredPerMinute, Is.EqualTo(6).Within(0.5), "30 albums in the run's 5 minutes");
            Assert.That(backlog.Eta!.Value.TotalMinutes, Is.EqualTo(100 / 6.0).Within(2));
        });
    }

    [Test]
    public void A_run_faster_than_the_budget_allows_is_estimated_from_the_budget()
    {
        var now = DateTime.UtcNow;
        var run = new CurrentRun(now.AddMinutes(-5), 500, now);

        var backlog = BacklogEstimate.For(400, run, requestsPerAlbum: 1.5, SixtyPerMinute);

        Assert.Multiple(() =>
        {
            Assert.That(backlog.Basis, Is.EqualTo("request budget"));
            Assert.That(backlog.Eta!.Value.TotalMinutes, Is.EqualTo(10).Within(0.01), "400 albums at 40 a minute");
        });
    }

    [Test]
    public void Albums_a_data_dump_decides_cost_no_requests_so_the_budget_bounds_nothing_and_an_unmeasured_run_has_no_eta()
    {
        var now = DateTime.UtcNow;
        var backlog = BacklogEstimate.For(50, new CurrentRun(now.AddSeconds(-5), 1, now), requestsPerAlbum: 0, SixtyPerMinute);

        Assert.Multiple(() =>
        {
            Assert.That(backlog.BudgetPerMinute, Is.Null);
            Assert.That(backlog.Eta, Is.Null);
            Assert.That(backlog.Basis, Is.EqualTo("no rate measured yet"));
        });
    }

    [Test]
    public void An_empty_backlog_is_done_whatever_was_measured()
    {
        var now = DateTime.UtcNow;
        var backlog = BacklogEstimate.For(0, new CurrentRun(now.AddMinutes(-15), 0, now), requestsPerAlbum: null, budgetRequestsPerMinute: null);

        Assert.That(backlog.Eta, Is.EqualTo(TimeSpan.Zero));
    }

    private static async Task<CurrentRun> CurrentRunAsync(TestDatabase db)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<CurrentRun>(DashboardSql.CurrentRun, new { minutes = 15 });
    }

    /// <summary>Albums whose jobs succeeded that long ago (an insert queues an album; these are no longer queued).</summary>
    private static async Task FinishedAsync(TestDatabase db, int albums, int agoSeconds)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var ids = (await connection.QueryAsync<long>(
            "INSERT INTO albums (artist, title) SELECT 'Artist', 'Done ' || gen_random_uuid() FROM generate_series(1, @albums) RETURNING id", new { albums })).AsList();
        await connection.ExecuteAsync("DELETE FROM album_jobs WHERE album_id = ANY(@ids)", new { ids });
        await connection.ExecuteAsync("""
            INSERT INTO album_job_history (album_id, state, reason, attempt, at)
            SELECT id, 'succeeded', 'matched', 1, now() - make_interval(secs => @agoSeconds) FROM unnest(@ids) id
            """, new { ids, agoSeconds });
    }

    /// <summary>Albums waiting for their jobs, requested that long ago.</summary>
    private static async Task WaitingAsync(TestDatabase db, int albums, int requestedSecondsAgo)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var ids = (await connection.QueryAsync<long>(
            "INSERT INTO albums (artist, title) SELECT 'Artist', 'Waiting ' || gen_random_uuid() FROM generate_series(1, @albums) RETURNING id", new { albums })).AsList();
        await connection.ExecuteAsync(
            "UPDATE album_jobs SET requested_at = now() - make_interval(secs => @requestedSecondsAgo) WHERE album_id = ANY(@ids)", new { ids, requestedSecondsAgo });
    }
}
