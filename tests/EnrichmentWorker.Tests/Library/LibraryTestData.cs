using System.Text;
using Dapper;
using EnrichmentWorker.Library;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Library;

/// <summary>Files in a folder of the test's own, and what the database holds, for the intake tests.</summary>
internal sealed class LibraryTestData : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("album-intake-").FullName;

    public string WriteFile(string name, string text) => WriteFile(name, Utf8.GetBytes(text));

    public string WriteFile(string name, byte[] bytes)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static AlbumFileImporter Importer(TestDatabase db) => new(new AlbumWriter(db.DataSource), Microsoft.Extensions.Options.Options.Create(new LibraryOptions()));

    public static async Task<(long Albums, long Jobs, long Events)> CountRowsAsync(TestDatabase db)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(long, long, long)>(
            "SELECT (SELECT count(*) FROM albums), (SELECT count(*) FROM album_jobs), (SELECT count(*) FROM album_job_history)");
    }

    /// <summary>Every album, in id order, read as the product reads one (<see cref="AlbumLookup"/>).</summary>
    public static async Task<List<StoredAlbum>> AlbumsAsync(TestDatabase db)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var albums = new List<StoredAlbum>();
        foreach (var id in await connection.QueryAsync<long>("SELECT id FROM albums ORDER BY id"))
        {
            albums.Add((await AlbumLookup.FindAsync(connection, id, CancellationToken.None))!);
        }

        return albums;
    }

    /// <summary>Live jobs per album id (album_jobs rows; "rerun" counts as a second request), to check each new or changed album is queued exactly once.</summary>
    public static async Task<Dictionary<long, long>> EnqueuedJobsPerAlbumAsync(TestDatabase db)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(long AlbumId, long Jobs)>(
            "SELECT album_id, 1 + rerun::int FROM album_jobs");
        return rows.ToDictionary(r => r.AlbumId, r => r.Jobs);
    }

    /// <summary>Stands in for the workers: every job done, so a later change can be seen to queue a new one.</summary>
    public static async Task FinishAllJobsAsync(TestDatabase db)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("DELETE FROM album_jobs");
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
