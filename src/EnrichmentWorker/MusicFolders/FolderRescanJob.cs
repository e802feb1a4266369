using Hangfire;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.MusicFolders;

/// <summary>
/// The recurring Hangfire job "rescan-music-folders": every root scanned again (only changed files are read), as a
/// backstop for changes the watcher missed (network shares, the inotify watch limit). A root whose scan failed fails
/// the run, with the reason, so the Hangfire dashboard shows it and retries it; the other roots are still scanned.
/// </summary>
public sealed class FolderRescanJob(FolderRescan rescan)
{
    public const string RecurringJobId = "rescan-music-folders";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = await rescan.RunAsync(cancellationToken);
        if (failures.Count > 0)
        {
            throw new FolderRescanException(failures);
        }
    }
}

public sealed class FolderRescanException(IReadOnlyList<FolderScanFailure> failures) : Exception(
    "Rescan of music folder" + (failures.Count == 1 ? " " : "s ") + string.Join("; ", failures.Select(f => $"{f.Root} failed: {f.Reason}"))
    + ". The service log has the details; the job is retried, and the next scheduled rescan tries again.")
{
    public IReadOnlyList<FolderScanFailure> Failures { get; } = failures;
}

/// <summary>
/// Registers <see cref="FolderRescanJob"/> at every start on the cron schedule (UTC) of
/// <see cref="MusicFolderOptions.FolderRescanInterval"/>, so a changed interval applies; AddOrUpdate is idempotent
/// across processes. Without <c>Library:Folders</c> the job does nothing.
/// </summary>
public sealed class FolderRescanSchedule(IRecurringJobManager recurring, IOptions<MusicFolderOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var cron = CronOf(options.Value.FolderRescanInterval)
            ?? throw new InvalidOperationException(IntervalRule); // options validation refuses such an interval first
        recurring.AddOrUpdate<FolderRescanJob>(FolderRescanJob.RecurringJobId, Jobs.JobQueues.Chores, job => job.RunAsync(CancellationToken.None), cron);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public const string IntervalRule =
        "Library:FolderRescanInterval must divide a minute, an hour or a day evenly, or be 7 days (for example 00:00:30, " +
        "00:15:00, 01:00:00, 06:00:00, 1.00:00:00): the rescan runs as a Hangfire recurring job on a cron schedule.";

    /// <summary>
    /// The cron expression that fires every <paramref name="interval"/>, aligned to the clock (UTC), or null for an
    /// interval no cron expression repeats evenly (45 minutes, 5 hours).
    /// </summary>
    public static string? CronOf(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero || interval.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return null;
        }

        var seconds = (long)interval.TotalSeconds;
        return seconds switch
        {
            1 => "* * * * * *",
            < 60 when 60 % seconds == 0 => $"*/{seconds} * * * * *",
            60 => "* * * * *",
            < 3600 when seconds % 60 == 0 && 60 % (seconds / 60) == 0 => $"*/{seconds / 60} * * * *",
            3600 => "0 * * * *",
            < 86400 when seconds % 3600 == 0 && 24 % (seconds / 3600) == 0 => $"0 */{seconds / 3600} * * *",
            86400 => "0 0 * * *",
            604800 => "0 0 * * 0",
            _ => null,
        };
    }
}
