using System.Diagnostics;
using EnrichmentWorker.Library;

namespace EnrichmentWorker.MusicFolders;

/// <summary>What one scan of a root found and did.</summary>
public sealed record FolderScanResult(
    string Root,
    string? Unavailable,
    int AudioFiles,
    int OtherFiles,
    int FilesRead,
    IReadOnlyList<FolderAlbum> Albums,
    IReadOnlyList<FolderProblem> Problems,
    AlbumUpsertResult? Written);

/// <summary>
/// Scans one root: lists its files, reads the tags of those new or changed since the last scan (by size and
/// modification time), groups the tracks into albums and writes them to <c>albums</c> through the same upsert as every
/// other way in, so the database's trigger queues what is new or changed. Albums no longer found are marked missing.
/// A file or folder that cannot be used becomes a problem with its reason; nothing stops the scan.
/// </summary>
public sealed partial class MusicFolderScanner(
    FolderWalker walker,
    TrackTagReader reader,
    AlbumGrouper grouper,
    MusicFolderStore store,
    AlbumWriter writer,
    TimeProvider time,
    ILogger<MusicFolderScanner> logger)
{
    /// <summary>The root as the albums' source: its full path, without a trailing separator.</summary>
    public static string SourceOf(string root) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));

    /// <summary>Scans and writes what it finds.</summary>
    public Task<FolderScanResult> ScanAsync(string root, CancellationToken cancellationToken) => ScanAsync(root, dryRun: false, cancellationToken);

    /// <summary>With <paramref name="dryRun"/>, reads every file and reports, touching no table.</summary>
    public async Task<FolderScanResult> ScanAsync(string root, bool dryRun, CancellationToken cancellationToken)
    {
        var source = SourceOf(root);
        var started = Stopwatch.GetTimestamp();
        var known = dryRun ? [] : await store.FilesAsync(source, cancellationToken);
        if (!Directory.Exists(source))
        {
            return await UnavailableAsync(source, "the folder does not exist or cannot be reached (an unmounted share?); its albums are left as they were", dryRun, cancellationToken);
        }

        FolderWalkResult walk;
        try
        {
            walk = await Task.Run(() => walker.Walk(source, cancellationToken), cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return await UnavailableAsync(source, $"the folder cannot be read ({ex.Message}); its albums are left as they were", dryRun, cancellationToken);
        }

        if (walk.AudioFiles.Count == 0 && known.Count > 0)
        {
            // An unmounted share often leaves an empty mount point: that is not the user deleting every album.
            return await UnavailableAsync(source, $"the folder is empty now though {known.Count} audio files were there (an unmounted share?); its albums are left as they were", dryRun, cancellationToken);
        }

        var current = new List<TrackFile>(walk.AudioFiles.Count);
        var changed = new List<TrackFile>();
        foreach (var found in walk.AudioFiles)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var modified = ToDatabasePrecision(found.ModifiedUtc);
            if (known.TryGetValue(found.Path, out var before) && before.Size == found.Size && before.ModifiedUtc == modified)
            {
                current.Add(before);
                continue;
            }

            var track = Read(found, modified);
            current.Add(track);
            changed.Add(track);
        }

        var seen = walk.AudioFiles.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var removed = known.Keys.Where(p => !seen.Contains(p)).ToList();
        var (albums, groupProblems) = grouper.Group(source, current);
        var problems = walk.Problems
            .Concat(current.Where(t => t.Problem is not null).Select(t => new FolderProblem(t.Path, t.Problem!)))
            .Concat(groupProblems)
            .DistinctBy(p => p.Path, StringComparer.Ordinal)
            .OrderBy(p => p.Path, StringComparer.Ordinal)
            .ToList();

        if (dryRun)
        {
            return new FolderScanResult(source, null, walk.AudioFiles.Count, walk.OtherFiles, changed.Count, albums, problems, null);
        }

        // No statement timeout, as for import: a first scan of a large library writes every album in one statement.
        var written = await writer.UpsertAsync([.. albums.Select(a => a.Album)], TimeSpan.Zero, cancellationToken);
        var counts = new ScanCounts(walk.AudioFiles.Count, walk.OtherFiles, albums.Count, Stopwatch.GetElapsedTime(started));
        var fresh = await store.SaveScanAsync(source, changed, removed, [.. albums.Select(a => a.Album.SourceKey)], problems, counts, time.GetUtcNow(), cancellationToken);
        foreach (var problem in fresh)
        {
            LogProblem(source, problem.Path, problem.Reason);
        }

        LogScanned(source, walk.AudioFiles.Count, changed.Count, removed.Count, albums.Count, written.Added, written.Updated, problems.Count);
        return new FolderScanResult(source, null, walk.AudioFiles.Count, walk.OtherFiles, changed.Count, albums, problems, written);
    }

    private TrackFile Read(FoundFile found, DateTime modified)
    {
        if (found.Size == 0)
        {
            return new TrackFile(found.Path, 0, modified, null, "empty file (0 bytes): a copy that failed or is still running?");
        }

        try
        {
            return new TrackFile(found.Path, found.Size, modified, reader.Read(found.FullPath), null);
        }
        catch (TrackUnreadableException ex)
        {
            return new TrackFile(found.Path, found.Size, modified, null, ex.Message);
        }
    }

    private async Task<FolderScanResult> UnavailableAsync(string source, string reason, bool dryRun, CancellationToken cancellationToken)
    {
        if (!dryRun && await store.MarkUnavailableAsync(source, reason, time.GetUtcNow(), cancellationToken))
        {
            LogUnavailable(source, reason);
        }

        return new FolderScanResult(source, reason, 0, 0, 0, [], [], null);
    }

    /// <summary>PostgreSQL keeps microseconds; comparing at that precision keeps an unchanged file unchanged.</summary>
    private static DateTime ToDatabasePrecision(DateTime utc) => new(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Music folder {Root}: cannot use {Path}: {Reason}")]
    private partial void LogProblem(string root, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Music folder {Root} is unavailable: {Reason}")]
    private partial void LogUnavailable(string root, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scanned music folder {Root}: {Files} audio files ({Read} read, {Removed} gone), {Albums} albums ({Added} added, {Updated} updated), {Problems} problems")]
    private partial void LogScanned(string root, int files, int read, int removed, int albums, int added, int updated, int problems);
}
