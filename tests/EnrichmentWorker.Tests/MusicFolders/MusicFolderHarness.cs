using System.Collections.Concurrent;
using Dapper;
using EnrichmentWorker.Library;
using EnrichmentWorker.MusicFolders;
using EnrichmentWorker.Tests.Support;
using Microsoft.Extensions.Logging;

namespace EnrichmentWorker.Tests.MusicFolders;

/// <summary>A music folder of a test's own (a temporary root), a fresh database, and the real scanner between them.</summary>
internal sealed class MusicFolderHarness : IAsyncDisposable
{
    private MusicFolderHarness(TestDatabase database, string root)
    {
        Database = database;
        Root = root;
        Logs = new ListLogger<MusicFolderScanner>();
        Scanner = new MusicFolderScanner(new FolderWalker(), new TrackTagReader(), new AlbumGrouper(), new MusicFolderStore(database.DataSource),
            new AlbumWriter(database.DataSource), TimeProvider.System, Logs);
    }

    public TestDatabase Database { get; }

    public string Root { get; }

    public MusicFolderScanner Scanner { get; }

    public ListLogger<MusicFolderScanner> Logs { get; }

    public static async Task<MusicFolderHarness> CreateAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "music-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        return new MusicFolderHarness(await TestDatabase.CreateAsync(), root);
    }

    /// <summary>Writes one tagged audio file at a path relative to the root.</summary>
    public string Add(string relativePath, TagSpec tags)
    {
        var path = Path.Combine(Root, relativePath);
        TaggedAudio.Write(path, tags);
        return path;
    }

    /// <summary>Writes an album of <paramref name="tracks"/> tracks in one folder.</summary>
    public void AddAlbum(string folder, TagSpec tags, int tracks = 3, string format = "mp3")
    {
        for (var i = 1; i <= tracks; i++)
        {
            Add($"{folder}/{i:00} Track {i}.{format}", tags with { Title = $"Track {i}" });
        }
    }

    public Task<FolderScanResult> ScanAsync() => Scanner.ScanAsync(Root, CancellationToken.None);

    public async Task<List<AlbumRow>> AlbumsAsync()
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<AlbumRow>("""
            SELECT id AS Id, source AS Source, source_key AS SourceKey, artist AS Artist, album_artist AS AlbumArtist,
                   title AS Title, year AS Year, track_count AS TrackCount, catalog_number AS CatalogNumber,
                   barcode AS Barcode, discogs_release_id AS DiscogsReleaseId, missing_since IS NOT NULL AS Missing
            FROM albums ORDER BY artist, title
            """)).ToList();
    }

    /// <summary>How many times albums were asked for (each new album, each change of a tag the matcher reads).</summary>
    public async Task<long> JobsAsync()
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM album_job_history WHERE state = 'requested'");
    }

    /// <summary>Albums with a live job (album_jobs: one row per album at most).</summary>
    public async Task<long> LiveJobsAsync()
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM album_jobs");
    }

    public async Task<List<(string Path, string Reason)>> ProblemsAsync()
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<(string, string)>("SELECT path, reason FROM music_folder_problems ORDER BY path COLLATE \"C\"")).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        // rm, not Directory.Delete: some tests leave names .NET cannot spell (not UTF-8) and folders without permissions.
        TaggedAudio.Run("chmod", "-R", "u+rwx", Root);
        TaggedAudio.Run("rm", "-rf", Root);
    }
}

public sealed record AlbumRow(
    long Id, string Source, string SourceKey, string Artist, string? AlbumArtist, string Title, int? Year, int? TrackCount,
    string? CatalogNumber, string? Barcode, long? DiscogsReleaseId, bool Missing);

/// <summary>Keeps what was logged, for tests that a problem is logged once.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((logLevel, formatter(state, exception)));
}
