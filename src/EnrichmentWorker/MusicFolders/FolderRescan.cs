using Microsoft.Extensions.Options;

namespace EnrichmentWorker.MusicFolders;

/// <summary>A root whose scan failed, and why (the database away, say).</summary>
public sealed record FolderScanFailure(string Root, string Reason);

/// <summary>
/// Scans the configured roots, each under its <see cref="FolderScanLock"/>, so the start-up scan, the watcher's scans
/// and the recurring <see cref="FolderRescanJob"/> never scan one root at once, in this process or another.
/// </summary>
public sealed partial class FolderRescan(MusicFolderScanner scanner, FolderScanLock scanLock, IOptions<MusicFolderOptions> options, ILogger<FolderRescan> logger)
{
    /// <summary>Scans every root, one after another; returns those whose scan failed (each logged).</summary>
    public async Task<IReadOnlyList<FolderScanFailure>> RunAsync(CancellationToken cancellationToken)
    {
        var failures = new List<FolderScanFailure>();
        foreach (var root in options.Value.Folders)
        {
            if (await ScanRootAsync(root, cancellationToken) is { } failure)
            {
                failures.Add(failure);
            }
        }

        return failures;
    }

    /// <summary>Scans one root; a failure is logged and returned, for the caller to retry or report.</summary>
    public async Task<FolderScanFailure?> ScanRootAsync(string root, CancellationToken cancellationToken)
    {
        try
        {
            await using (await scanLock.AcquireAsync(MusicFolderScanner.SourceOf(root), cancellationToken))
            {
                await scanner.ScanAsync(root, cancellationToken);
            }

            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogScanFailed(ex, root);
            return new FolderScanFailure(root, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Scan of music folder {Root} failed; the next scan tries again")]
    private partial void LogScanFailed(Exception exception, string root);
}

/// <summary>
/// Scans every root once at start, for what changed while the service was down. Registered after
/// <see cref="FolderWatcher"/>, whose watches are in place by then, so an album copied in during this scan is not missed.
/// </summary>
public sealed class FolderStartupScan(FolderRescan rescan) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await rescan.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
