using Dapper;
using EnrichmentWorker.Storage;
using EnrichmentWorker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnrichmentWorker.Tests.Storage;

/// <summary>A database made by the previous version (the home-made job queue, migration 8) is upgraded to Hangfire.</summary>
public sealed class HangfireUpgradeTests
{
    [Test]
    public async Task The_old_queues_live_and_failed_jobs_become_album_jobs_with_their_history_and_its_tables_go()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            // The previous version's schema, as its migrations left it.
            await connection.ExecuteAsync(MigrationSql.CreateHistoryTable);
            foreach (var migration in MigrationRunner.KnownMigrations.Where(m => m.Version <= 8))
            {
                await connection.ExecuteAsync(migration.Sql);
                await connection.ExecuteAsync(MigrationSql.RecordApplied, new { version = migration.Version, name = migration.Name });
            }

            // Five albums queued by the old trigger; then one succeeded (with its result), one failed, one processing.
            await connection.ExecuteAsync("""
                INSERT INTO albums (artist, title) VALUES ('Done', 'A'), ('Failed', 'B'), ('Running', 'C'), ('Waiting', 'D'), ('Björk', 'Homogenic');
                UPDATE enrichment_jobs SET state = 'succeeded', finished_at = now() WHERE album_id = (SELECT id FROM albums WHERE artist = 'Done');
                UPDATE enrichment_jobs SET state = 'failed', attempt = 10, error_message = 'Discogs answered 502' WHERE album_id = (SELECT id FROM albums WHERE artist = 'Failed');
                UPDATE enrichment_jobs SET state = 'processing', attempt = 1, mode = 'genres' WHERE album_id = (SELECT id FROM albums WHERE artist = 'Running');
                INSERT INTO job_events (job_id, state, reason, attempt, message)
                SELECT id, 'failed', 'gave up after 10 attempts', 10, 'Discogs answered 502' FROM enrichment_jobs WHERE state = 'failed';
                INSERT INTO album_matches (album_id, status, reason_code, reason, candidates, mode)
                SELECT id, 'matched', 'clear_winner', 'kept', '[]', 'genres' FROM albums WHERE artist = 'Done';
                """);
        }

        var applied = await new MigrationRunner(db.DataSource, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);

        await using var check = await db.DataSource.OpenConnectionAsync();
        var live = (await check.QueryAsync<(string Artist, string? Mode, long? JobId)>(
            "SELECT a.artist, j.mode, j.hangfire_job_id FROM album_jobs j JOIN albums a ON a.id = j.album_id ORDER BY a.id")).AsList();
        var history = (await check.QueryAsync<(string Artist, string State, string? Message)>(
            "SELECT a.artist, h.state, h.message FROM album_job_history h JOIN albums a ON a.id = h.album_id ORDER BY h.id")).AsList();
        var oldTables = await check.QueryAsync<string>(
            "SELECT table_name FROM information_schema.tables WHERE table_name IN ('enrichment_jobs', 'job_events', 'servers')");
        Assert.Multiple(async () =>
        {
            Assert.That(applied.Select(m => m.Version), Does.Contain(9));
            Assert.That(live.Select(l => l.Artist), Is.EqualTo(new[] { "Failed", "Running", "Waiting", "Björk" }), "the live and failed jobs, not the succeeded one");
            Assert.That(live.Single(l => l.Artist == "Running").Mode, Is.EqualTo("genres"), "a job's mode carried over");
            Assert.That(live.Select(l => l.JobId), Has.All.Null, "handed to Hangfire by the dispatcher at the next start");
            Assert.That(history, Has.Member(("Failed", "failed", (string?)"Discogs answered 502")), "the old history kept per album");
            Assert.That(history.Count(h => h.State == "enqueued"), Is.EqualTo(5), "every album's old 'enqueued' event");
            Assert.That(oldTables, Is.Empty, "the old queue's tables are gone");
            Assert.That(await check.ExecuteScalarAsync<long>("SELECT count(*) FROM album_matches"), Is.EqualTo(1), "results kept");
            Assert.That(await check.ExecuteScalarAsync<long>("SELECT count(*) FROM hangfire.job"), Is.Zero, "Hangfire's tables are installed");
        });
    }
}
