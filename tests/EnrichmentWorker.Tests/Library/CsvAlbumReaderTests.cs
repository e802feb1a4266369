using System.Text;
using EnrichmentWorker.Library;

namespace EnrichmentWorker.Tests.Library;

/// <summary>What the import adds on top of CsvHelper: lines, quoting problems, UTF-8, the header's columns.</summary>
public sealed class CsvAlbumReaderTests
{
    private static Task<IReadOnlyList<AlbumInput>> Read(string text, bool ignoreUnknownColumns = false) => Read(Encoding.UTF8.GetBytes(text), ignoreUnknownColumns);

    private static async Task<IReadOnlyList<AlbumInput>> Read(byte[] bytes, bool ignoreUnknownColumns = false)
    {
        // Not a MemoryStream, which CsvHelper would read in place: the import reads a file, a stream it buffers.
        using var stream = new BufferedStream(new MemoryStream(bytes));
        return await new CsvAlbumReader(ignoreUnknownColumns).ReadAsync(stream, "lib.csv", "lib", CancellationToken.None);
    }

    private static IReadOnlyList<ImportError> Refusal(string text, bool ignoreUnknownColumns = false) =>
        Assert.ThrowsAsync<AlbumImportException>(() => Read(text, ignoreUnknownColumns))!.Errors;

    [Test]
    public async Task Blank_lines_are_skipped_a_last_line_needs_no_line_break_and_a_quote_inside_an_unquoted_field_is_text()
    {
        var albums = await Read("artist,title\n\n\r\nCan,12\" Single\n\"Two\r\nLines\",X\nNeu!,Neu!");

        Assert.That(albums.Select(a => (a.Tags.Artist, a.Tags.Title)), Is.EqualTo(new[] { ("Can", "12\" Single"), ("Two\r\nLines", "X"), ("Neu!", "Neu!") }));
    }

    [Test]
    public void A_record_is_numbered_by_the_line_it_starts_on_after_a_field_spanning_lines()
    {
        var errors = Refusal("artist,title,year\n\"Two\nLines\",X,1990\nA,B,99999\n");

        Assert.That(errors.Single(), Is.EqualTo(new ImportError("lib.csv", 4, "year", errors.Single().Reason)));
    }

    [Test]
    public void A_quoted_field_never_closed_is_reported_on_the_line_of_its_record()
    {
        var errors = Refusal("artist,title\nA,B\nc,\"open\nmore\n");

        Assert.That(errors, Has.One.Matches<ImportError>(e => e.Line == 3 && e.Reason.Contains("never closed", StringComparison.Ordinal)), string.Join('\n', errors));
    }

    [Test]
    public void Text_after_a_closing_quote_is_reported()
    {
        var errors = Refusal("artist,title\n\"a\"b,c\n");

        Assert.That(errors, Has.One.Matches<ImportError>(e => e.Line == 2 && e.Reason.Contains("closing quote", StringComparison.Ordinal)), string.Join('\n', errors));
    }

    [Test]
    public void Invalid_UTF8_is_reported_with_its_line_field_and_byte()
    {
        var errors = Assert.ThrowsAsync<AlbumImportException>(() => Read([.. "artist,title\nA,Caf"u8, 0xE9, .. "\n"u8]))!.Errors;

        Assert.That(errors.Single(), Is.EqualTo(new ImportError("lib.csv", 2, "title", "is not valid UTF-8 (bad byte at byte 4 of the field): save the file as UTF-8")));
    }

    [Test]
    public void An_unknown_column_is_refused_with_a_message_that_offers_to_ignore_it()
    {
        var errors = Refusal("artist,title,genre\nA,T,Rock\n");

        Assert.That(errors.Single().Reason, Does.Contain("unknown column 'genre'").And.Contain("--ignore-unknown-columns"));
    }

    [Test]
    public async Task Unknown_columns_can_be_ignored_and_are_listed()
    {
        var reader = new CsvAlbumReader(ignoreUnknownColumns: true);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("path,artist,title,genre\n/x.flac,A,T,Rock\n"));

        var albums = await reader.ReadAsync(stream, "lib.csv", "lib", CancellationToken.None);

        Assert.That(albums.Select(a => (a.Tags.Artist, a.Tags.Title)), Is.EqualTo(new[] { ("A", "T") }));
        Assert.That(reader.IgnoredColumns, Is.EqualTo(new[] { "path", "genre" }));
    }

    [Test]
    public void Ignoring_unknown_columns_still_refuses_a_duplicate_or_a_missing_required_one()
    {
        var errors = Refusal("artist,artist,genre\nA,B,Rock\n", ignoreUnknownColumns: true);

        Assert.That(errors.Select(e => e.Reason), Has.Some.Contains("twice").And.Some.Contains("no 'title' column"));
    }

    [Test]
    public void A_record_past_the_size_limit_stops_the_reading_with_its_line()
    {
        var ex = Assert.ThrowsAsync<AlbumImportException>(() => Read("artist,title\nA,B\nC,\"" + new string('x', (CsvAlbumReader.MaxRecordBytes * 2) + 10) + "\"\nD,E\n"));

        Assert.That(ex!.Errors.Single().Line, Is.EqualTo(3));
        Assert.That(ex.Errors.Single().Reason, Does.Contain("longer than 16 MB"));
        Assert.That(ex.StoppedEarly, Is.True);
    }
}
