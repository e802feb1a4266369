using System.Globalization;
using Dapper;
using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.MusicFolders;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.MusicFolders;

/// <summary>End to end: the real service pointed at a music folder, enriching from the Discogs simulator.</summary>
public sealed class MusicFolderServiceTests
{
    [Test]
    public async Task Every_album_of_a_music_folder_is_enriched_and_albums_copied_in_later_are_too_without_a_restart()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var simulator = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions
        {
            Window = TimeSpan.FromSeconds(1),
            RequestsPerWindow = 120,
            RetryAfterSeconds = 1,
        });
        var catalogue = simulator.Catalog.Albums
            .Where(a => a.Kind is CatalogAlbumKind.Master or CatalogAlbumKind.ReleaseWithoutMaster)
            .Where((_, i) => i % 5 == 0)
            .Take(205)
            .ToList();
        Assert.That(catalogue, Has.Count.EqualTo(205), "the catalogue has enough albums");
        var root = Path.Combine(Path.GetTempPath(), "library-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            foreach (var album in catalogue.Take(200))
            {
                WriteAlbum(root, album);
            }

            var environment = ServiceProcess.AgainstSimulator(db.ConnectionString, simulator.BaseUrl);
            environment["Discogs__RequestsPerMinute"] = "120";
            environment["Library__Folders__0"] = root;
            environment["Library__FolderSettleTime"] = "00:00:00.500";
            await using var service = ServiceProcess.Start(environment);

            await WaitUntilEnrichedAsync(db, service, 200);
            // Copied in while it runs, as a user drops albums into the share.
            foreach (var album in catalogue.Skip(200))
            {
                var staging = Path.Combine(Path.GetTempPath(), "copy-" + Guid.NewGuid().ToString("N")[..10]);
                WriteAlbum(staging, album);
                TaggedAudio.Run("cp", "-r", Path.Combine(staging, "."), root);
                Directory.Delete(staging, recursive: true);
            }

            await WaitUntilEnrichedAsync(db, service, 205);

            await using var connection = await db.DataSource.OpenConnectionAsync();
            var albums = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM albums WHERE source = @root", new { root });
            var matched = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM album_matches WHERE status = 'matched'");
            var genreless = await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM album_matches m WHERE m.status = 'matched' AND NOT EXISTS (SELECT 1 FROM album_genres g WHERE g.album_id = m.album_id)");
            Assert.That(albums, Is.EqualTo(205), "one album per folder, none twice");
            Assert.That(matched, Is.GreaterThanOrEqualTo(205 * 9 / 10), "catalogue albums are found on Discogs");
            Assert.That(genreless, Is.Zero);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public async Task Without_a_watch_the_recurring_rescan_job_finds_an_album_copied_in_and_the_hangfire_recurring_page_lists_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        var root = Path.Combine(Path.GetTempPath(), "library-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            TaggedAudio.Write(Path.Combine(root, "Air", "Moon Safari", "01.mp3"), new TagSpec("Moon Safari", "Air", Title: "La femme d'argent"));
            await using var service = ServiceProcess.Start(new Dictionary<string, string?>
            {
                ["ConnectionStrings__Postgres"] = db.ConnectionString,
                ["Library__Folders__0"] = root,
                ["Library__WatchFolders"] = "false",
                ["Library__FolderRescanInterval"] = "00:00:02",
            });
            await service.WaitUntilServingAsync();
            await WaitUntilAlbumsAsync(db, service, root, 1, "the start-up scan");

            TaggedAudio.Write(Path.Combine(root, "Boards of Canada", "Geogaddi", "01.mp3"), new TagSpec("Geogaddi", "Boards of Canada", Title: "Ready Lets Go"));
            await WaitUntilAlbumsAsync(db, service, root, 2, "the recurring rescan");

            // The run that wrote the album may still be finishing: its Succeeded state comes after its rows.
            await WaitFor.ConditionAsync(async () =>
            {
                await using var connection = await db.DataSource.OpenConnectionAsync();
                return await connection.ExecuteScalarAsync<long>(
                    "SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%FolderRescanJob%' AND statename = 'Succeeded'") >= 1;
            }, TimeSpan.FromSeconds(30), "a run of the recurring rescan job succeeded");
            // Loopback trust (the default) signs the test in on Hangfire's pages.
            using var http = new HttpClient { BaseAddress = service.BaseUrl };
            var page = await http.GetStringAsync("/hangfire/recurring");
            Assert.That(page, Does.Contain(FolderRescanJob.RecurringJobId).And.Contain("*/2 * * * * *"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static Task WaitUntilAlbumsAsync(TestDatabase db, ServiceProcess service, string root, int albums, string by) => WaitFor.ConditionAsync(async () =>
    {
        Assert.That(service.HasExited, Is.False, () => "the service died:\n" + service.OutputText);
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM albums WHERE source = @root", new { root }) >= albums;
    }, TimeSpan.FromSeconds(60), $"{albums} albums found by {by}");

    private static void WriteAlbum(string root, CatalogAlbum album)
    {
        var folder = Path.Combine(root, Safe(album.Artist), Safe(album.Title) + (album.Year is { } y ? $" ({y.ToString(CultureInfo.InvariantCulture)})" : ""));
        for (var track = 1; track <= 2; track++)
        {
            TaggedAudio.Write(Path.Combine(folder, $"{track:00}.mp3"), new TagSpec(album.Title, album.Artist, AlbumArtist: album.Artist, Year: album.Year, Title: $"Track {track}"));
        }
    }

    private static string Safe(string name) => string.Concat(name.Select(c => c is '/' or '\0' ? '_' : c)).Trim().TrimEnd('.') is { Length: > 0 } s ? s : "_";

    private static Task WaitUntilEnrichedAsync(TestDatabase db, ServiceProcess service, int albums) => WaitFor.ConditionAsync(async () =>
    {
        Assert.That(service.HasExited, Is.False, () => "the service died:\n" + service.OutputText);
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM album_matches") >= albums;
    }, TimeSpan.FromMinutes(3), $"{albums} albums to be enriched");
}
