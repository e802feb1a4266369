using EnrichmentWorker.MusicFolders;

namespace EnrichmentWorker.Tests.MusicFolders;

/// <summary>Tags read from real files of each format, written the way Picard, beets and OneTagger write them.</summary>
public sealed class TrackTagReaderTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "tags-" + Guid.NewGuid().ToString("N")[..10]));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestCaseSource(typeof(TaggedAudio), nameof(TaggedAudio.Formats))]
    public void Every_album_tag_the_taggers_write_is_read_back(string format)
    {
        var path = Path.Combine(_folder, "track." + format);
        TaggedAudio.Write(path, new TagSpec(
            Album: "Moon Safari", Artist: "Air", AlbumArtist: "Air", Year: 1998, Disc: 2, Compilation: true,
            CatalogNumber: "7243 8 44978 2 9", Barcode: "724384497829", DiscogsReleaseId: 1234567,
            MusicBrainzAlbumId: "9a5e3f3b-7e1e-4e7b-8b55-1d0f6b8a1e11"));
        var before = File.ReadAllBytes(path);

        var tags = new TrackTagReader().Read(path);

        Assert.That(tags, Is.EqualTo(new TrackTags("Moon Safari", "Air", "Air", 1998, 2, true, "7243 8 44978 2 9", "724384497829", 1234567,
            "9a5e3f3b-7e1e-4e7b-8b55-1d0f6b8a1e11")));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(before), "reading never writes");
    }

    [TestCaseSource(typeof(TaggedAudio), nameof(TaggedAudio.Formats))]
    public void A_file_with_only_album_and_artist_reads_the_rest_as_absent(string format)
    {
        var path = Path.Combine(_folder, "track." + format);
        TaggedAudio.Write(path, new TagSpec(Album: "Discovery", Artist: "Daft Punk"));

        var tags = new TrackTagReader().Read(path);

        Assert.That(tags, Is.EqualTo(new TrackTags("Discovery", null, "Daft Punk", null, null, false, null, null, null, null)));
    }

    [Test]
    public void A_text_file_named_mp3_is_refused_with_a_reason()
    {
        var path = Path.Combine(_folder, "notes.mp3");
        File.WriteAllText(path, "this is not audio, just a text file with the wrong name\n");

        var error = Assert.Throws<TrackUnreadableException>(() => new TrackTagReader().Read(path));

        Assert.That(error!.Message, Does.Contain("corrupt or not audio"));
    }
}
