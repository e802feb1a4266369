using System.Data;
using System.Globalization;
using Dapper;
using EnrichmentWorker.Jobs;
using EnrichmentWorker.Tests.Support;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Tests.Jobs;

/// <summary>
/// How the service's Hangfire workers learn of new albums, on the real storage with the service's storage options.
/// Long polling is off (it lost jobs: see HangfireStorageSetup.StorageOptions), so what makes a new album start at
/// once is the commit of the dispatcher's batch waking this process's idle workers: this test puts the queue's poll
/// 10 minutes away, so only that wake-up can pass it.
/// </summary>
public sealed class HangfireFetchTests
{
    [Test]
    public async Task A_dispatched_batch_wakes_every_idle_worker_with_no_poll_due_and_no_worker_holds_a_notification_listener()
    {
        await using var db = await TestDatabase.CreateAsync();
        var options = new JobQueueOptions { PollInterval = TimeSpan.FromMinutes(10) };
        var connections = new ObservedConnections(db.DataSource);
        var storage = new PostgreSqlStorage(connections, HangfireStorageSetup.StorageOptions(options));
        const int workers = 4;
        var closedBefore = connections.Closed;
        using var stop = new CancellationTokenSource();
        // Each fetched job is kept (not disposed, which would put it back) until all have been fetched, as by a worker.
        var fetches = Enumerable.Range(0, workers).Select(_ => Task.Run(() =>
        {
            using var connection = storage.GetConnection();
            return connection.FetchNextJob(JobQueues.ServedByEveryServer, stop.Token);
        })).ToList();
        try
        {
            // Each worker's first look found the queue empty (its connection is back): each now waits for a wake-up.
            await WaitFor.ConditionAsync(() => connections.Closed >= closedBefore + workers, TimeSpan.FromSeconds(30), "every worker to find the queue empty");
            await using (var connection = await db.DataSource.OpenConnectionAsync())
            {
                await connection.ExecuteAsync("INSERT INTO albums (artist, title) SELECT 'Waker', 'Album ' || g FROM generate_series(1, @workers) g", new { workers });
            }

            var dispatcher = new AlbumJobDispatcher(db.DataSource, Options.Create(options), TimeProvider.System, NullLogger<AlbumJobDispatcher>.Instance);
            Assert.That(dispatcher.DispatchBatch(workers), Is.EqualTo(workers), "one batch, one commit");
            var fetched = (await Task.WhenAll(fetches).WaitAsync(TimeSpan.FromSeconds(30)))
                .Select(job => long.Parse(job.JobId, CultureInfo.InvariantCulture)).ToList();

            await using var check = await db.DataSource.OpenConnectionAsync();
            var dispatched = await check.QueryAsync<long>("SELECT hangfire_job_id FROM album_jobs");
            var listeners = await check.QueryAsync<string>(
                "SELECT query FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'");
            Assert.Multiple(() =>
            {
                Assert.That(fetched, Is.EquivalentTo(dispatched), "each idle worker woke and took one of the batch's jobs");
                Assert.That(listeners, Is.Empty,
                    "no worker opened a LISTEN connection: a fetch that must cancel and await one can hold its job forever (npgsql#5975)");
            });
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(fetches).ContinueWith(_ => { }, TaskScheduler.Default);
            foreach (var fetch in fetches.Where(f => f.IsCompletedSuccessfully))
            {
                fetch.Result.Dispose();
            }
        }
    }

    /// <summary>The service's own connections to Hangfire, counting those handed back (a worker's look into the queue).</summary>
    private sealed class ObservedConnections(NpgsqlDataSource dataSource) : IConnectionFactory
    {
        private int _closed;

        public int Closed => Volatile.Read(ref _closed);

        public NpgsqlConnection GetOrCreateConnection()
        {
            var connection = dataSource.CreateConnection();
            connection.StateChange += (_, change) =>
            {
                if (change.CurrentState == ConnectionState.Closed)
                {
                    Interlocked.Increment(ref _closed);
                }
            };
            return connection;
        }
    }
}
