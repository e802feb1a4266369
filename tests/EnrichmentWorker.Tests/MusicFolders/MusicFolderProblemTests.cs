using EnrichmentWorker.MusicFolders;
using Microsoft.Extensions.Logging;

namespace EnrichmentWorker.Tests.MusicFolders;

/// <summary>Bad files never stop a scan: each is counted, listed with path and reason, and logged once.</summary>
public sealed class MusicFolderProblemTests
{
    [Test]
    public async Task Every_kind_of_bad_file_is_listed_with_its_reason_while_the_good_albums_are_found()
    {
        await using var music = await MusicFolderHarness.CreateAsync();
        music.AddAlbum("Air/Moon Safari", new TagSpec("Moon Safari", "Air"), tracks: 2);
        // Zero bytes, as a failed or running copy leaves a file.
        File.WriteAllBytes(Path.Combine(music.Root, "Air/Moon Safari/03 Empty.mp3"), []);
        // Not audio at all, under an audio name.
        File.WriteAllText(Path.Combine(music.Root, "Air/Moon Safari/04 Notes.mp3"), "a text file with the wrong name\n");
        // A FLAC whose metadata blocks are garbage after a valid signature.
        File.WriteAllBytes(Path.Combine(music.Root, "Air/Moon Safari/05 Corrupt.flac"), [.. "fLaC"u8, .. Enumerable.Repeat((byte)0xFF, 600)]);
        // Covers and cue sheets are expected company, passed over without complaint.
        File.WriteAllText(Path.Combine(music.Root, "Air/Moon Safari/cover.jpg"), "jpeg");
        File.WriteAllText(Path.Combine(music.Root, "Air/Moon Safari/album.cue"), "cue");
        // A folder linking back to its parent, and a link that resolves to itself.
        Directory.CreateSymbolicLink(Path.Combine(music.Root, "Air/loop"), Path.Combine(music.Root, "Air"));
        File.CreateSymbolicLink(Path.Combine(music.Root, "self.mp3"), Path.Combine(music.Root, "self.mp3"));
        // A name in Latin-1, as old Windows rips are often named: byte 0xE9 alone is not UTF-8 (bash writes the raw byte).
        TaggedAudio.Run("bash", "-c", "cp \"$1\" \"$2\"$'/06 Caf\\xe9.mp3'", "_", TaggedAudio.Template("mp3"), Path.Combine(music.Root, "Air/Moon Safari"));

        var result = await music.ScanAsync();

        Assert.That(result.Albums.Select(a => a.Album.Tags.Title), Is.EqualTo(new[] { "Moon Safari" }));
        Assert.That(result.OtherFiles, Is.EqualTo(2), "cover.jpg and album.cue");
        var problems = await music.ProblemsAsync();
        Assert.That(problems.Select(p => p.Path), Is.EqualTo(new[]
        {
            "Air/Moon Safari/03 Empty.mp3",
            "Air/Moon Safari/04 Notes.mp3",
            "Air/Moon Safari/05 Corrupt.flac",
            "Air/Moon Safari/06 Caf\uFFFD.mp3",
            "Air/loop",
            "self.mp3",
        }), string.Join("\n", problems));
        Assert.Multiple(() =>
        {
            Assert.That(problems[0].Reason, Does.Contain("empty file (0 bytes)"));
            Assert.That(problems[1].Reason, Does.Contain("corrupt or not audio"));
            Assert.That(problems[2].Reason, Does.Contain("corrupt"));
            Assert.That(problems[3].Reason, Does.Contain("not valid UTF-8"));
            Assert.That(problems[4].Reason, Does.Contain("symbolic link loop"));
            Assert.That(problems[5].Reason, Does.Contain("symbolic link loop"));
        });
        Assert.That(result.Problems, Has.Count.EqualTo(6), "the scan reports the same list");
    }

    [Test]
    public async Task A_problem_is_logged_once_not_on_every_rescan_and_is_cleared_when_fixed()
    {
        await using var music = await MusicFolderHarness.CreateAsync();
        music.AddAlbum("Air/Moon Safari", new TagSpec("Moon Safari", "Air"), tracks: 1);
        var empty = Path.Combine(music.Root, "Air/Moon Safari/02 Empty.mp3");
        File.WriteAllBytes(empty, []);

        var first = await music.ScanAsync();
        var second = await music.ScanAsync();
        music.Add("Air/Moon Safari/02 Empty.mp3", new TagSpec("Moon Safari", "Air"));
        var fixedScan = await music.ScanAsync();

        Assert.That(first.Problems, Has.Count.EqualTo(1));
        Assert.That(second.Problems, Has.Count.EqualTo(1), "still listed");
        Assert.That(second.FilesRead, Is.Zero, "the bad file is not read again until it changes");
        Assert.That(music.Logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("02 Empty.mp3", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(fixedScan.Problems, Is.Empty);
        Assert.That(await music.ProblemsAsync(), Is.Empty);
        Assert.That(fixedScan.Albums.Single().Tracks, Is.EqualTo(2));
    }

    [Test]
    public async Task A_folder_or_file_the_service_may_not_read_is_a_problem_not_a_failure()
    {
        await using var music = await MusicFolderHarness.CreateAsync();
        music.AddAlbum("Air/Moon Safari", new TagSpec("Moon Safari", "Air"), tracks: 1);
        music.AddAlbum("Private/Diary", new TagSpec("Diary", "Me"), tracks: 1);
        music.Add("Air/Talkie Walkie/01.mp3", new TagSpec("Talkie Walkie", "Air"));
        TaggedAudio.Run("chmod", "000", Path.Combine(music.Root, "Private"), Path.Combine(music.Root, "Air/Talkie Walkie/01.mp3"));

        var result = PermissionDenied.Scan(music.Root);

        Assert.That(result.Albums, Is.EqualTo(new[] { "Air - Moon Safari" }));
        Assert.That(result.Problems, Is.EqualTo(new[]
        {
            "Air/Talkie Walkie/01.mp3: permission denied: the service's user may not read it",
            "Private: permission denied: the service's user may not list this folder",
        }));
    }
}
