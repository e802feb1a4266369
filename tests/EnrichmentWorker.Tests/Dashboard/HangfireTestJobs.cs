using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.Server;
using Hangfire.States;
using Npgsql;

namespace EnrichmentWorker.Tests.Dashboard;

/// <summary>
/// Hangfire jobs for dashboard tests, created through Hangfire's own client against the service's database. The engine's
/// album job is not on this branch, so <see cref="AlbumEnrichmentJob"/> stands in with the same signature; the service
/// process loads this assembly through a .NET startup hook (<see cref="Settings"/>), so its dashboard can load the job
/// types as it will load the real ones.
/// </summary>
public static class HangfireTestJobs
{
    /// <summary>Service settings that let its Hangfire dashboard load these job types.</summary>
    public static Dictionary<string, string?> Settings => new() { ["DOTNET_STARTUP_HOOKS"] = typeof(AlbumEnrichmentJob).Assembly.Location };

    public static BackgroundJobClient Client(NpgsqlDataSource dataSource) => new(new PostgreSqlStorage(new DataSourceConnections(dataSource),
        new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = false }));

    public static string EnqueuedAlbumJob(NpgsqlDataSource dataSource, long albumId, string album) =>
        Client(dataSource).Create(Job.FromExpression(() => AlbumEnrichmentJob.RunAsync(albumId, album, null, CancellationToken.None)), new EnqueuedState());

    public static string FailedAlbumJob(NpgsqlDataSource dataSource, long albumId, string album) =>
        Client(dataSource).Create(Job.FromExpression(() => AlbumEnrichmentJob.RunAsync(albumId, album, null, CancellationToken.None)),
            new FailedState(new InvalidOperationException("Discogs answered 502 Bad Gateway three times.")));

    public static string EnqueuedOtherJob(NpgsqlDataSource dataSource, long number) =>
        Client(dataSource).Create(Job.FromExpression(() => OtherJob.RunAsync(number, CancellationToken.None)), new EnqueuedState());

    private sealed class DataSourceConnections(NpgsqlDataSource dataSource) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
    }
}

/// <summary>The album job's shape: AlbumEnrichmentJob.RunAsync(long albumId, string album, PerformContext, CancellationToken).</summary>
public static class AlbumEnrichmentJob
{
    public static Task RunAsync(long albumId, string album, PerformContext? context, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A job of another type whose first argument is also a number: its page must show no album.</summary>
public static class OtherJob
{
    public static Task RunAsync(long number, CancellationToken cancellationToken) => Task.CompletedTask;
}
