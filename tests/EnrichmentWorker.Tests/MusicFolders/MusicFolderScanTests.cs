using EnrichmentWorker.Library;
using EnrichmentWorker.MusicFolders;

namespace EnrichmentWorker.Tests.MusicFolders;

/// <summary>Scanning a music folder into <c>albums</c>: grouping, incremental rescans, renames, moves and deletions.</summary>
public sealed class MusicFolderScanTests
{
    [Test]
    public async Task Each_folder_becomes_an_album_with_its_tags_and_is_queued_once()
    {
        await using var music = await MusicFolderHarness.CreateAsync();
        music.AddAlbum("Air/Moon Safari", new TagSpec("Moon Safari", "Air", AlbumArtist: "Air", Year: 1998, CatalogNumber: "CDV 2848", Barcode: "724384497829", DiscogsReleaseId: 40001), tracks: 3, format: "flac");
        music.AddAlbum("Daft Punk/Discovery", new TagSpec("Discovery", "Daft Punk", Year: 2001), tracks: 2, format: "mp3");

        var result = await music.ScanAsync();

        var albums = await music.AlbumsAsync();
        Assert.That(albums.Select(a => (a.Source, a.Artist, a.Title, a.Year, a.TrackCount, a.CatalogNumber, a.Barcode, a.DiscogsReleaseId, a.Missing)), Is.EqualTo(new[]
        {
            (MusicFolderScanner.SourceOf(music.Root), "Air", "Moon Safari", (int?)1998, (int?)3, "CDV 2848", "724384497829", (long?)40001, false),
            (MusicFolderScanner.SourceOf(music.Root), "Daft Punk", "Discovery", 2001, 2, null, null, null, false),
        }));
        Assert.That(result.Written, Is.EqualTo(new AlbumUpsertResult(2, 2, 0, 0)));
        Assert.That(await music.JobsAsync(), Is.EqualTo(2), "the database's insert trigger queued each album once");
        Assert.That(result.Problems, Is.Empty);
    }

    [Test]
    public async Task Disc_subfolders_are_one_album_and_discs_in_unrelated_folders_join_by_their_tags()
    {
        await using var music = await MusicFolderHarness.CreateAsync();
        music.AddAlbum("Pink Floyd/The Wall/CD1", new TagSpec("The Wall", "Pink Floyd", Year: 1979, Disc: 1), tracks: 3);
        music.AddAlbum("Pink Floyd/The Wall/Disc 2", new TagSpec("The Wall", "Pink Floyd", Year: 1979, Disc: 2), tracks: 2);
        music.AddAlbum("Queen/Live Killers (CD 1)", new TagSpec("Live Killers", "Queen", Disc: 1), tracks: 2, format: "ogg");
        music.AddAlbum("Queen/Live Killers (CD 2)", new TagSpec("Live Killers", "Queen", Disc: 2), tracks: 2, format: "ogg");

        var result = await music.ScanAsync();

        Assert.That(result.Albums.Select(a => (a.Album.Tags.Title, a.Tracks, string.Join("|", a.Folders))).OrderBy(a => a.Title), Is.EqualTo(new[]
        {
            ("Live Killers", 4, "Queen/Live Killers (CD 1)|Queen/Live Killers (CD 2)"),
            ("The Wall", 5, "Pink Floyd/The Wall"),
        }));
        Assert.That(await music.AlbumsAsync(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_compilation_is_one_album_whether_marked_by_album_artist_or_by_the_compilation_flag()
    {
        await using var music = await MusicFolderHarness.CreateAsync();
        music.Add("Compilations/Café del Mar/01.mp3", new TagSpec("Café del Mar Volumen Uno", "Sabres of Paradise", AlbumArtist: "Various Artists", Year: 1994));
        music.Add("Compilations/Café del Mar/02.mp3", new TagSpec("Café del Mar Volumen Uno", "Penguin Cafe Orchestra", AlbumArtist: "Various Artists", Year: 1994));
        music.Add("Compilations/Pure Moods/01.m4a", new TagSpec("Pure Moods", "Enigma", Compilation: true));
        music.Add("Compilations/Pure Moods/02.m4a", new TagSpec("Pure Moods", "Enya", Compilation: true));
        music.Add("Compilations/Pure Moods/03.m4a", new TagSpec("Pure Moods", "Vangelis", Compilation: true));

        var result = await music.ScanAsync();

        Assert.That(result.Albums.Select(a => (a.Album.Tags.Artist, a.Album.Tags.Title, a.Tracks)).OrderBy(a => a.Title), Is.EqualTo(new[]
        {
            ("Various Artists", "Café del Mar Volumen Uno", 2),
            ("Various Artists", "Pure Moods", 3),
        }));
    }

    [Test]
    public async Task Two_albums_in_one_folder_are_two_albums_and_untagged_tracks_take_their_album_from_the_folders()
    {
        await using var music = await MusicFolderHarness.CreateAsync();
        music.Add("Downloads/a.mp3", new TagSpec("Moon Safari", "Air"));
        music.Add("Downloads/b.mp3", new TagSpec("Moon Safari", "Air"));
        music.Add("Downloads/c.opus", new TagSpec("Talkie Walkie", "Air"));
        music.Add("Boards of Canada/Geogaddi/01.flac", new TagSpec(null, null));

        var result = await music.ScanAsync();

        Assert.That(result.Albums.Select(a => (a.Album.Tags.Artist, a.Album.Tags.Title, a.Tracks)).OrderBy(a => a.Title), Is.EqualTo(new[]
        {
            ("Boards of Canada", "Geogaddi", 1),
            ("Air", "Moon Safari", 2),
            ("Air", "Talkie Walkie", 1),
        }));
    }

    [Test]
    public async Task A_rescan_reads_only_changed_files_and_only_a_changed_tag_queues_the_album_again()
    {
        await using var music = await MusicFolderHarness.CreateAsync();
        music.AddAlbum("Air/Moon Safari", new TagSpec("Moon Safari", "Air", Year: 1998), tracks: 4);
        await music.ScanAsync();

        var unchanged = await music.ScanAsync();
        var requestsAfterUnchanged = await music.JobsAsync();
        music.Add("Air/Moon Safari/01 Track 1.mp3", new TagSpec("Moon Safari", "Air", Year: 1997, Title: "Track 1"));
        music.Add("Air/Moon Safari/02 Track 2.mp3", new TagSpec("Moon Safari", "Air", Year: 1997, Title: "Track 2"));
        music.Add("Air/Moon Safari/03 Track 3.mp3", new TagSpec("Moon Safari", "Air", Year: 1997, Title: "Track 3"));
        var retagged = await music.ScanAsync();

        Assert.That(unchanged.FilesRead, Is.Zero, "no file changed");
        Assert.That(unchanged.Written, Is.EqualTo(new AlbumUpsertResult(1, 0, 0, 1)));
        Assert.That(retagged.FilesRead, Is.EqualTo(3));
        Assert.That(retagged.Written, Is.EqualTo(new AlbumUpsertResult(1, 0, 1, 0)));
        Assert.That((await music.AlbumsAsync()).Single().Year, Is.EqualTo(1997));
        Assert.That(requestsAfterUnchanged, Is.EqualTo(1), "not queued again by the unchanged rescan");
        // The update trigger asks for the changed album again; its first job is still waiting, which the request joins.
        Assert.That(await music.JobsAsync(), Is.EqualTo(2), "queued again by the changed tag");
        Assert.That(await music.LiveJobsAsync(), Is.EqualTo(1), "still one live job for the album");
    }

    [Test]
    public async Task A_folder_renamed_or_moved_within_the_root_keeps_its_album_and_is_not_queued_again()
    {
        await using var music = await MusicFolderHarness.CreateAsync();
        music.AddAlbum("Incoming/Moon Safari", new TagSpec("Moon Safari", "Air", Year: 1998));
        music.AddAlbum("Incoming/Untitled", new TagSpec("Geogaddi", "Boards of Canada", MusicBrainzAlbumId: "4ab1cf50-6a9c-4c1d-9f33-7e3a3f3d0c11"));
        await music.ScanAsync();
        var before = await music.AlbumsAsync();

        Directory.CreateDirectory(Path.Combine(music.Root, "Air"));
        Directory.Move(Path.Combine(music.Root, "Incoming/Moon Safari"), Path.Combine(music.Root, "Air/Moon Safari (1998)"));
        Directory.Move(Path.Combine(music.Root, "Incoming/Untitled"), Path.Combine(music.Root, "Incoming/Geogaddi"));
        var result = await music.ScanAsync();

        var after = await music.AlbumsAsync();
        Assert.That(after.Select(a => (a.Id, a.Title, a.Missing)), Is.EqualTo(before.Select(a => (a.Id, a.Title, false))));
        Assert.That(result.Written!.Added, Is.Zero);
        Assert.That(await music.JobsAsync(), Is.EqualTo(2), "no re-enrichment");
    }

    [Test]
    public async Task A_deleted_folder_marks_its_album_missing_and_keeps_it_until_it_comes_back()
    {
        await using var music = await MusicFolderHarness.CreateAsync();
        music.AddAlbum("Air/Moon Safari", new TagSpec("Moon Safari", "Air"));
        music.AddAlbum("Air/Talkie Walkie", new TagSpec("Talkie Walkie", "Air"));
        await music.ScanAsync();

        var moon = Path.Combine(music.Root, "Air/Moon Safari");
        Directory.Move(moon, Path.Combine(Path.GetTempPath(), "moon-" + Guid.NewGuid().ToString("N")));
        await music.ScanAsync();
        var whileGone = await music.AlbumsAsync();
        music.AddAlbum("Air/Moon Safari", new TagSpec("Moon Safari", "Air"));
        await music.ScanAsync();
        var back = await music.AlbumsAsync();

        Assert.That(whileGone.Select(a => (a.Title, a.Missing)), Is.EqualTo(new[] { ("Moon Safari", true), ("Talkie Walkie", false) }));
        Assert.That(back.Select(a => (a.Id, a.Missing)), Is.EqualTo(whileGone.Select(a => (a.Id, false))), "the same row, found again");
        Assert.That(await music.JobsAsync(), Is.EqualTo(2), "marking missing and found queues nothing");
    }

    [Test]
    public async Task A_root_that_vanishes_or_comes_back_empty_leaves_its_albums_as_they_were()
    {
        await using var music = await MusicFolderHarness.CreateAsync();
        music.AddAlbum("Air/Moon Safari", new TagSpec("Moon Safari", "Air"));
        await music.ScanAsync();

        var aside = Path.Combine(Path.GetTempPath(), "unmounted-" + Guid.NewGuid().ToString("N"));
        Directory.Move(music.Root, aside);
        var vanished = await music.ScanAsync();
        var vanishedAgain = await music.ScanAsync();
        Directory.CreateDirectory(music.Root); // an empty mount point, as an unmounted share leaves it
        var empty = await music.ScanAsync();
        Directory.Delete(music.Root);
        Directory.Move(aside, music.Root);
        var remounted = await music.ScanAsync();

        Assert.That(vanished.Unavailable, Does.Contain("does not exist"));
        Assert.That(empty.Unavailable, Does.Contain("empty now"));
        Assert.That(remounted.Unavailable, Is.Null);
        Assert.That((await music.AlbumsAsync()).Single().Missing, Is.False);
        Assert.That(music.Logs.Entries.Count(e => e.Message.Contains("unavailable", StringComparison.Ordinal)), Is.EqualTo(1),
            "logged once while it stays unavailable: " + string.Join("\n", music.Logs.Entries));
        Assert.That(vanishedAgain.Unavailable, Is.Not.Null);
    }
}
