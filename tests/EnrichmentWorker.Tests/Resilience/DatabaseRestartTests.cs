using System.Diagnostics;
using EnrichmentWorker.Storage;
using EnrichmentWorker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnrichmentWorker.Tests.Resilience;

/// <summary>
/// PostgreSQL restarted under a running service. The shared test server must stay up for every other test, so this
/// test runs a private cluster of its own, with the service's embedded launcher, and stops and starts that one.
/// </summary>
[NonParallelizable]
public sealed class DatabaseRestartTests
{
    [Test]
    public async Task A_database_restart_mid_run_loses_no_album_and_the_service_reconnects_by_itself()
    {
        const int albums = 100;
        var directory = Path.Combine(Path.GetTempPath(), "enrichment-restart-" + Guid.NewGuid().ToString("N")[..8]);
        var storage = new StorageOptions { DataDirectory = directory, DatabaseName = "enrichment" };
        var cluster = await EmbeddedPostgres.StartAsync(storage, NullLogger.Instance, CancellationToken.None);
        try
        {
            await using var run = await LibraryRun.CreateAsync(cluster.ConnectionString, albums);
            var random = TestContext.CurrentContext.Random;
            var service = run.StartService();
            await run.WaitUntilSucceededAsync(albums / 4 + random.Next(albums / 4), service);

            var doneAtStop = await run.SucceededAsync();
            var runningAtStop = await run.CountAsync("SELECT count(*) FROM hangfire.job WHERE statename = 'Processing'");
            var outage = Stopwatch.StartNew();
            await cluster.DisposeAsync(); // pg_ctl stop -m fast: sessions are terminated, new ones refused
            // The outage's length, not a condition to wait for: long enough for every loop to meet the dead database.
            await Task.Delay(TimeSpan.FromSeconds(4 + random.NextDouble() * 2));
            cluster = await EmbeddedPostgres.StartAsync(storage, NullLogger.Instance, CancellationToken.None);
            outage.Stop();
            Assert.That(service.HasExited, Is.False, () => "the service died with its database:\n" + service.OutputText);

            // The dispatcher's notification listener is back on the new server: its session's last statement is the LISTEN.
            await WaitFor.ConditionAsync(
                async () => await run.CountAsync("SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN album_jobs'") > 0,
                LibraryRun.Patience, "the service to LISTEN again");
            await run.WaitUntilSucceededAsync(albums, service);
            await run.AssertEveryAlbumEnrichedOnceAsync();

            var runs = await run.RunsAsync();
            var runAgain = runs.GroupBy(r => r.JobId).Count(g => g.Count() > 1);
            var retries = await run.RetriesSpentAsync();
            var failedRuns = await run.CountAsync(AlbumJobRows.FailedRuns);
            var failures = await run.FailuresAsync();
            await TestContext.Out.WriteLineAsync(
                $"outage {outage.Elapsed.TotalSeconds:0.0} s after {doneAtStop} albums with {runningAtStop} running; jobs run again: {runAgain}; failed runs: {failedRuns}; retries spent: {retries}; {failures}");
            Assert.Multiple(() =>
            {
                Assert.That(service.HasExited, Is.False, () => "the service died after the restart:\n" + service.OutputText);
                Assert.That(runningAtStop, Is.GreaterThan(0), "jobs were running when the database went (else this test proves little)");
                Assert.That(retries, Is.Zero, "the outage spent no job's attempt; " + failures);
            });
        }
        finally
        {
            await cluster.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }
}
