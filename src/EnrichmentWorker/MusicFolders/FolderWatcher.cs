using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.MusicFolders;

/// <summary>
/// Watches each root and scans it once it has been quiet for <see cref="MusicFolderOptions.FolderSettleTime"/> after a
/// change, so an album being copied is read once, when its last file has landed. A root that cannot be watched (the
/// inotify limit, a share without change events) is logged and left to the periodic rescan.
/// </summary>
public sealed partial class FolderWatcher(FolderRescan rescan, IOptions<MusicFolderOptions> options, TimeProvider time, ILogger<FolderWatcher> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, long> _lastChange = new(StringComparer.Ordinal);
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _changed = new(0);
    private readonly List<FileSystemWatcher> _watchers = [];

    /// <summary>
    /// Starts the watches before returning: since .NET 10 all of ExecuteAsync runs later, on the thread pool, and a file
    /// landing before its watch exists is seen by no one until the periodic rescan (an album copied in right after
    /// start, or during the start-up scan, which runs after this).
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.WatchFolders)
        {
            foreach (var root in options.Value.Folders)
            {
                if (Watch(root) is { } watcher)
                {
                    _watchers.Add(watcher);
                }
            }
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settle = options.Value.FolderSettleTime;
        try
        {
            if (_watchers.Count == 0)
            {
                return;
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                await _changed.WaitAsync(stoppingToken);
                while (_changed.Wait(0))
                {
                    // One pass serves every event signalled so far.
                }

                // Wait until every changed root has been quiet for the settle time, then scan those that are.
                while (!_lastChange.IsEmpty)
                {
                    var now = time.GetTimestamp();
                    var due = _lastChange.Where(c => time.GetElapsedTime(c.Value, now) >= settle).Select(c => c.Key).ToList();
                    foreach (var root in due)
                    {
                        if (_lastChange.TryRemove(root, out _) && await rescan.ScanRootAsync(root, stoppingToken) is not null)
                        {
                            // The scan failed (the database away, say): try again after a pause rather than wait
                            // for the next change or the periodic rescan.
                            _lastChange.TryAdd(root, time.GetTimestamp() + (long)(RetryPause.TotalSeconds * time.TimestampFrequency));
                        }
                    }

                    if (!_lastChange.IsEmpty)
                    {
                        var soonest = _lastChange.Values.Select(t => settle - time.GetElapsedTime(t)).DefaultIfEmpty(settle).Min();
                        await Task.Delay(soonest > TimeSpan.Zero ? soonest : TimeSpan.FromMilliseconds(10), time, stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        StopWatching();
    }

    public override void Dispose()
    {
        StopWatching();
        _changed.Dispose();
        base.Dispose();
    }

    private void StopWatching()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _watchers.Clear();
    }

    private FileSystemWatcher? Watch(string root)
    {
        try
        {
            var watcher = new FileSystemWatcher(root)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Size | NotifyFilters.LastWrite,
                InternalBufferSize = 64 * 1024,
            };
            FileSystemEventHandler changed = (_, _) => Changed(root);
            watcher.Created += changed;
            watcher.Changed += changed;
            watcher.Deleted += changed;
            watcher.Renamed += (_, _) => Changed(root);
            // A lost event (buffer overflow) may hide any change: scan the root.
            watcher.Error += (_, e) =>
            {
                LogWatchError(e.GetException(), root);
                Changed(root);
            };
            watcher.EnableRaisingEvents = true;
            LogWatching(root);
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            LogCannotWatch(root, ex.Message);
            return null;
        }
    }

    private void Changed(string root)
    {
        _lastChange[root] = time.GetTimestamp();
        try
        {
            _changed.Release();
        }
        catch (ObjectDisposedException)
        {
            // The service is stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching music folder {Root} for albums copied in")]
    private partial void LogWatching(string root);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot watch music folder {Root} ({Reason}); changes are found by the periodic rescan (Library:FolderRescanInterval)")]
    private partial void LogCannotWatch(string root, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching music folder {Root} lost events; scanning it again")]
    private partial void LogWatchError(Exception exception, string root);
}
