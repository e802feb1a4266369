using Dapper;
using EnrichmentWorker.Jobs;
using EnrichmentWorker.Tests.Support;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EnrichmentWorker.Tests.Jobs;

/// <summary>
/// A queue entry a worker fetched but never started (seen in short runs: the job Enqueued for minutes, the entry kept
/// invisible by Hangfire.PostgreSql's heartbeat, every worker idle) is put back once it has been so for the timeout;
/// an entry whose job runs is left alone.
/// </summary>
public sealed class StuckFetchReleaseTests
{
    [Test]
    public async Task A_fetched_entry_whose_job_stays_enqueued_past_the_timeout_is_put_back_and_a_running_one_is_left_alone()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = HangfireRows.Client(db.DataSource);
        var stuck = long.Parse(client.Create(Job.FromExpression<EnrichmentWorker.Enrichment.MissRecheck>(j => j.RunAsync(CancellationToken.None)), new EnqueuedState(JobQueues.Albums)));
        var running = long.Parse(client.Create(Job.FromExpression<EnrichmentWorker.Enrichment.MissRecheck>(j => j.RunAsync(CancellationToken.None)), new EnqueuedState(JobQueues.Albums)));
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            // Both fetched, as a worker's fetch leaves them; one of them started (its state name is all the check reads).
            await connection.ExecuteAsync("UPDATE hangfire.jobqueue SET fetchedat = now()");
            await connection.ExecuteAsync("UPDATE hangfire.job SET statename = 'Processing' WHERE id = @running", new { running });
        }

        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var release = new StuckFetchRelease(db.DataSource, Options.Create(new JobQueueOptions { StuckFetchTimeout = TimeSpan.FromSeconds(30) }), time, NullLogger<StuckFetchRelease>.Instance);

        var atFirstSight = await release.RunOnceAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(29));
        var beforeTimeout = await release.RunOnceAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(2));
        var afterTimeout = await release.RunOnceAsync(CancellationToken.None);

        await using var check = await db.DataSource.OpenConnectionAsync();
        var fetched = (await check.QueryAsync<long>("SELECT jobid FROM hangfire.jobqueue WHERE fetchedat IS NOT NULL")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That((atFirstSight, beforeTimeout, afterTimeout), Is.EqualTo((0, 0, 1)), "put back once the timeout has passed, not before");
            Assert.That(fetched, Is.EqualTo(new[] { running }), "the stuck entry is visible to the workers again; the running job's is not touched");
        });
    }
}
