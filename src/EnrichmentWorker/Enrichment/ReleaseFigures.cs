using Dapper;
using EnrichmentWorker.Discogs;
using EnrichmentWorker.Discogs.Models;
using EnrichmentWorker.Jobs;
using Hangfire;
using Hangfire.States;
using Npgsql;

namespace EnrichmentWorker.Enrichment;

/// <summary>
/// The recurring Hangfire job "fetch-release-figures": an album the imported dump decided in full mode has its release
/// from the dump, which holds no community figures (have, want, rating), no marketplace figures (lowest price, copies
/// for sale) and no images. This queues one <see cref="ReleaseFiguresJob"/> per such release in the figures queue,
/// which workers take only when no album waits (<see cref="JobQueues"/>): the dump's albums cost no request to enrich,
/// and their figures come from the budget left over. A release queued is marked, so it is not queued twice while its
/// job waits; one marked but never run (the process died between the mark and the enqueue) is queued again after
/// <see cref="RequeueAfter"/>.
/// </summary>
public sealed class ReleaseFiguresQueue(NpgsqlDataSource dataSource, IBackgroundJobClient jobs, ILogger<ReleaseFiguresQueue> logger)
{
    public const string RecurringJobId = "fetch-release-figures";

    /// <summary>At most this many releases per run; the next run takes the next ones.</summary>
    public const int BatchSize = 5000;

    public static readonly TimeSpan RequeueAfter = TimeSpan.FromDays(1);

    private const string MarkMissing = """
        UPDATE discogs_releases r SET figures_requested_at = now()
        WHERE r.id IN (
            SELECT d.id FROM discogs_releases d
            WHERE d.figures_fetched_at IS NULL
              AND (d.figures_requested_at IS NULL OR d.figures_requested_at < now() - make_interval(secs => @requeueSeconds))
              AND EXISTS (SELECT 1 FROM album_releases ar WHERE ar.release_id = d.id)
            ORDER BY d.id
            LIMIT @batch
            FOR UPDATE SKIP LOCKED)
        RETURNING r.id
        """;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        List<long> releases;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            releases = (await connection.QueryAsync<long>(new CommandDefinition(MarkMissing,
                new { requeueSeconds = RequeueAfter.TotalSeconds, batch = BatchSize }, cancellationToken: cancellationToken))).AsList();
        }

        foreach (var releaseId in releases)
        {
            jobs.Create<ReleaseFiguresJob>(job => job.RunAsync(releaseId, CancellationToken.None), new EnqueuedState(JobQueues.Figures));
        }

        if (releases.Count > 0)
        {
            logger.LogInformation("Queued {Count} releases from the dump for their community and marketplace figures", releases.Count);
        }

        return releases.Count;
    }
}

/// <summary>
/// One release's community and marketplace figures and images, fetched from the API (one request, through the shared
/// budget, after the pause gate) and written over the dump's blanks. Nothing to do when an album's job fetched the
/// release from the API meanwhile. A release Discogs no longer shows (404) is marked done without figures.
/// </summary>
public sealed class ReleaseFiguresJob(NpgsqlDataSource dataSource, DiscogsClient discogs, QueuePauseGate gate, ILogger<ReleaseFiguresJob> logger)
{
    private const string StillMissing = "SELECT figures_fetched_at IS NULL FROM discogs_releases WHERE id = @releaseId";

    private const string WriteFigures = """
        UPDATE discogs_releases SET
            community_have = @releaseHave, community_want = @releaseWant, rating_average = @releaseRatingAverage,
            rating_count = @releaseRatingCount, lowest_price = @releaseLowestPrice, num_for_sale = @releaseNumForSale,
            cover_image_url = @cover, thumbnail_url = @thumbnail, images = @releaseImages::jsonb,
            data_quality = coalesce(@releaseDataQuality, data_quality), figures_fetched_at = now()
        WHERE id = @releaseId
        """;

    private const string MarkGone = "UPDATE discogs_releases SET figures_fetched_at = now() WHERE id = @releaseId";

    [JobDisplayName("Community and marketplace figures of release {0}")]
    public async Task RunAsync(long releaseId, CancellationToken cancellationToken)
    {
        await gate.WaitUntilRunningAsync(cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<bool?>(new CommandDefinition(StillMissing, new { releaseId }, cancellationToken: cancellationToken)) != true)
        {
            return;
        }

        var release = await discogs.GetReleaseAsync(releaseId, cancellationToken);
        if (release is null)
        {
            logger.LogInformation("Discogs no longer shows release {ReleaseId}; it keeps the dump's data without figures", releaseId);
            await connection.ExecuteAsync(new CommandDefinition(MarkGone, new { releaseId }, cancellationToken: cancellationToken));
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition(WriteFigures, Figures(release), cancellationToken: cancellationToken));
    }

    private static DynamicParameters Figures(DiscogsRelease release)
    {
        var primary = release.Images?.FirstOrDefault(i => i.Type == "primary") ?? release.Images?.FirstOrDefault();
        var parameters = new DynamicParameters(EnrichmentWriter.FigureParameters(release));
        parameters.AddDynamicParams(new
        {
            releaseId = release.Id,
            cover = primary?.Uri is { Length: > 0 } uri ? uri : null,
            thumbnail = new[] { primary?.Uri150, release.Thumb }.FirstOrDefault(t => !string.IsNullOrEmpty(t)),
        });
        return parameters;
    }
}
