using System.Globalization;
using Dapper;
using EnrichmentWorker.Enrichment;
using EnrichmentWorker.Jobs;
using EnrichmentWorker.Jobs.Filters;
using EnrichmentWorker.Tests.Support;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Tests.Jobs;

/// <summary>
/// The project's side of the Hangfire jobs, on a real database: the dispatcher that turns album_jobs rows into
/// Hangfire jobs, the one-live-job rule under races, asking for an album again, and a job deleted in Hangfire.
/// </summary>
public sealed class AlbumJobTests
{
    private static AlbumJobDispatcher Dispatcher(TestDatabase db) => new(db.DataSource,
        Options.Create(new JobQueueOptions()), TimeProvider.System, NullLogger<AlbumJobDispatcher>.Instance);

    [Test]
    public async Task Dispatchers_racing_in_parallel_give_every_album_exactly_one_hangfire_job_named_after_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO albums (artist, title) SELECT 'Racer', 'Album ' || g FROM generate_series(1, 300) g");
            await connection.ExecuteAsync("INSERT INTO albums (artist, title) VALUES ('Björk', 'Homogenic')");
        }

        // Four dispatchers (as in four processes), small batches, all at once, until nothing is left.
        var dispatchers = Enumerable.Range(0, 4).Select(_ => Dispatcher(db)).ToList();
        var handed = await Task.WhenAll(dispatchers.Select(d => Task.Run(() =>
        {
            var total = 0;
            int batch;
            do
            {
                batch = d.DispatchBatch(25);
                total += batch;
            }
            while (batch > 0);
            return total;
        })));

        await using var check = await db.DataSource.OpenConnectionAsync();
        var live = await HangfireRows.LiveJobsPerAlbumAsync(db.DataSource);
        var unlinked = await check.ExecuteScalarAsync<long>("SELECT count(*) FROM album_jobs WHERE hangfire_job_id IS NULL");
        var bjork = await check.QuerySingleAsync<(long Id, string Arguments)>(
            "SELECT j.id, j.arguments FROM hangfire.job j JOIN album_jobs a ON a.hangfire_job_id = j.id JOIN albums al ON al.id = a.album_id WHERE al.artist = 'Björk'");
        Assert.Multiple(() =>
        {
            Assert.That(handed.Sum(), Is.EqualTo(301), "each album handed over once, by one of them");
            Assert.That(live, Has.Count.EqualTo(301));
            Assert.That(live.Values, Has.All.EqualTo(1), "one live Hangfire job per album");
            Assert.That(unlinked, Is.Zero);
            Assert.That(bjork.Arguments, Does.Contain("Björk – Homogenic"), "the display name's album");
            Assert.That(typeof(AlbumEnrichmentJob).GetMethod(nameof(AlbumEnrichmentJob.RunAsync))!
                .GetCustomAttributes(typeof(JobDisplayNameAttribute), false).Cast<JobDisplayNameAttribute>().Single().DisplayName,
                Is.EqualTo("Enrich {0}: {1}"), "shown as \"Enrich 123: Björk – Homogenic\"");
        });
    }

    [Test]
    public async Task Asking_again_for_an_album_whose_job_failed_runs_that_same_job_again()
    {
        await using var db = await TestDatabase.CreateAsync();
        var album = await AlbumRows.InsertAsync(db.DataSource, "Portishead", "Dummy", 1994);
        Dispatcher(db).DispatchBatch(10);
        var job = await HangfireRows.FailAsync(db.DataSource, album, "Discogs answered 502 Bad Gateway three times.");

        var requested = await new AlbumJobRequests(db.DataSource).RequestAsync([album, album], new AlbumJobRequest("retry requested by test"), CancellationToken.None);
        await new AlbumJobRequests(db.DataSource).RequestAsync([album], new AlbumJobRequest("retry requested twice"), CancellationToken.None);
        var dispatched = Dispatcher(db).DispatchBatch(10);

        Assert.Multiple(async () =>
        {
            Assert.That(requested, Is.EqualTo(1));
            Assert.That(dispatched, Is.EqualTo(1));
            Assert.That(await HangfireRows.StateAsync(db.DataSource, job), Is.EqualTo("Enqueued"));
            Assert.That((await HangfireRows.LiveJobsPerAlbumAsync(db.DataSource))[album], Is.EqualTo(1), "the same job, no second one");
            Assert.That(Dispatcher(db).DispatchBatch(10), Is.Zero, "nothing left to hand over");
        });
    }

    [Test]
    public async Task An_album_asked_for_while_its_job_runs_runs_once_more_after_it_and_only_then()
    {
        await using var db = await TestDatabase.CreateAsync();
        var album = await AlbumRows.InsertAsync(db.DataSource, "Air", "Moon Safari", 1998);
        Dispatcher(db).DispatchBatch(10);
        var job = await HangfireRows.JobOfAlbumAsync(db.DataSource, album);
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            // A worker has it (ProcessingState is Hangfire's own to create): what the dispatcher reads.
            await connection.ExecuteAsync("UPDATE hangfire.job SET statename = 'Processing' WHERE id = @job", new { job });
        }

        await new AlbumJobRequests(db.DataSource).RequestAsync([album], new AlbumJobRequest("tags changed"), CancellationToken.None);
        var whileRunning = Dispatcher(db).DispatchBatch(10);
        await CompleteAsync(db, album, job);
        var afterwards = Dispatcher(db).DispatchBatch(10);
        var next = await HangfireRows.JobOfAlbumAsync(db.DataSource, album);
        await CompleteAsync(db, album, next);

        await using var check = await db.DataSource.OpenConnectionAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(whileRunning, Is.Zero, "a running job is not handed over again");
            Assert.That(afterwards, Is.EqualTo(1));
            Assert.That(next, Is.Not.EqualTo(job), "the rerun is a new job, after the first finished");
            Assert.That(await check.ExecuteScalarAsync<long>("SELECT count(*) FROM album_jobs"), Is.Zero, "done after the rerun");
            Assert.That(await check.QueryAsync<string>("SELECT state FROM album_job_history WHERE album_id = @album AND state = 'succeeded'", new { album }),
                Has.Exactly(2).Items);
        });
    }

    [Test]
    public async Task A_job_deleted_on_the_hangfire_dashboard_leaves_the_album_free_to_be_queued_again()
    {
        await using var db = await TestDatabase.CreateAsync();
        var album = await AlbumRows.InsertAsync(db.DataSource, "Can", "Tago Mago", 1971);
        Dispatcher(db).DispatchBatch(10);
        var job = await HangfireRows.JobOfAlbumAsync(db.DataSource, album);
        var filters = new JobFilterCollection { new AlbumJobStateFilter(db.DataSource, NullLogger<AlbumJobStateFilter>.Instance) };
        var client = new BackgroundJobClient(HangfireRows.Storage(db.DataSource), filters);

        Assert.That(client.Delete(job.ToString(CultureInfo.InvariantCulture)), Is.True);
        var requested = await new AlbumJobRequests(db.DataSource).RequestAsync([album], new AlbumJobRequest("re-match"), CancellationToken.None);
        Dispatcher(db).DispatchBatch(10);

        await using var check = await db.DataSource.OpenConnectionAsync();
        var history = (await check.QueryAsync<string>("SELECT state FROM album_job_history WHERE album_id = @album ORDER BY id", new { album })).AsList();
        Assert.Multiple(async () =>
        {
            Assert.That(requested, Is.EqualTo(1));
            Assert.That(await HangfireRows.JobOfAlbumAsync(db.DataSource, album), Is.Not.EqualTo(job), "a new job for the album");
            Assert.That(history, Is.EqualTo(new[] { "requested", "enqueued", "deleted", "requested", "enqueued" }));
        });
    }

    [Test]
    public void Retry_delays_double_per_attempt_are_jittered_and_capped()
    {
        TimeSpan Delay(int attempt, double random) => HangfireStorageSetup.RetryDelay(attempt, TimeSpan.FromSeconds(15), TimeSpan.FromHours(1), random);

        Assert.Multiple(() =>
        {
            Assert.That(Delay(1, 0.5), Is.EqualTo(TimeSpan.FromSeconds(15)));
            Assert.That(Delay(3, 0.5), Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(Delay(3, 0), Is.EqualTo(TimeSpan.FromSeconds(45)), "75 % at the low end of the jitter");
            Assert.That(Delay(3, 1), Is.EqualTo(TimeSpan.FromSeconds(75)), "125 % at the high end");
            Assert.That(Delay(40, 1), Is.EqualTo(TimeSpan.FromHours(1)), "never past the cap");
        });
    }

    /// <summary>What the job's completion writes (without results), as AlbumEnrichmentJob sends it.</summary>
    private static async Task CompleteAsync(TestDatabase db, long albumId, long jobId)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(AlbumJobSql.Complete, new
        {
            albumId, jobId, attempt = 1, historyStates = new[] { "succeeded" }, historyReasons = new[] { "matched" },
        });
        HangfireRows.Client(db.DataSource).ChangeState(jobId.ToString(CultureInfo.InvariantCulture), new SucceededState(null, 0, 0), ProcessingState.StateName);
    }
}
