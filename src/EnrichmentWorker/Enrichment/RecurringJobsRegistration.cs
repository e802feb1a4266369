using Hangfire;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Enrichment;

/// <summary>
/// The service's periodic work as Hangfire recurring jobs (on the dashboard's Recurring page, where a person can
/// trigger one now): the re-check of old misses, pruning of the albums' own history, the dump folder check, and the
/// queueing of the figures a dump lacks (<see cref="ReleaseFiguresQueue"/>). Hangfire prunes its own
/// finished jobs (Jobs:FinishedJobRetention); failed jobs stay until a person retries or deletes them. They run in
/// the chores queue (<see cref="Jobs.JobQueues"/>), ahead of the albums waiting.
/// Registered at every start, so a changed schedule applies; AddOrUpdate is idempotent across processes.
/// </summary>
public sealed class RecurringJobsRegistration(IRecurringJobManager recurring, IOptions<EnrichmentOptions> options) : IHostedService
{
    public const string PruneHistoryJobId = "prune-album-history";

    public const string DumpFolderJobId = "import-new-dumps";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<MissRecheck>(MissRecheck.RecurringJobId, Jobs.JobQueues.Chores, job => job.RunAsync(CancellationToken.None), options.Value.RecheckSchedule);
        recurring.AddOrUpdate<AlbumHistoryPruning>(PruneHistoryJobId, Jobs.JobQueues.Chores, job => job.RunAsync(CancellationToken.None), Cron.Daily(4));
        // Does nothing unless Dumps:Folder names a folder; a newer monthly file there is imported and swapped in.
        recurring.AddOrUpdate<Dumps.DumpFolderCheck>(DumpFolderJobId, Jobs.JobQueues.Chores, job => job.RunAsync(CancellationToken.None), Cron.Hourly());
        // Finds nothing unless a dump decided albums in full mode; their releases' figures come from the API.
        recurring.AddOrUpdate<ReleaseFiguresQueue>(ReleaseFiguresQueue.RecurringJobId, Jobs.JobQueues.Chores, job => job.RunAsync(CancellationToken.None), "*/10 * * * *");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
