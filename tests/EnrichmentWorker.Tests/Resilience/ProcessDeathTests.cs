using System.Diagnostics;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Resilience;

/// <summary>
/// The queue's promise when a Hangfire server dies: a killed server's jobs become visible again when Hangfire's
/// sliding invisibility timeout runs out and run again on another server, a stopped server puts its jobs back for
/// another run, neither spends an attempt, and either way every album is enriched exactly once.
/// </summary>
[NonParallelizable]
public sealed class ProcessDeathTests
{
    [Test]
    public async Task Three_SIGKILLs_at_random_points_lose_no_album_and_every_job_a_dead_server_held_runs_again_elsewhere()
    {
        const int albums = 120;
        await using var db = await TestDatabase.CreateAsync();
        await using var run = await LibraryRun.CreateAsync(db.ConnectionString, albums);
        var random = TestContext.CurrentContext.Random;
        var service = run.StartService();
        var orphaned = new List<(string Server, IReadOnlyList<long> Jobs)>();
        for (var kill = 1; kill <= 3; kill++)
        {
            var server = await run.NewServerIdAsync(service);
            // Somewhere in the kill-th quarter of the run, then a little later still, at random; with this server
            // running jobs of its own.
            await run.WaitUntilSucceededAsync(albums * kill / 4 - random.Next(albums / 8), service);
            await WaitFor.ConditionAsync(async () => (await run.ProcessingOnAsync(server)).Count > 0, LibraryRun.Patience, "the server to run jobs");
            await Task.Delay(random.Next(500));
            service.Kill();
            orphaned.Add((server, await run.ProcessingOnAsync(server)));
            service = run.StartService();
        }

        await run.WaitUntilSucceededAsync(albums, service);
        await run.AssertEveryAlbumEnrichedOnceAsync();

        var runs = await run.RunsAsync();
        var killedServers = orphaned.Select(o => o.Server).ToHashSet();
        var orphanedJobs = orphaned.SelectMany(o => o.Jobs).ToHashSet();
        // A run taken over: a job's run on a killed server, followed by another run of that job.
        var runsByJob = runs.GroupBy(r => r.JobId).ToDictionary(g => g.Key, g => g.Select(r => r.ServerId).ToList());
        var runAgain = runsByJob.Where(j => j.Value.Count > 1).Select(j => j.Key).ToHashSet();
        var takenOverFrom = runsByJob.Values.Where(servers => servers.Count > 1).SelectMany(servers => servers.SkipLast(1)).ToHashSet();
        var lastRunOnKilledServer = runsByJob.Where(j => orphanedJobs.Contains(j.Key) && killedServers.Contains(j.Value[^1])).Select(j => j.Key).ToList();
        var retries = await run.RetriesSpentAsync();
        var failures = await run.FailuresAsync();
        await TestContext.Out.WriteLineAsync(
            $"jobs left processing by each kill: {string.Join(", ", orphaned.Select(o => o.Jobs.Count))}; run again: {runAgain.Count}; runs in all: {runs.Count}; retries spent: {retries}");
        Assert.Multiple(() =>
        {
            Assert.That(orphaned.Select(o => o.Jobs.Count), Has.All.GreaterThan(0), "each kill left running jobs behind");
            Assert.That(runAgain, Is.EquivalentTo(orphanedJobs), "every job a dead server held ran again, and only those");
            Assert.That(lastRunOnKilledServer, Is.Empty, "each orphaned job's last run was on a live server");
            Assert.That(takenOverFrom, Is.SubsetOf(killedServers), "only killed servers' runs were taken over: a live job is never run twice");
            Assert.That(takenOverFrom, Has.Count.EqualTo(3), "the state history names each killed server");
            Assert.That(retries, Is.Zero, "a kill spends no Hangfire attempt; " + failures);
        });
    }

    [Test]
    public async Task SIGTERM_mid_run_exits_cleanly_within_its_grace_and_puts_running_jobs_back_without_spending_an_attempt()
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
        var server = await run.NewServerIdAsync(service);
        await run.WaitUntilSucceededAsync(albums / 4 + random.Next(albums / 4), service);
        await WaitFor.ConditionAsync(async () => (await run.ProcessingOnAsync(server)).Count > 0, LibraryRun.Patience, "the server to run jobs");

        // Discogs turns slow, so the running jobs cannot finish within the grace: the stop must put them back.
        run.Simulator.Options.Latency = TimeSpan.FromSeconds(3);
        var running = await run.ProcessingOnAsync(server);
        var stopping = Stopwatch.StartNew();
        // Grace, then Hangfire's own shutdown timeout (grace + 5 s): a service that waited for its jobs would blow this.
        await service.TerminateAsync(grace + TimeSpan.FromSeconds(15));
        stopping.Stop();
        // A worker may have taken one more job between the look above and the stop: a put-back job keeps its
        // Processing state on the stopped server, so look again.
        running = [.. running.Union(await run.ProcessingOnAsync(server))];
        // Put back: the job's queue entry is no longer held (fetchedat cleared), so the next server takes it at once
        // instead of waiting out the invisibility timeout.
        // What became of the jobs that were running: finished within the grace, or put back in Hangfire's queue.
        var afterStop = await run.QueryAsync<StoppedJob>("""
            SELECT j.id AS JobId, j.statename AS State, q.id IS NOT NULL AS Queued, q.fetchedat IS NOT NULL AS Held
            FROM hangfire.job j LEFT JOIN hangfire.jobqueue q ON q.jobid = j.id
            WHERE j.id = ANY(@running)
            """, new { running = running.ToArray() });
        var putBack = afterStop.Where(j => j.State != "Succeeded").Select(j => j.JobId).ToList();
        var putBackStates = afterStop.Select(j => $"{j.JobId}:{j.State}{(j.Queued ? j.Held ? " held" : " queued" : " not queued")}");
        var stillHeld = await run.CountAsync("SELECT count(*) FROM hangfire.jobqueue WHERE fetchedat IS NOT NULL");
        var queued = await run.CountAsync("SELECT count(*) FROM hangfire.jobqueue WHERE fetchedat IS NULL");
        var doneAtStop = await run.SucceededAsync();
        await TestContext.Out.WriteLineAsync(
            $"stopped in {stopping.Elapsed.TotalSeconds:0.00} s with grace {grace.TotalSeconds} s; {doneAtStop} done, {running.Count} running at the stop, {putBack.Count} put back "
            + $"(Hangfire states: {string.Join(",", putBackStates)}), {queued} queued");
        Assert.Multiple(() =>
        {
            Assert.That(service.ExitCode, Is.Zero, service.OutputText);
            Assert.That(putBack, Is.Not.Empty, "jobs were still running after the grace (else this test proves little)");
            Assert.That(afterStop.Where(j => j.State != "Succeeded").Select(j => j.Queued && !j.Held), Has.All.True, "each was put back in Hangfire's queue, not held");
            Assert.That(stillHeld, Is.Zero, "a stop leaves no job held invisible by the stopped server");
            Assert.That(queued, Is.EqualTo(albums - doneAtStop), "every unfinished album is in Hangfire's queue");
        });

        run.Simulator.Options.Latency = TimeSpan.Zero;
        var restarted = run.StartService(settings);
        var next = await run.NewServerIdAsync(restarted);
        await run.WaitUntilSucceededAsync(albums, restarted);
        await run.AssertEveryAlbumEnrichedOnceAsync();
        var runs = await run.RunsAsync();
        var retries = await run.RetriesSpentAsync();
        var failures = await run.FailuresAsync();
        Assert.Multiple(() =>
        {
            Assert.That(retries, Is.Zero, "a job put back at the stop ran again without spending an attempt; " + failures);
            Assert.That(putBack.Select(job => runs.Where(r => r.JobId == job).Select(r => r.ServerId).ToList()),
                Has.All.EqualTo(new[] { server, next }), "each job put back ran once on the stopped server and once on the next");
            Assert.That(runs.GroupBy(r => r.JobId).Where(g => !putBack.Contains(g.Key)).Select(g => g.Count()), Has.All.EqualTo(1), "no other job ran twice");
        });
    }

    private sealed record StoppedJob(long JobId, string State, bool Queued, bool Held);
}
