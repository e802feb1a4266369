using System.Net;
using Dapper;
using EnrichmentWorker.Tests.Dashboard;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.MusicFolders;

/// <summary>The dashboard's library page and the album page, for albums from a music folder.</summary>
public sealed class LibraryPageTests
{
    [Test]
    public async Task The_library_page_shows_each_root_its_counts_its_problems_and_its_missing_albums()
    {
        var root = Path.Combine(Path.GetTempPath(), "dash-music-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            for (var i = 1; i <= 2; i++)
            {
                TaggedAudio.Write(Path.Combine(root, "Air/Moon Safari", $"0{i}.mp3"), new TagSpec("Moon Safari", "Air"));
                TaggedAudio.Write(Path.Combine(root, "Air/Talkie Walkie", $"0{i}.flac"), new TagSpec("Talkie Walkie", "Air"));
            }

            File.WriteAllBytes(Path.Combine(root, "Air/Moon Safari/03.mp3"), []);
            await using var service = await DashboardService.StartAsync(settings: new Dictionary<string, string?>
            {
                ["Library__Folders__0"] = root,
                ["Library__FolderSettleTime"] = "00:00:00.200",
            });
            using var client = service.Client(DashboardService.ReaderToken);
            await WaitFor.ConditionAsync(async () => await CountAsync(service, "SELECT count(*) FROM albums") == 2, TimeSpan.FromSeconds(30), "the scan at start");

            Directory.Delete(Path.Combine(root, "Air/Talkie Walkie"), recursive: true);
            await WaitFor.ConditionAsync(async () => await CountAsync(service, "SELECT count(*) FROM albums WHERE missing_since IS NOT NULL") == 1,
                TimeSpan.FromSeconds(30), "the watcher to see the deletion");
            using var page = await client.GetAsync(new Uri("/dashboard/library", UriKind.Relative));
            var html = await page.Content.ReadAsStringAsync();
            var talkieId = await CountAsync(service, "SELECT id FROM albums WHERE title = 'Talkie Walkie'");
            using var album = await client.GetAsync(new Uri($"/dashboard/albums/{talkieId}", UriKind.Relative));
            var albumHtml = await album.Content.ReadAsStringAsync();

            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
            Assert.That(html, Does.Contain(root).And.Contain("<dt>Audio files</dt><dd>3</dd>").And.Contain("<dt>Albums found</dt><dd>2</dd>")
                .And.Contain("<dt>Missing</dt><dd>1</dd>"));
            Assert.That(html, Does.Contain("<code>Air/Moon Safari/03.mp3</code>").And.Contain("empty file (0 bytes)"));
            Assert.That(html, Does.Contain("Air — Talkie Walkie</a> <span class=\"pill bad\">missing</span>"));
            Assert.That(albumHtml, Does.Contain(">missing</span>"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<long> CountAsync(DashboardService service, string sql)
    {
        await using var connection = await service.Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }
}
