using System.Text;
using EnrichmentWorker.Library;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Library;

/// <summary>A bad row anywhere refuses the whole file: every case names file, line and reason, and writes nothing.</summary>
public sealed class AlbumFileRejectionTests
{
    private const string Header = "source_key,artist,title,year\n";
    private const string GoodRow = "1,Good Artist,Good Title,1990\n";

    private LibraryTestData _files = null!;

    [SetUp]
    public void CreateFolder() => _files = new LibraryTestData();

    [TearDown]
    public void DeleteFolder() => _files.Dispose();

    public static IEnumerable<TestCaseData> BadFiles()
    {
        static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

        yield return new TestCaseData("missing-title.csv", Utf8(Header + GoodRow + "2,Artist,,1991\n"), 3L, "title", "is blank")
            .SetName("A CSV row without a title");
        yield return new TestCaseData("year.csv", Utf8(Header + GoodRow + "2,Artist,Title,99999\n"), 3L, "year", "99999")
            .SetName("A CSV row with year 99999");
        yield return new TestCaseData("year-text.csv", Utf8(Header + GoodRow + "2,Artist,Title,MCMXC\n"), 3L, "year", "not a whole number")
            .SetName("A CSV row with a year that is not a number");
        yield return new TestCaseData("latin1.csv", (byte[])[.. Utf8(Header + GoodRow + "2,Bj"), 0xF6, .. Utf8("rk,Debut,1993\n")], 3L, "artist", "not valid UTF-8")
            .SetName("A CSV row with invalid UTF-8 bytes");
        yield return new TestCaseData("huge.csv", Utf8(Header + GoodRow + "2,Artist,\"" + new string('x', 10 * 1024 * 1024) + "\",1991\n" + "3,A,B,1992\n"), 3L, "title", "longer than 4096")
            .SetName("A CSV row with a 10 MB quoted field");
        yield return new TestCaseData("huge-unquoted.csv", Utf8(Header + GoodRow + "2," + new string('x', 10 * 1024 * 1024) + ",T,1991\n"), 3L, "artist", "longer than 4096")
            .SetName("A CSV row with a 10 MB unquoted field");
        yield return new TestCaseData("columns.csv", Utf8(Header + GoodRow + "2,Artist,Title,1991,extra\n"), 3L, null, "has 5 fields but the header has 4")
            .SetName("A CSV row with too many fields");
        yield return new TestCaseData("few-columns.csv", Utf8(Header + GoodRow + "2,Artist\n"), 3L, null, "has 2 fields but the header has 4")
            .SetName("A CSV row with too few fields");
        yield return new TestCaseData("dupe.csv", Utf8(Header + GoodRow + "1,Other,Other,1991\n"), 3L, "source_key", "used twice (first on line 2)")
            .SetName("A CSV with a source_key used twice");
        yield return new TestCaseData("unknown.csv", Utf8("artist,title,genre\nA,T,Rock\n"), 1L, null, "unknown column 'genre'")
            .SetName("A CSV with an unknown column");
        yield return new TestCaseData("no-title-column.csv", Utf8("artist,year\nA,1990\n"), 1L, null, "no 'title' column")
            .SetName("A CSV without a title column");
        yield return new TestCaseData("unclosed.csv", Utf8(Header + GoodRow + "2,Artist,\"Open,1991\n3,A,B,1992\n"), 3L, null, "never closed")
            .SetName("A CSV with a quote never closed");
        yield return new TestCaseData("empty.csv", Array.Empty<byte>(), 1L, null, "is empty")
            .SetName("An empty CSV");
        yield return new TestCaseData("bad.jsonl", Utf8("{\"artist\":\"A\",\"title\":\"T\"}\n{\"artist\": \"B\", \"title\": \n"), 2L, null, "not valid JSON")
            .SetName("A malformed JSON line");
        yield return new TestCaseData("no-title.jsonl", Utf8("{\"artist\":\"A\",\"title\":\"T\"}\n{\"artist\":\"B\",\"year\":1990}\n"), 2L, "title", "is missing")
            .SetName("A JSON line without a title");
        yield return new TestCaseData("year.jsonl", Utf8("{\"artist\":\"A\",\"title\":\"T\"}\n{\"artist\":\"B\",\"title\":\"U\",\"year\":99999}\n"), 2L, "year", "99999")
            .SetName("A JSON line with year 99999");
        yield return new TestCaseData("latin1.jsonl", (byte[])[.. Utf8("{\"artist\":\"A\",\"title\":\"T\"}\n{\"artist\":\"Bj"), 0xF6, .. Utf8("rk\",\"title\":\"U\"}\n")], 2L, null, "not valid UTF-8")
            .SetName("A JSON line with invalid UTF-8 bytes");
        yield return new TestCaseData("huge.jsonl", Utf8("{\"artist\":\"A\",\"title\":\"T\"}\n{\"artist\":\"B\",\"title\":\"" + new string('x', 10 * 1024 * 1024) + "\"}\n"), 2L, null, "longer than 256 KB")
            .SetName("A JSON line with a 10 MB field");
        yield return new TestCaseData("array.jsonl", Utf8("{\"artist\":\"A\",\"title\":\"T\"}\n[\"B\",\"U\"]\n"), 2L, null, "not an object")
            .SetName("A JSON line that is not an object");
        yield return new TestCaseData("field.jsonl", Utf8("{\"artist\":\"A\",\"title\":\"T\",\"genre\":\"Rock\"}\n"), 1L, "genre", "not a known field")
            .SetName("A JSON line with an unknown field");
    }

    [TestCaseSource(nameof(BadFiles))]
    public async Task Is_refused_whole_with_file_line_and_reason_and_nothing_is_written(string name, byte[] content, long line, string? column, string reason)
    {
        await using var db = await TestDatabase.CreateAsync();
        var path = _files.WriteFile(name, content);
        var format = name.EndsWith(".csv", StringComparison.Ordinal) ? AlbumFileFormat.Csv : AlbumFileFormat.JsonLines;

        var ex = Assert.ThrowsAsync<AlbumImportException>(() =>
            LibraryTestData.Importer(db).ImportAsync(path, format, "lib", CancellationToken.None));

        Assert.That(ex!.Errors, Has.Some.Matches<ImportError>(e =>
            e.File == path && e.Line == line && e.Column == column && e.Reason.Contains(reason, StringComparison.Ordinal)),
            () => "errors were:\n" + string.Join('\n', ex.Errors));
        Assert.That(ex.Message, Does.Contain(path).And.Contain("nothing was written"));
        Assert.That(await LibraryTestData.CountRowsAsync(db), Is.EqualTo((0L, 0L, 0L)), "albums, jobs and job events stay empty");
    }

    [Test]
    public async Task A_file_refused_at_its_header_says_one_problem_stopped_the_reading()
    {
        await using var db = await TestDatabase.CreateAsync();
        var path = _files.WriteFile("header.csv", Encoding.UTF8.GetBytes("artist,title,genre\nA,T,Rock\n"));

        var ex = Assert.ThrowsAsync<AlbumImportException>(() =>
            LibraryTestData.Importer(db).ImportAsync(path, AlbumFileFormat.Csv, "lib", CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("1 problem, and reading stopped there:"));
    }

    [Test]
    public async Task Every_problem_of_a_file_is_listed_up_to_twenty()
    {
        await using var db = await TestDatabase.CreateAsync();
        var rows = string.Concat(Enumerable.Range(2, 30).Select(i => $"{i},Artist,Title,{(i % 2 == 0 ? "99999" : "1990")}\n"));
        var path = _files.WriteFile("many.csv", Header + GoodRow + rows);

        var ex = Assert.ThrowsAsync<AlbumImportException>(() =>
            LibraryTestData.Importer(db).ImportAsync(path, AlbumFileFormat.Csv, "lib", CancellationToken.None));

        Assert.That(ex!.Errors, Has.Count.EqualTo(15), "rows 2, 4, ... 30 have a bad year");
        Assert.That(ex.StoppedEarly, Is.False);
        Assert.That(ex.Errors.Select(e => e.Line), Is.EqualTo(Enumerable.Range(1, 15).Select(i => (long)(i * 2 + 1))));

        var worse = _files.WriteFile("worse.csv", Header + string.Concat(Enumerable.Range(1, 50).Select(i => $"{i},,Title,1990\n")));
        ex = Assert.ThrowsAsync<AlbumImportException>(() =>
            LibraryTestData.Importer(db).ImportAsync(worse, AlbumFileFormat.Csv, "lib", CancellationToken.None));
        Assert.That(ex!.Errors, Has.Count.EqualTo(ImportProblems.Limit));
        Assert.That(ex.StoppedEarly, Is.True);
        Assert.That(ex.Message, Does.Contain("the first 20 problems"));
        Assert.That((await LibraryTestData.CountRowsAsync(db)).Albums, Is.Zero);
    }

    [Test]
    public async Task A_bad_reimport_leaves_the_albums_of_the_earlier_import_as_they_were()
    {
        await using var db = await TestDatabase.CreateAsync();
        var path = _files.WriteFile("lib.csv", Header + GoodRow);
        await LibraryTestData.Importer(db).ImportAsync(path, AlbumFileFormat.Csv, "lib", CancellationToken.None);

        _files.WriteFile("lib.csv", Header + "1,Good Artist,Changed Title,1990\n2,Artist,,1991\n");
        Assert.ThrowsAsync<AlbumImportException>(() =>
            LibraryTestData.Importer(db).ImportAsync(path, AlbumFileFormat.Csv, "lib", CancellationToken.None));

        Assert.That((await LibraryTestData.AlbumsAsync(db)).Single().Tags.Title, Is.EqualTo("Good Title"));
        Assert.That(await LibraryTestData.CountRowsAsync(db), Is.EqualTo((1L, 1L, 1L)));
    }
}
