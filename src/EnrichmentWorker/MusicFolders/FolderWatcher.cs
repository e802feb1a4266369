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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settle = options.Value.FolderSettleTime;
        var watchers = new List<FileSystemWatcher>();
        try
        {
            if (!options.Value.WatchFolders)
            {
                return;
            }

            foreach (var root in options.Value.Folders)
            {
                if (Watch(root) is { } watcher)
                {
                    watchers.Add(watcher);
                }
            }

            if (watchers.Count == 0)
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
                        if (_lastChange.TryRemove(root, out _) && !await rescan.ScanRootAsync(root, stoppingToken))
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
        finally
        {
            foreach (var watcher in watchers)
            {
                watcher.Dispose();
            }
        }
    }

    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot watch music folder {Root} ({Reason}); changes are found by the periodic rescan (Library:FolderRescanInterval)")]
    private partial void LogCannotWatch(string root, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching music folder {Root} lost events; scanning it again")]
    private partial void LogWatchError(Exception exception, string root);
}
