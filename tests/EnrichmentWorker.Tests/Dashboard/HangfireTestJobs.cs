using EnrichmentWorker.Tests.Support;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Npgsql;

namespace EnrichmentWorker.Tests.Dashboard;

/// <summary>
/// Hangfire jobs for dashboard tests, created through Hangfire's own client against the service's database, of the
/// service's own job types (so its dashboard loads them): the album job, and another job whose page shows no album.
/// </summary>
public static class HangfireTestJobs
{
    private static IBackgroundJobClient Client(NpgsqlDataSource dataSource) => HangfireRows.Client(dataSource);

    public static string EnqueuedAlbumJob(NpgsqlDataSource dataSource, long albumId, string album) =>
        Client(dataSource).Create(AlbumJob(albumId, album), new EnqueuedState());

    public static string FailedAlbumJob(NpgsqlDataSource dataSource, long albumId, string album) =>
        Client(dataSource).Create(AlbumJob(albumId, album), new FailedState(new InvalidOperationException("Discogs answered 502 Bad Gateway three times.")));

    /// <summary>A recurring job's kind (the miss re-check), enqueued by hand: not an album job.</summary>
    public static string EnqueuedOtherJob(NpgsqlDataSource dataSource, long number) =>
        Client(dataSource).Create(Job.FromExpression<EnrichmentWorker.Enrichment.MissRecheck>(j => j.RunAsync(CancellationToken.None)), new EnqueuedState { Reason = "test " + number });

    public static Job AlbumJob(long albumId, string album) =>
        Job.FromExpression<EnrichmentWorker.Enrichment.AlbumEnrichmentJob>(j => j.RunAsync(albumId, album, null, CancellationToken.None));
}
