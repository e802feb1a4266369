using System.Collections.Concurrent;
using Dapper;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Resilience;

/// <summary>
/// Hangfire has no unique jobs: the project keeps "one live job per album" in album_jobs and hands albums to Hangfire
/// in the same transaction. Here two CLI processes queue every album again at once, three times, while two service
/// processes (two dispatchers, two Hangfire servers) run them, and a watcher samples Hangfire's job table throughout.
/// </summary>
[NonParallelizable]
public sealed class OneLiveJobProcessTests
{
    private const int Rounds = 3;

    [Test]
    public async Task Concurrent_enqueue_force_from_two_processes_never_leaves_two_live_jobs_for_one_album()
    {
        await using var run = await FaultRun.CreateAsync(albumCount: 24);
        await run.StartServiceAsync(workers: 2);
        await run.StartServiceAsync(workers: 2);
        await WaitFor.ConditionAsync(async () => await run.ScalarAsync<long>("SELECT count(*) FROM album_matches") >= 3,
            FaultRun.Patience, "the first results");

        using var stopWatching = new CancellationTokenSource();
        var samples = new ConcurrentBag<(long HangfireJobs, long AlbumJobRows)>();
        var watcher = Task.Run(async () =>
        {
            while (!stopWatching.IsCancellationRequested)
            {
                await using var connection = await run.Db.DataSource.OpenConnectionAsync();
                samples.Add(await connection.QuerySingleAsync<(long, long)>(
                    $"SELECT ({AlbumJobRows.MostNonFinalJobsOfOneAlbum}), (SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM album_jobs GROUP BY album_id) r)"));
                await Task.Delay(20);
            }
        });

        var environment = run.Environment(workers: 0);
        var outputs = new List<(int ExitCode, string Output)>();
        for (var round = 0; round < Rounds; round++)
        {
            outputs.AddRange(await Task.WhenAll(
                ServiceProcess.RunCommandAsync(environment, "enqueue", "--force"),
                ServiceProcess.RunCommandAsync(environment, "enqueue", "--force")));
        }

        await run.WaitUntilEveryAlbumIsFinishedAsync();
        await stopWatching.CancelAsync();
        await watcher;

        var jobs = await run.JobsAsync();
        var requested = await run.ScalarAsync<long>("SELECT count(*) FROM album_job_history WHERE state = 'requested' AND reason = 'enqueue command'");
        var reruns = jobs.Count - run.Albums.Count;
        // enqueue --force queues every album that has no live job; an album whose job is live is left to it.
        var reported = outputs.Sum(o => System.Text.RegularExpressions.Regex.Match(o.Output, @"Queued (\d+) albums") is { Success: true } m
            ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : 0);
        TestContext.Out.WriteLine($"{samples.Count} samples; {requested} requests from the CLI ({reported} reported); {jobs.Count} Hangfire jobs for {run.Albums.Count} albums; "
            + $"most live Hangfire jobs of one album at any sample: {samples.Max(s => s.HangfireJobs)}");
        Assert.Multiple(() =>
        {
            Assert.That(outputs.Select(o => o.ExitCode), Has.All.Zero, string.Join("\n----\n", outputs.Select(o => o.Output)));
            Assert.That(requested, Is.EqualTo(reported).And.GreaterThan(run.Albums.Count),
                "each album a CLI process says it queued has one request in its history: racing processes never both queued one album");
            Assert.That(samples, Is.Not.Empty);
            Assert.That(samples.Select(s => s.AlbumJobRows), Has.All.LessThanOrEqualTo(1), "at most one album_jobs row per album");
            Assert.That(samples.Select(s => s.HangfireJobs), Has.All.LessThanOrEqualTo(1),
                "at most one Hangfire job per album in Enqueued, Processing, Scheduled or Awaiting at any moment");
            Assert.That(reruns, Is.GreaterThan(0), "albums were asked for again while their jobs were live or done, so they ran again");
            Assert.That(jobs.Select(j => j.State), Has.All.EqualTo("Succeeded"), "no job was left behind by the race");
            Assert.That(jobs.Select(j => j.Attempt), Has.All.EqualTo(1));
        });
    }
}
