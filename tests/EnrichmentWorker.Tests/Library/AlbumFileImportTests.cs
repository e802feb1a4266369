using EnrichmentWorker.Library;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Library;

public sealed class AlbumFileImportTests
{
    private LibraryTestData _files = null!;

    [SetUp]
    public void CreateFolder() => _files = new LibraryTestData();

    [TearDown]
    public void DeleteFolder() => _files.Dispose();

    [Test]
    public async Task A_csv_file_is_imported_with_every_value_stored_exactly_and_one_job_per_album()
    {
        await using var db = await TestDatabase.CreateAsync();
        var path = _files.WriteFile("albums.csv",
            "Source_Key,ARTIST,album_artist,title,year,track_count,catalog_number,barcode,discogs_release_id,discogs_master_id\r\n"
            + "1,Radiohead,,OK Computer,1997,12,NODATA 02,0724385522925,3174405,21491\r\n"
            + "2,\"Crosby, Stills & Nash\",,\"Say \"\"Hi\"\"\",1969,,,,,\r\n"
            + "3,坂本龍一,Various,\"Two\r\nLines\",,,,,,\r\n");

        var result = await LibraryTestData.Importer(db).ImportAsync(path, AlbumFileFormat.Csv, "mylib", CancellationToken.None);

        Assert.That(result.Counts, Is.EqualTo(new AlbumUpsertResult(3, 3, 0, 0)));
        var albums = await LibraryTestData.AlbumsAsync(db);
        Assert.That(albums.Select(a => (a.Source, a.SourceKey, a.Tags.Artist, a.Tags.Title)), Is.EqualTo(new[]
        {
            ("mylib", "1", "Radiohead", "OK Computer"),
            ("mylib", "2", "Crosby, Stills & Nash", "Say \"Hi\""),
            ("mylib", "3", "坂本龍一", "Two\r\nLines"),
        }));
        Assert.That(albums[0].Tags, Is.EqualTo(new AlbumTags("Radiohead", AlbumArtist: null, "OK Computer", Year: 1997, TrackCount: 12,
            CatalogNumber: "NODATA 02", Barcode: "0724385522925", DiscogsReleaseId: 3174405, DiscogsMasterId: 21491)));
        Assert.That(albums[2].Tags.AlbumArtist, Is.EqualTo("Various"));
        Assert.That(albums[2].Tags.Year, Is.Null);
        var jobs = await LibraryTestData.EnqueuedJobsPerAlbumAsync(db);
        Assert.That(jobs, Is.EquivalentTo(albums.ToDictionary(a => a.Id, _ => 1L)));
        Assert.That(await LibraryTestData.CountRowsAsync(db), Is.EqualTo((3L, 3L, 3L)));
    }

    [Test]
    public async Task A_json_lines_file_takes_numbers_as_numbers_or_numeric_strings_and_skips_blank_lines()
    {
        await using var db = await TestDatabase.CreateAsync();
        var path = _files.WriteFile("albums.ndjson",
            """
            {"id": 10, "artist": "Björk", "title": "Homogenic", "year": 1997, "discogs_master_id": "3473"}

            {"source_key": "11", "artist": "Кино", "title": "Группа крови", "year": "1988", "barcode": 4600000000001, "album_artist": null}
            {"ARTIST": "Various", "Title": "🎶 Hits 🎶"}
            """);

        var result = await LibraryTestData.Importer(db).ImportAsync(path, AlbumFileFormat.JsonLines, "lib", CancellationToken.None);

        Assert.That(result.Counts, Is.EqualTo(new AlbumUpsertResult(3, 3, 0, 0)));
        var albums = await LibraryTestData.AlbumsAsync(db);
        Assert.That(albums.Select(a => (a.SourceKey, a.Tags.Artist, a.Tags.Title, a.Tags.Year)), Is.EqualTo(new (string, string, string, int?)[]
        {
            ("10", "Björk", "Homogenic", 1997),
            ("11", "Кино", "Группа крови", 1988),
            (AlbumValidator.StableKey("Various", "🎶 Hits 🎶", null), "Various", "🎶 Hits 🎶", null),
        }));
        Assert.That(albums[0].Tags.DiscogsMasterId, Is.EqualTo(3473));
        Assert.That(albums[1].Tags.Barcode, Is.EqualTo("4600000000001"));
        Assert.That(await LibraryTestData.EnqueuedJobsPerAlbumAsync(db), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Scripts_quotes_and_sql_looking_text_round_trip_exactly()
    {
        await using var db = await TestDatabase.CreateAsync();
        string[] titles =
        [
            "東京事変 — 教育", "Кино: «Звезда по имени Солнце»", "😀🎸🥁 (Deluxe)", "Robert'); DROP TABLE albums;--",
            "O'Brien \"The Best\" \\ of", "'; SELECT pg_sleep(10); --", "  leading and trailing  ", "Ünïcødé ﬁ ǅ",
            "tab\there", "$$ dollar $$ quoted $1",
        ];
        var csv = "title,artist\n" + string.Concat(titles.Select(t => $"\"{t.Replace("\"", "\"\"", StringComparison.Ordinal)}\",\"{t.Replace("\"", "\"\"", StringComparison.Ordinal)}\"\n"));
        var jsonl = string.Concat(titles.Select(t => System.Text.Json.JsonSerializer.Serialize(new { title = t, artist = t, source_key = "j" + t }) + "\n"));

        await LibraryTestData.Importer(db).ImportAsync(_files.WriteFile("t.csv", csv), AlbumFileFormat.Csv, "csv", CancellationToken.None);
        await LibraryTestData.Importer(db).ImportAsync(_files.WriteFile("t.jsonl", jsonl), AlbumFileFormat.JsonLines, "jsonl", CancellationToken.None);

        var albums = await LibraryTestData.AlbumsAsync(db);
        Assert.That(albums.Where(a => a.Source == "csv").Select(a => a.Tags.Title), Is.EqualTo(titles));
        Assert.That(albums.Where(a => a.Source == "jsonl").Select(a => a.Tags.Title), Is.EqualTo(titles));
        Assert.That(albums.Select(a => a.Tags.Artist), Is.EqualTo(albums.Select(a => a.Tags.Title)));
    }

    [Test]
    public async Task Importing_the_same_file_again_updates_instead_of_duplicating_and_requeues_only_changed_albums()
    {
        await using var db = await TestDatabase.CreateAsync();
        var importer = LibraryTestData.Importer(db);
        const string Header = "source_key,artist,title,year,track_count\n";
        var path = _files.WriteFile("lib.csv", Header + "1,A,First,1990,10\n2,B,Second,1991,\n3,C,Third,1992,\n");
        await importer.ImportAsync(path, AlbumFileFormat.Csv, "lib", CancellationToken.None);
        await LibraryTestData.FinishAllJobsAsync(db);

        var same = await importer.ImportAsync(path, AlbumFileFormat.Csv, "lib", CancellationToken.None);
        Assert.That(same.Counts, Is.EqualTo(new AlbumUpsertResult(3, 0, 0, 3)));
        Assert.That(await LibraryTestData.EnqueuedJobsPerAlbumAsync(db), Is.Empty, "an unchanged album is not queued again");

        _files.WriteFile("lib.csv", Header + "1,A,First,1990,11\n2,B,Second (Remastered),1991,\n3,C,Third,1992,\n4,D,Fourth,,\n");
        var changed = await importer.ImportAsync(path, AlbumFileFormat.Csv, "lib", CancellationToken.None);

        Assert.That(changed.Counts, Is.EqualTo(new AlbumUpsertResult(4, 1, 2, 1)));
        var albums = await LibraryTestData.AlbumsAsync(db);
        Assert.That(albums.Select(a => a.Tags.Title), Is.EqualTo(new[] { "First", "Second (Remastered)", "Third", "Fourth" }));
        Assert.That(albums[0].Tags.TrackCount, Is.EqualTo(11), "a track count change is stored");
        // A new title is queued again; a track count alone is not something matching reads.
        Assert.That(await LibraryTestData.EnqueuedJobsPerAlbumAsync(db), Is.EquivalentTo(new Dictionary<long, long>
        {
            [albums[1].Id] = 1,
            [albums[3].Id] = 1,
        }));
    }

    [Test]
    public async Task Rows_without_a_key_are_found_again_by_their_tags_on_reimport()
    {
        await using var db = await TestDatabase.CreateAsync();
        var path = _files.WriteFile("nokeys.jsonl", "{\"artist\":\"A\",\"title\":\"T\",\"year\":2001}\n{\"artist\":\"A\",\"title\":\"T\"}\n");

        var first = await LibraryTestData.Importer(db).ImportAsync(path, AlbumFileFormat.JsonLines, "nokeys", CancellationToken.None);
        var second = await LibraryTestData.Importer(db).ImportAsync(path, AlbumFileFormat.JsonLines, "nokeys", CancellationToken.None);

        Assert.That(first.Counts.Added, Is.EqualTo(2));
        Assert.That(second.Counts, Is.EqualTo(new AlbumUpsertResult(2, 0, 0, 2)));
        Assert.That((await LibraryTestData.CountRowsAsync(db)).Albums, Is.EqualTo(2));
    }

    [Test]
    public async Task A_header_only_file_imports_nothing_without_complaint()
    {
        await using var db = await TestDatabase.CreateAsync();
        var path = _files.WriteFile("empty.csv", "artist,title\n");

        var result = await LibraryTestData.Importer(db).ImportAsync(path, AlbumFileFormat.Csv, "empty", CancellationToken.None);

        Assert.That(result.Counts, Is.EqualTo(new AlbumUpsertResult(0, 0, 0, 0)));
    }
}
