using EnrichmentWorker.MusicFolders;
using EnrichmentWorker.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Tests.MusicFolders;

/// <summary>The watcher: an album copied into a watched root lands in <c>albums</c> without a rescan being asked for.</summary>
public sealed class FolderWatcherTests
{
    [Test]
    public async Task An_album_copied_into_a_watched_root_is_found_once_its_files_have_landed()
    {
        await using var music = await MusicFolderHarness.CreateAsync();
        music.AddAlbum("Air/Moon Safari", new TagSpec("Moon Safari", "Air"), tracks: 2);
        var options = Options.Create(new MusicFolderOptions { Folders = [music.Root], FolderSettleTime = TimeSpan.FromMilliseconds(500) });
        var rescanLogs = new ListLogger<FolderRescan>();
        var rescan = new FolderRescan(music.Scanner, new FolderScanLock(music.Database.DataSource), options, rescanLogs);
        await rescan.RunAsync(CancellationToken.None);
        // The album is made elsewhere first, so that it lands in the root right after the watcher starts (as when a copy
        // is under way while the service starts): the watch must be in place when StartAsync returns.
        var staging = Path.Combine(Path.GetTempPath(), "staging-" + Guid.NewGuid().ToString("N"));
        for (var i = 1; i <= 4; i++)
        {
            TaggedAudio.Write(Path.Combine(staging, $"{i:00}.flac"), new TagSpec("Geogaddi", "Boards of Canada", Title: $"Track {i}"));
        }

        var logs = new ListLogger<FolderWatcher>();
        using var watcher = new FolderWatcher(rescan, options, TimeProvider.System, logs);
        await watcher.StartAsync(CancellationToken.None);
        try
        {
            // Copied as a file manager copies: into place one file after another.
            Directory.CreateDirectory(Path.Combine(music.Root, "Boards of Canada/Geogaddi"));
            foreach (var file in Directory.GetFiles(staging).Order(StringComparer.Ordinal))
            {
                File.Copy(file, Path.Combine(music.Root, "Boards of Canada/Geogaddi", Path.GetFileName(file)));
            }

            Directory.Delete(staging, recursive: true);
            // Bounded generously for a busy two-core machine.
            await WaitFor.ConditionAsync(async () =>
            {
                Assert.That(logs.Entries.Where(e => e.Message.StartsWith("Cannot watch", StringComparison.Ordinal)), Is.Empty, "the watch could not start");
                Assert.That(rescanLogs.Entries.Where(e => e.Level == LogLevel.Error).Select(e => e.Message), Is.Empty, "a scan failed");
                return (await music.AlbumsAsync()).Any(a => a.Title == "Geogaddi");
            }, TimeSpan.FromSeconds(45), "the copied album to be found");

            var geogaddi = (await music.AlbumsAsync()).Single(a => a.Title == "Geogaddi");
            Assert.That(geogaddi.TrackCount, Is.EqualTo(4), "read once all its files had landed");
            Assert.That(await music.JobsAsync(), Is.EqualTo(2));
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }
    }
}
