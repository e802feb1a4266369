using EnrichmentWorker.Library;
using EnrichmentWorker.MusicFolders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Tests.MusicFolders;

/// <summary>The rescan: one scan of a root at a time across processes, and its recurring job's schedule.</summary>
public sealed class FolderRescanTests
{
    [Test]
    public async Task A_scan_waits_while_another_process_scans_the_same_root_and_runs_once_that_scan_ends()
    {
        await using var music = await MusicFolderHarness.CreateAsync();
        music.AddAlbum("Air/Moon Safari", new TagSpec("Moon Safari", "Air"), tracks: 2);
        var options = Options.Create(new MusicFolderOptions { Folders = [music.Root] });
        // Another process's scan holds the root: a lock of its own, on its own database session.
        var elsewhere = await new FolderScanLock(music.Database.DataSource).AcquireAsync(MusicFolderScanner.SourceOf(music.Root), CancellationToken.None);
        var rescan = new FolderRescan(music.Scanner, new FolderScanLock(music.Database.DataSource), options, new ListLogger<FolderRescan>());

        var scan = rescan.ScanRootAsync(music.Root, CancellationToken.None);
        // A wait for something not to happen has to be a fixed one.
        await Task.WhenAny(scan, Task.Delay(TimeSpan.FromSeconds(1)));
        Assert.That(scan.IsCompleted, Is.False, "the scan waits for the other one");
        Assert.That(await music.AlbumsAsync(), Is.Empty);

        await elsewhere.DisposeAsync();
        Assert.That(await scan.WaitAsync(TimeSpan.FromSeconds(60)), Is.Null, "the scan did not fail");
        Assert.That((await music.AlbumsAsync()).Select(a => a.Title), Is.EqualTo(new[] { "Moon Safari" }));
    }

    [Test]
    public async Task A_rescan_job_whose_root_cannot_be_scanned_fails_naming_the_root_and_the_reason()
    {
        var root = Path.Combine(Path.GetTempPath(), "music-" + Guid.NewGuid().ToString("N")[..10]);
        await using var unreachable = NpgsqlDataSource.Create("Host=127.0.0.1;Port=9;Timeout=1");
        var scanner = new MusicFolderScanner(new FolderWalker(), new TrackTagReader(), new AlbumGrouper(), new MusicFolderStore(unreachable),
            new AlbumWriter(unreachable), TimeProvider.System, new ListLogger<MusicFolderScanner>());
        var logs = new ListLogger<FolderRescan>();
        var job = new FolderRescanJob(new FolderRescan(scanner, new FolderScanLock(unreachable), Options.Create(new MusicFolderOptions { Folders = [root] }), logs));

        var ex = Assert.ThrowsAsync<FolderRescanException>(() => job.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.StartWith($"Rescan of music folder {root} failed: ").And.Contain("the job is retried"));
        Assert.That(logs.Entries.Select(e => e.Level), Is.EqualTo(new[] { Microsoft.Extensions.Logging.LogLevel.Error }), "logged once");
    }

    [TestCase("00:00:01", "* * * * * *")]
    [TestCase("00:00:02", "*/2 * * * * *")]
    [TestCase("00:00:30", "*/30 * * * * *")]
    [TestCase("00:01:00", "* * * * *")]
    [TestCase("00:15:00", "*/15 * * * *")]
    [TestCase("01:00:00", "0 * * * *")]
    [TestCase("06:00:00", "0 */6 * * *")]
    [TestCase("1.00:00:00", "0 0 * * *")]
    [TestCase("7.00:00:00", "0 0 * * 0")]
    public void An_interval_that_repeats_evenly_becomes_the_rescan_jobs_cron_schedule(string interval, string cron) =>
        Assert.That(FolderRescanSchedule.CronOf(TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(cron));

    [TestCase("00:00:07")]
    [TestCase("00:00:01.500")]
    [TestCase("00:45:00")]
    [TestCase("05:00:00")]
    [TestCase("2.00:00:00")]
    [TestCase("00:00:00")]
    public void An_interval_no_cron_schedule_repeats_evenly_is_refused(string interval) =>
        Assert.That(FolderRescanSchedule.CronOf(TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture)), Is.Null);

    [Test]
    public void A_rescan_interval_no_cron_schedule_repeats_is_refused_at_start_with_the_rule()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Library:FolderRescanInterval"] = "00:45:00",
        }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddMusicFolders().BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => _ = services.GetRequiredService<IOptions<MusicFolderOptions>>().Value);

        Assert.That(ex!.Message, Does.Contain("Library:FolderRescanInterval must divide a minute, an hour or a day evenly"));
    }
}
