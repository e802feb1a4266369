using Microsoft.Extensions.Options;

namespace EnrichmentWorker.MusicFolders;

/// <summary>
/// Scans every configured root, one scan at a time in this process (the watcher's scans share the same gate), so a
/// periodic rescan and a watcher's scan never read the same files twice at once. A plain job with
/// <see cref="RunAsync"/> so a scheduler (today <see cref="FolderRescanService"/>) can run it on any timetable.
/// </summary>
public sealed partial class FolderRescan(MusicFolderScanner scanner, FolderScanGate gate, IOptions<MusicFolderOptions> options, ILogger<FolderRescan> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var root in options.Value.Folders)
        {
            await ScanRootAsync(root, cancellationToken);
        }
    }

    /// <summary>Scans one root; a failure (the database away) is logged and returns false, for the caller to retry.</summary>
    public async Task<bool> ScanRootAsync(string root, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await scanner.ScanAsync(root, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogScanFailed(ex, root);
            return false;
        }
        finally
        {
            gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Scan of music folder {Root} failed; the next scan tries again")]
    private partial void LogScanFailed(Exception exception, string root);
}

/// <summary>One scan at a time in this process.</summary>
public sealed class FolderScanGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public Task WaitAsync(CancellationToken cancellationToken) => _semaphore.WaitAsync(cancellationToken);

    public void Release() => _semaphore.Release();

    public void Dispose() => _semaphore.Dispose();
}

/// <summary>Runs <see cref="FolderRescan"/> at start and then every <see cref="MusicFolderOptions.FolderRescanInterval"/>.</summary>
public sealed class FolderRescanService(FolderRescan rescan, IOptions<MusicFolderOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Folders.Count == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.FolderRescanInterval, time);
        do
        {
            await rescan.RunAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
