using System.Diagnostics;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Resilience;

/// <summary>
/// The queue's promise when the process dies: a killed run's jobs are rescued from their expired leases and run
/// again, a stopped run hands its jobs back unspent, and either way every album is enriched exactly once.
/// </summary>
[NonParallelizable]
public sealed class ProcessDeathTests
{
    private const string Rescued = "SELECT count(*) FROM job_events WHERE reason = 'lease expired: rescued'";

    [Test]
    public async Task Three_SIGKILLs_at_random_points_lose_no_album_and_every_dead_run_is_rescued_from_its_lease()
    {
        const int albums = 120;
        await using var db = await TestDatabase.CreateAsync();
        await using var run = await LibraryRun.CreateAsync(db.ConnectionString, albums);
        var random = TestContext.CurrentContext.Random;
        var service = run.StartService();
        var orphaned = new List<long>();
        for (var kill = 1; kill <= 3; kill++)
        {
            // Somewhere in the kill-th quarter of the run, then a little later still, at random.
            await run.WaitUntilSucceededAsync(albums * kill / 4 - random.Next(albums / 8), service);
            await Task.Delay(random.Next(500));
            service.Kill();
            orphaned.Add(await run.CountAsync("SELECT count(*) FROM enrichment_jobs WHERE state = 'processing'"));
            service = run.StartService();
        }

        await run.WaitUntilSucceededAsync(albums, service);
        await run.AssertEveryAlbumEnrichedOnceAsync();

        var rescued = await run.CountAsync(Rescued);
        var deadServers = await run.CountAsync("SELECT count(DISTINCT server_id) FROM job_events WHERE reason = 'lease expired: rescued'");
        var attemptsOtherThanRuns = await run.JobsChargedBeyondRescuesAsync();
        var failures = await run.FailuresAsync();
        var rescuedTwice = await run.CountAsync(
            "SELECT count(*) FROM (SELECT job_id FROM job_events WHERE reason = 'lease expired: rescued' GROUP BY 1 HAVING count(*) > 1) r");
        await TestContext.Out.WriteLineAsync(
            $"jobs left processing by each kill: {string.Join(", ", orphaned)}; rescued: {rescued} (from {deadServers} dead servers), rescued twice: {rescuedTwice}");
        Assert.Multiple(() =>
        {
            Assert.That(orphaned, Has.All.GreaterThan(0), "each kill left running jobs behind");
            Assert.That(rescued, Is.EqualTo(orphaned.Sum()), "every job a dead run held was rescued, and only those");
            Assert.That(deadServers, Is.EqualTo(3), "the history names each killed server as the lease holder");
            Assert.That(attemptsOtherThanRuns, Is.Zero, "attempts count one per run; " + failures);
        });
    }

    [Test]
    public async Task SIGTERM_mid_run_exits_cleanly_within_its_grace_and_releases_running_jobs_without_charging_an_attempt()
    {
        const int albums = 60;
        var grace = TimeSpan.FromMilliseconds(500);
        await using var db = await TestDatabase.CreateAsync();
        await using var run = await LibraryRun.CreateAsync(db.ConnectionString, albums);
        var random = TestContext.CurrentContext.Random;
        // More workers than the budget keeps busy: most are waiting for a request slot when the stop comes.
        var settings = new Dictionary<string, string?>
        {
            ["Jobs__Workers"] = "8",
            ["Jobs__ShutdownGrace"] = grace.ToString(),
        };
        var service = run.StartService(settings);
        await run.WaitUntilSucceededAsync(albums / 4 + random.Next(albums / 4), service);

        var stopping = Stopwatch.StartNew();
        // Grace, then the host's own stop: a service that waited for its jobs instead would blow this bound.
        await service.TerminateAsync(grace + TimeSpan.FromSeconds(15));
        stopping.Stop();
        var processing = await run.CountAsync("SELECT count(*) FROM enrichment_jobs WHERE state = 'processing'");
        var released = await run.CountAsync("SELECT count(*) FROM job_events WHERE reason = 'released at shutdown'");
        var releasedCharged = await run.CountAsync("SELECT count(*) FROM job_events WHERE reason = 'released at shutdown' AND attempt <> 0");
        var doneAtStop = await run.SucceededAsync();
        await TestContext.Out.WriteLineAsync(
            $"stopped in {stopping.Elapsed.TotalSeconds:0.00} s with grace {grace.TotalSeconds} s; {doneAtStop} done, {released} released");
        Assert.Multiple(() =>
        {
            Assert.That(service.ExitCode, Is.Zero, service.OutputText);
            Assert.That(processing, Is.Zero, "a stop leaves no job in processing");
            Assert.That(released, Is.GreaterThan(0), "jobs still running after the grace were handed back");
            Assert.That(releasedCharged, Is.Zero, "a released job's attempt is refunded");
            Assert.That(service.OutputText, Does.Contain("no job left running"), "the pool reports a clean stop");
            Assert.That(service.OutputText, Does.Not.Contain("is no longer leased"), "no run lost its lease: a job finishing during a renewal is not a lost lease");
        });

        var restarted = run.StartService(settings);
        await run.WaitUntilSucceededAsync(albums, restarted);
        await run.AssertEveryAlbumEnrichedOnceAsync();
        var notFirstAttempt = await run.CountAsync("SELECT count(*) FROM enrichment_jobs WHERE attempt <> 1");
        var rescued = await run.CountAsync(Rescued);
        var failures = await run.FailuresAsync();
        Assert.Multiple(() =>
        {
            Assert.That(notFirstAttempt, Is.Zero, "a job released at the stop ran again as its first attempt; " + failures);
            Assert.That(rescued, Is.Zero, "a clean stop leaves nothing to rescue");
        });
    }
}
