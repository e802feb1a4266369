using Dapper;
using EnrichmentWorker.Jobs;
using EnrichmentWorker.Tests.Support;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace EnrichmentWorker.Tests.Jobs;

/// <summary>
/// The recurring chores run ahead of a backlog of albums and the dump's missing figures after it: each has its own queue,
/// and Hangfire.PostgreSql serves a server's queues in alphabetical order — the order these tests check on the real
/// storage, since the design rests on it.
/// </summary>
public sealed class JobQueuesTests
{
    [Test]
    public async Task A_chore_enqueued_behind_a_hundred_albums_is_fetched_first_by_a_server_serving_both_queues()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = HangfireRows.Client(db.DataSource);
        for (var album = 1; album <= 100; album++)
        {
            var albumId = album;
            client.Create(Job.FromExpression<EnrichmentWorker.Enrichment.AlbumEnrichmentJob>(j => j.RunAsync(albumId, "Album " + albumId, null, CancellationToken.None)),
                new EnqueuedState(JobQueues.Albums));
        }

        var chore = client.Create(Job.FromExpression<EnrichmentWorker.Enrichment.MissRecheck>(j => j.RunAsync(CancellationToken.None)), new EnqueuedState(JobQueues.Chores));

        using var connection = HangfireRows.Storage(db.DataSource).GetConnection();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var fetched = connection.FetchNextJob(JobQueues.ServedByEveryServer, timeout.Token);

        Assert.That(fetched.JobId, Is.EqualTo(chore));
    }

    [Test]
    public async Task A_figures_job_waits_until_no_album_job_is_left_to_fetch()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = HangfireRows.Client(db.DataSource);
        var figures = client.Create(Job.FromExpression<EnrichmentWorker.Enrichment.ReleaseFiguresJob>(j => j.RunAsync(1, CancellationToken.None)), new EnqueuedState(JobQueues.Figures));
        var album = client.Create(Job.FromExpression<EnrichmentWorker.Enrichment.AlbumEnrichmentJob>(j => j.RunAsync(1, "Album 1", null, CancellationToken.None)),
            new EnqueuedState(JobQueues.Albums));

        using var connection = HangfireRows.Storage(db.DataSource).GetConnection();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var first = connection.FetchNextJob(JobQueues.ServedByEveryServer, timeout.Token);
        using var second = connection.FetchNextJob(JobQueues.ServedByEveryServer, timeout.Token);

        Assert.That((first.JobId, second.JobId), Is.EqualTo((album, figures)), "the album enqueued later is fetched first");
    }

    /// <summary>Hangfire 1.8 keeps a recurring job's queue in its job ("q"); the hash's legacy Queue field says "default".</summary>
    [Test]
    public async Task Every_recurring_job_is_registered_in_the_chores_queue()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var service = ServiceProcess.Start(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = db.ConnectionString,
            ["Jobs__Workers"] = "0",
        });
        await service.WaitUntilServingAsync();
        IReadOnlyList<(string Job, string? Queue)> queues = [];
        await WaitFor.ConditionAsync(async () =>
        {
            await using var connection = await db.DataSource.OpenConnectionAsync();
            queues = (await connection.QueryAsync<(string, string?)>("""
                SELECT s.value AS Job, (SELECT h.value::jsonb ->> 'q' FROM hangfire.hash h WHERE h.key = 'recurring-job:' || s.value AND h.field = 'Job') AS Queue
                FROM hangfire.set s WHERE s.key = 'recurring-jobs' ORDER BY 1
                """)).AsList();
            return queues.Count >= 5;
        }, TimeSpan.FromSeconds(30), "the recurring jobs to be registered");

        Assert.That(queues.Select(q => q.Job), Is.SupersetOf(new[] { "fetch-release-figures", "import-new-dumps", "prune-album-history", "recheck-misses", "rescan-music-folders" }));
        Assert.That(queues.Select(q => q.Queue), Is.All.EqualTo(JobQueues.Chores), string.Join(", ", queues));
    }
}
