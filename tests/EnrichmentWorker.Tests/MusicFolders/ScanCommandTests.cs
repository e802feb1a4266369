using EnrichmentWorker.MusicFolders;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.MusicFolders;

/// <summary>The <c>scan</c> command of the real binary.</summary>
public sealed class ScanCommandTests
{
    [Test]
    public async Task Scan_with_dry_run_prints_albums_and_problems_and_writes_nothing_and_without_it_adds_them()
    {
        await using var music = await MusicFolderHarness.CreateAsync();
        music.AddAlbum("Air/Moon Safari", new TagSpec("Moon Safari", "Air", Year: 1998), tracks: 2);
        File.WriteAllBytes(Path.Combine(music.Root, "Air/Moon Safari/03.mp3"), []);
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = music.Database.ConnectionString };

        var (dryExit, dryOutput) = await ServiceProcess.RunCommandAsync(environment, "scan", music.Root, "--dry-run");
        var albumsAfterDryRun = await music.AlbumsAsync();
        var (exit, output) = await ServiceProcess.RunCommandAsync(environment, "scan", music.Root);
        var (missingExit, missingOutput) = await ServiceProcess.RunCommandAsync(environment, "scan", Path.Combine(music.Root, "nowhere"));

        Assert.That(dryExit, Is.Zero, dryOutput);
        Assert.That(dryOutput, Does.Contain("Air - Moon Safari (1998): 2 tracks in Air/Moon Safari")
            .And.Contain("problem: Air/Moon Safari/03.mp3: empty file (0 bytes)")
            .And.Contain("Dry run: nothing was written."));
        Assert.That(albumsAfterDryRun, Is.Empty);
        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("1 added, 0 updated, 0 unchanged"));
        Assert.That((await music.AlbumsAsync()).Single().Source, Is.EqualTo(MusicFolderScanner.SourceOf(music.Root)));
        Assert.That(missingExit, Is.EqualTo(ScanVerb.ExitCannotRead), missingOutput);
        Assert.That(missingOutput, Does.Contain("does not exist"));
    }
}
