using Dapper;
using EnrichmentWorker.Discogs;
using EnrichmentWorker.Discogs.Models;
using EnrichmentWorker.Enrichment;
using EnrichmentWorker.Jobs;
using EnrichmentWorker.Matching;
using EnrichmentWorker.Tests.Simulator;
using EnrichmentWorker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Tests.Enrichment;

/// <summary>
/// A release the dump decided has no community or marketplace figures and no images: the recurring job queues one
/// figures job per such release, which asks the simulator once and fills them in, and the dump never blanks them again.
/// </summary>
public sealed class ReleaseFiguresTests : SharedSimulatorFixture
{
    [Test]
    public async Task A_release_from_the_dump_is_queued_once_in_the_figures_queue_and_its_job_fills_in_what_the_dump_lacks()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = DiscogsClient();
        var releaseId = (await client.GetMasterAsync(35266, CancellationToken.None))!.MainRelease!.Value;
        var album = await AlbumAsync(db);
        await WriteAsync(db, FromDump(album, releaseId));
        var queue = new ReleaseFiguresQueue(db.DataSource, HangfireRows.Client(db.DataSource), NullLogger<ReleaseFiguresQueue>.Instance);

        var queued = await queue.RunAsync(CancellationToken.None);
        var queuedAgain = await queue.RunAsync(CancellationToken.None);
        var requestsBefore = Server.Requests.Count;
        await Job(db, client).RunAsync(releaseId, CancellationToken.None);
        var requestsForFigures = Server.Requests.Count - requestsBefore;
        await Job(db, client).RunAsync(releaseId, CancellationToken.None);
        var requestsForNothing = Server.Requests.Count - requestsBefore - requestsForFigures;

        await using var connection = await db.DataSource.OpenConnectionAsync();
        var queues = (await connection.QueryAsync<string>("SELECT queue FROM hangfire.jobqueue")).AsList();
        var row = await FiguresAsync(db, releaseId);
        Assert.Multiple(() =>
        {
            Assert.That((queued, queuedAgain), Is.EqualTo((1, 0)), "queued once, not again while its job waits");
            Assert.That(queues, Is.EqualTo(new[] { JobQueues.Figures }));
            Assert.That((requestsForFigures, requestsForNothing), Is.EqualTo((1, 0)), "one request, none once the figures are in");
            Assert.That(row.FiguresFetched, Is.True);
            Assert.That(row.Have, Is.Not.Null);
            Assert.That(row.RatingCount, Is.Not.Null);
            Assert.That(row.Images, Is.GreaterThan(0));
            Assert.That(row.Cover, Is.Not.Null);
        });
    }

    [Test]
    public async Task Writing_the_release_from_the_dump_again_keeps_the_figures_the_api_gave()
    {
        await using var db = await TestDatabase.CreateAsync();
        var client = DiscogsClient();
        var releaseId = (await client.GetMasterAsync(35266, CancellationToken.None))!.MainRelease!.Value;
        var album = await AlbumAsync(db);
        var fetched = (await client.GetReleaseAsync(releaseId, CancellationToken.None))!;
        await WriteAsync(db, FromDump(album, releaseId) with { Release = fetched, ReleaseFromDump = false, MatchSource = MatchSource.Api });
        var fromApi = await FiguresAsync(db, releaseId);

        await WriteAsync(db, FromDump(album, releaseId));
        var afterDump = await FiguresAsync(db, releaseId);
        var queued = await new ReleaseFiguresQueue(db.DataSource, HangfireRows.Client(db.DataSource), NullLogger<ReleaseFiguresQueue>.Instance).RunAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(fromApi.FiguresFetched, Is.True, "a release fetched from the API has its figures");
            Assert.That(fromApi.Have, Is.Not.Null);
            Assert.That(afterDump, Is.EqualTo(fromApi), "the dump's blanks did not replace them");
            Assert.That(queued, Is.Zero, "nothing to fetch");
        });
    }

    private DiscogsClient DiscogsClient()
    {
        var resilience = new DiscogsResilience(Options.Create(new DiscogsOptions { BaseUrl = Server.BaseUrl }), TimeProvider.System, new RateLimitWaits(), NullLogger<DiscogsResilience>.Instance, new DiscogsConnectionStatus());
        return new DiscogsClient(Client, resilience);
    }

    private static ReleaseFiguresJob Job(TestDatabase db, DiscogsClient client) => new(db.DataSource, client,
        new QueuePauseGate(new QueueControl(db.DataSource), Options.Create(new JobQueueOptions()), TimeProvider.System, NullLogger<QueuePauseGate>.Instance),
        NullLogger<ReleaseFiguresJob>.Instance);

    private static async Task<long> AlbumAsync(TestDatabase db)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("INSERT INTO albums (source, source_key, artist, title, year) VALUES ('test', 'weezer', 'Weezer', 'Weezer', 1994) RETURNING id");
    }

    /// <summary>What the dump gives for the release: its identity and title, no figures, no images.</summary>
    private static EnrichmentResult FromDump(long albumId, long releaseId) => new()
    {
        AlbumId = albumId,
        Mode = EnrichmentMode.Full,
        Status = MatchOutcome.Matched,
        ReasonCode = "test",
        Reason = "decided by the dump",
        MatchSource = MatchSource.Dump,
        ReleaseId = releaseId,
        Release = new DiscogsRelease { Id = releaseId, Title = "Weezer", Year = 1994, DataQuality = "Correct" },
        ReleaseFromDump = true,
    };

    private static async Task WriteAsync(TestDatabase db, EnrichmentResult result)
    {
        var results = new EnrichmentWriter().Results(result, () => { });
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(results.Sql, results.Parameters);
    }

    private static async Task<Figures> FiguresAsync(TestDatabase db, long releaseId)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<Figures>("""
            SELECT community_have AS Have, rating_count AS RatingCount, lowest_price AS LowestPrice, jsonb_array_length(images) AS Images,
                   cover_image_url AS Cover, figures_fetched_at IS NOT NULL AS FiguresFetched
            FROM discogs_releases WHERE id = @releaseId
            """, new { releaseId });
    }

    private sealed record Figures(int? Have, int? RatingCount, decimal? LowestPrice, int Images, string? Cover, bool FiguresFetched);
}
