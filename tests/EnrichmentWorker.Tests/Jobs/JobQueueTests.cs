using System.Collections.Concurrent;
using Dapper;
using EnrichmentWorker.Jobs;
using EnrichmentWorker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EnrichmentWorker.Tests.Jobs;

public sealed class JobQueueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Test]
    public async Task Every_album_inserted_by_sql_gets_exactly_one_enqueued_job_with_its_history()
    {
        await using var db = await TestDatabase.CreateAsync();
        var albumId = await AlbumRows.InsertAsync(db.DataSource);

        var store = new JobStore(db.DataSource);
        var again = await store.EnqueueAsync(albumId, "asked twice", null, false, CancellationToken.None);

        var jobId = await AlbumRows.JobIdForAsync(db.DataSource, albumId);
        Assert.That(again, Is.EqualTo(jobId), "enqueue is idempotent and returns the live job");
        Assert.That((await AlbumRows.JobAsync(db.DataSource, jobId)).State, Is.EqualTo("enqueued"));
        Assert.That((await AlbumRows.EventsAsync(db.DataSource, jobId)).Select(e => e.Reason), Is.EqualTo(new[] { "album added" }));
    }

    [Test]
    public async Task Concurrent_claims_never_hand_the_same_job_to_two_workers()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO albums (artist, title) SELECT 'Artist ' || i, 'Title ' || i FROM generate_series(1, 200) i");
        }

        var store = new JobStore(db.DataSource);
        var claims = await Task.WhenAll(Enumerable.Range(0, 12).Select(async w =>
        {
            var mine = new List<long>();
            IReadOnlyList<ClaimedJob> batch;
            while ((batch = await store.ClaimAsync($"server-{w}", 5, TimeSpan.FromMinutes(1), 10, CancellationToken.None)).Count > 0)
            {
                mine.AddRange(batch.Select(j => j.Id));
            }

            return mine;
        }));

        var all = claims.SelectMany(c => c).ToList();
        Assert.That(all, Has.Count.EqualTo(200));
        Assert.That(all.Distinct().Count(), Is.EqualTo(200));
    }

    [Test]
    public async Task A_worker_that_lost_its_lease_cannot_finish_the_job_or_write_its_results()
    {
        await using var db = await TestDatabase.CreateAsync();
        var albumId = await AlbumRows.InsertAsync(db.DataSource);
        var store = new JobStore(db.DataSource);
        var stale = (await store.ClaimAsync("slow-server", 1, TimeSpan.FromMilliseconds(1), 10, CancellationToken.None)).Single();
        await WaitFor.ConditionAsync(async () => await store.RescueExpiredLeasesAsync(10, 10, CancellationToken.None) == 1, Patience, "the expired lease to be rescued");
        var fresh = (await store.ClaimAsync("fast-server", 1, TimeSpan.FromMinutes(1), 10, CancellationToken.None)).Single();

        var staleFinished = await store.FinishIfLeasedAsync(stale, new JobTransition(JobState.Succeeded, "stale result"), CancellationToken.None);
        var freshFinished = await store.FinishIfLeasedAsync(fresh, new JobTransition(JobState.Succeeded, "fresh result"), CancellationToken.None);

        Assert.That(staleFinished, Is.False);
        Assert.That(freshFinished, Is.True);
        var job = await AlbumRows.JobAsync(db.DataSource, fresh.Id);
        Assert.That(job.Reason, Is.EqualTo("fresh result"));
        Assert.That(job.Attempt, Is.EqualTo(2), "the rescued run spent its attempt");
        Assert.That((await AlbumRows.EventsAsync(db.DataSource, fresh.Id)).Select(e => e.Reason),
            Is.EqualTo(new[] { "album added", "claimed", "lease expired: rescued", "claimed", "fresh result" }));
    }

    [Test]
    public async Task An_album_inserted_by_sql_is_picked_up_by_the_running_queue_through_notify_not_polling()
    {
        await using var db = await TestDatabase.CreateAsync();
        var started = new ConcurrentDictionary<long, DateTime>();
        await using var queue = await QueueHost.StartAsync(db.DataSource, (job, _) =>
        {
            started[job.AlbumId] = DateTime.UtcNow;
            return Task.FromResult<JobOutcome>(new JobOutcome.Succeeded("done"));
        });
        // The queue polls only once a minute in this test: wait until its listener's session has run its LISTEN.
        await WaitFor.ConditionAsync(async () =>
        {
            await using var connection = await db.DataSource.OpenConnectionAsync();
            return await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN enrichment_jobs'") > 0;
        }, TimeSpan.FromSeconds(10), "the queue's notification listener to LISTEN");

        var albumId = await AlbumRows.InsertAsync(db.DataSource);

        await WaitFor.ConditionAsync(() => started.ContainsKey(albumId), TimeSpan.FromSeconds(5), "the new album's job to start");
        var jobId = await AlbumRows.JobIdForAsync(db.DataSource, albumId);
        await WaitFor.ConditionAsync(async () => (await AlbumRows.JobAsync(db.DataSource, jobId)).State == "succeeded", Patience, "the job to succeed");
    }

    [Test]
    public async Task A_transient_failure_is_retried_with_backoff_and_fails_for_good_after_the_last_attempt()
    {
        await using var db = await TestDatabase.CreateAsync();
        var runs = 0;
        await using var queue = await QueueHost.StartAsync(db.DataSource, (_, _) =>
        {
            Interlocked.Increment(ref runs);
            throw new TimeoutException("Discogs did not answer in time");
        }, new Dictionary<string, string?> { ["Jobs:MaxAttempts"] = "3" });

        var albumId = await AlbumRows.InsertAsync(db.DataSource);
        var jobId = await AlbumRows.JobIdForAsync(db.DataSource, albumId);

        await WaitFor.ConditionAsync(async () => (await AlbumRows.JobAsync(db.DataSource, jobId)).State == "failed", Patience, "the job to fail");
        var job = await AlbumRows.JobAsync(db.DataSource, jobId);
        var events = await AlbumRows.EventsAsync(db.DataSource, jobId);
        Assert.That(runs, Is.EqualTo(3));
        Assert.That(job.Attempt, Is.EqualTo(3));
        Assert.That(job.ErrorType, Is.EqualTo(nameof(TimeoutException)));
        Assert.That(events.Count(e => e.Reason?.EndsWith("failed; retrying", StringComparison.Ordinal) == true), Is.EqualTo(2), "two retries were made");
        Assert.That(events[^1].StackTrace, Does.Contain("Discogs did not answer in time"));
    }

    [Test]
    public async Task Being_rate_limited_snoozes_the_job_without_spending_an_attempt()
    {
        await using var db = await TestDatabase.CreateAsync();
        var runs = 0;
        await using var queue = await QueueHost.StartAsync(db.DataSource, (_, _) =>
            Task.FromResult<JobOutcome>(Interlocked.Increment(ref runs) <= 5
                ? new JobOutcome.Snoozed("rate limited by Discogs", TimeSpan.Zero)
                : new JobOutcome.Succeeded("matched")),
            new Dictionary<string, string?> { ["Jobs:MaxAttempts"] = "2" });

        var albumId = await AlbumRows.InsertAsync(db.DataSource);
        var jobId = await AlbumRows.JobIdForAsync(db.DataSource, albumId);

        await WaitFor.ConditionAsync(async () => (await AlbumRows.JobAsync(db.DataSource, jobId)).State == "succeeded", Patience, "the job to succeed");
        Assert.That(runs, Is.EqualTo(6), "five snoozes exceeded MaxAttempts=2 without failing the job");
        Assert.That((await AlbumRows.JobAsync(db.DataSource, jobId)).Attempt, Is.EqualTo(1));
    }

    [Test]
    public async Task An_invalid_token_pauses_the_queue_with_its_reason_and_resuming_runs_the_job()
    {
        await using var db = await TestDatabase.CreateAsync();
        var tokenValid = false;
        await using var queue = await QueueHost.StartAsync(db.DataSource, (_, _) => Task.FromResult<JobOutcome>(Volatile.Read(ref tokenValid)
            ? new JobOutcome.Succeeded("matched")
            : new JobOutcome.PauseQueue("Discogs token invalid")));
        var control = queue.Services.GetRequiredService<QueueControl>();

        var albumId = await AlbumRows.InsertAsync(db.DataSource);
        var jobId = await AlbumRows.JobIdForAsync(db.DataSource, albumId);
        await WaitFor.ConditionAsync(async () => (await control.GetAsync(CancellationToken.None)).Paused, Patience, "the queue to pause");

        var paused = await control.GetAsync(CancellationToken.None);
        Assert.That(paused.Reason, Is.EqualTo("Discogs token invalid"));
        // The queue is paused before the job is put back, so no other worker claims it into another 401.
        await WaitFor.ConditionAsync(async () => await AlbumRows.JobAsync(db.DataSource, jobId) is { State: "enqueued", Attempt: 0 },
            Patience, "the job to be put back without spending its attempt");

        Volatile.Write(ref tokenValid, true);
        Assert.That(await control.ResumeAsync(QueueControl.PausedByDiscogsToken, CancellationToken.None), Is.True);
        await WaitFor.ConditionAsync(async () => (await AlbumRows.JobAsync(db.DataSource, jobId)).State == "succeeded", Patience, "the job to succeed after resume");
    }

    [Test]
    public async Task A_rejected_token_does_not_replace_a_persons_pause_so_the_service_never_lifts_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        var control = new QueueControl(db.DataSource);
        await control.PauseAsync("Moving the library", QueueControl.PausedByPerson, CancellationToken.None);

        await control.PauseAsync("Discogs token invalid", QueueControl.PausedByDiscogsToken, CancellationToken.None);
        var resumedByService = await control.ResumeAsync(QueueControl.PausedByDiscogsToken, CancellationToken.None);

        var state = await control.GetAsync(CancellationToken.None);
        Assert.That(resumedByService, Is.False);
        Assert.That((state.Paused, state.Reason, state.PausedBy), Is.EqualTo((true, "Moving the library", QueueControl.PausedByPerson)));
    }

    [Test]
    public async Task A_person_may_replace_the_services_pause_with_their_own()
    {
        await using var db = await TestDatabase.CreateAsync();
        var control = new QueueControl(db.DataSource);
        await control.PauseAsync("Discogs token invalid", QueueControl.PausedByDiscogsToken, CancellationToken.None);

        await control.PauseAsync("Holding until Monday", QueueControl.PausedByPerson, CancellationToken.None);

        var state = await control.GetAsync(CancellationToken.None);
        Assert.That(await control.ResumeAsync(QueueControl.PausedByDiscogsToken, CancellationToken.None), Is.False);
        Assert.That((state.Paused, state.Reason, state.PausedBy), Is.EqualTo((true, "Holding until Monday", QueueControl.PausedByPerson)));
    }

    [Test]
    public async Task A_person_can_cancel_a_running_job_and_the_job_stops_cooperatively()
    {
        await using var db = await TestDatabase.CreateAsync();
        var running = new TaskCompletionSource<long>();
        await using var queue = await QueueHost.StartAsync(db.DataSource, async (job, ct) =>
        {
            running.TrySetResult(job.Id);
            await Task.Delay(Timeout.Infinite, ct);
            return new JobOutcome.Succeeded("never");
        });
        await AlbumRows.InsertAsync(db.DataSource);
        var jobId = await running.Task.WaitAsync(Patience);

        Assert.That(await queue.Services.GetRequiredService<QueueControl>().RequestCancelAsync(jobId, CancellationToken.None), Is.True);

        await WaitFor.ConditionAsync(async () => (await AlbumRows.JobAsync(db.DataSource, jobId)).State == "deleted", Patience, "the job to be cancelled");
        Assert.That((await AlbumRows.JobAsync(db.DataSource, jobId)).Reason, Is.EqualTo("cancelled by a person while running"));
    }

    [Test]
    public async Task Shutdown_releases_a_job_that_outlives_the_grace_period_without_spending_its_attempt()
    {
        await using var db = await TestDatabase.CreateAsync();
        var running = new TaskCompletionSource<long>();
        var queue = await QueueHost.StartAsync(db.DataSource, async (job, ct) =>
        {
            running.TrySetResult(job.Id);
            await Task.Delay(Timeout.Infinite, ct);
            return new JobOutcome.Succeeded("never");
        });
        await AlbumRows.InsertAsync(db.DataSource);
        var jobId = await running.Task.WaitAsync(Patience);

        await queue.DisposeAsync();

        var job = await AlbumRows.JobAsync(db.DataSource, jobId);
        Assert.That(job.State, Is.EqualTo("enqueued"));
        Assert.That(job.Attempt, Is.EqualTo(0));
        Assert.That(job.Reason, Is.EqualTo("released at shutdown"));
    }

    [Test]
    public async Task Pruning_removes_old_finished_jobs_in_batches_and_keeps_failed_ones()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO albums (artist, title) SELECT 'A' || i, 'T' || i FROM generate_series(1, 25) i");
            await connection.ExecuteAsync("""
                UPDATE enrichment_jobs SET state = CASE WHEN id % 5 = 0 THEN 'failed' ELSE 'succeeded' END,
                                           finished_at = now() - interval '40 days'
                """);
        }

        var store = new JobStore(db.DataSource);
        var batches = new List<int>();
        int pruned;
        while ((pruned = await store.PruneBatchAsync(TimeSpan.FromDays(30), 7, CancellationToken.None)) > 0)
        {
            batches.Add(pruned);
        }

        Assert.That(batches, Is.EqualTo(new[] { 7, 7, 6 }));
        await using var check = await db.DataSource.OpenConnectionAsync();
        Assert.That(await check.ExecuteScalarAsync<string>("SELECT string_agg(DISTINCT state, ',') FROM enrichment_jobs"), Is.EqualTo("failed"));
    }

    [TestCase(1, 15)]
    [TestCase(2, 30)]
    [TestCase(4, 120)]
    [TestCase(30, 3600)]
    public void Backoff_doubles_per_attempt_and_is_capped(int attempt, double expectedSeconds)
    {
        var middle = RetryPolicy.NextDelay(attempt, TimeSpan.FromSeconds(15), TimeSpan.FromHours(1), 0.5);
        var low = RetryPolicy.NextDelay(attempt, TimeSpan.FromSeconds(15), TimeSpan.FromHours(1), 0);

        Assert.That(middle.TotalSeconds, Is.EqualTo(expectedSeconds).Within(0.001));
        Assert.That(low.TotalSeconds, Is.EqualTo(expectedSeconds * 0.75).Within(0.001));
    }
}
