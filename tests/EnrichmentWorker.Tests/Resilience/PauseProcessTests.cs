using System.Globalization;
using Dapper;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Resilience;

/// <summary>
/// A person's pause with many albums waiting: jobs wait at the pause gate in their workers, the rest stay Enqueued,
/// and nothing churns — no Hangfire state rows, no history, no Discogs requests — until the queue is resumed.
/// </summary>
[NonParallelizable]
public sealed class PauseProcessTests
{
    // As issue 13 asks. Handing them to Hangfire is the slow part (one Hangfire job created per album).
    private const int WaitingAlbums = 10_000;
    private const int Workers = 4;

    [Test]
    public async Task A_pause_with_thousands_of_waiting_jobs_writes_no_Hangfire_state_rows_and_sends_nothing_until_resumed()
    {
        await using var run = await FaultRun.CreateAsync(albumCount: 1, addAlbumsNow: false);
        await using (var connection = await run.Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE queue_state SET paused = true, reason = 'test: paused by a person', paused_by = 'person', changed_at = now()");
            await connection.ExecuteAsync("""
                INSERT INTO albums (source, source_key, artist, title, year)
                SELECT 'test', 'w' || g, 'Waiting Artist ' || g, 'Waiting Album ' || g, 1990 FROM generate_series(1, @count) AS g
                """, new { count = WaitingAlbums });
        }

        await run.StartServiceAsync(workers: Workers, new Dictionary<string, string?>
        {
            ["Jobs__PauseCheckInterval"] = "00:00:00.100",
        });
        // Every album handed to Hangfire, and each worker holding one job at the gate.
        await WaitFor.ConditionAsync(async () =>
            await run.ScalarAsync<long>("SELECT count(*) FROM album_jobs WHERE hangfire_job_id IS NULL") == 0
            && await run.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE statename = 'Processing'") == Workers,
            TimeSpan.FromMinutes(4), $"{WaitingAlbums} albums dispatched and {Workers} jobs at the pause gate");

        var before = await ChurnAsync(run);
        // A stretch of paused time, not a condition: long enough for dozens of gate checks and queue polls.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var after = await ChurnAsync(run);
        TestContext.Out.WriteLine($"paused with {WaitingAlbums:N0} waiting: before {before}, after 5 s {after}");
        Assert.Multiple(() =>
        {
            Assert.That(before.Jobs, Is.EqualTo(WaitingAlbums), "one Hangfire job per waiting album");
            Assert.That(after.States, Is.EqualTo(before.States), "no Hangfire state rows written while paused");
            Assert.That(after, Is.EqualTo(before), "no job, queue or history row changed while paused");
            Assert.That(run.JobRequests(), Is.Empty, "nothing sent to Discogs while paused");
        });

        await using (var connection = await run.Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE queue_state SET paused = false, reason = NULL, paused_by = NULL, changed_at = now()");
        }

        await WaitFor.ConditionAsync(async () => await run.ScalarAsync<long>("SELECT count(*) FROM album_matches") >= 2 * Workers,
            FaultRun.Patience, "the jobs to run once resumed");
        var jobs = await run.JobsAsync();
        Assert.That(jobs.Select(j => j.Attempt), Has.All.EqualTo(1), "waiting at the gate spent no attempt");
    }

    private static async Task<Churn> ChurnAsync(FaultRun run)
    {
        await using var connection = await run.Db.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<Churn>("""
            SELECT (SELECT count(*) FROM hangfire.state) AS States,
                   (SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%AlbumEnrichmentJob%') AS Jobs,
                   (SELECT coalesce(max(id), 0) FROM hangfire.state) AS LastState,
                   (SELECT count(*) FROM hangfire.jobqueue WHERE fetchedat IS NULL) AS Queued,
                   (SELECT count(*) FROM album_job_history) AS History
            """);
    }

    private sealed record Churn(long States, long Jobs, long LastState, long Queued, long History)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{States} state rows (last id {LastState}), {Jobs} jobs, {Queued} queued, {History} history rows");
    }
}
