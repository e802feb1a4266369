using EnrichmentWorker.Library;

namespace EnrichmentWorker.Tests.Library;

public sealed class CsvRecordParserTests
{
    // NUnit shares one fixture instance between its tests: each test starts with no problems.
    private readonly List<(long Line, string Reason)> _problems = [];

    [SetUp]
    public void ForgetProblems() => _problems.Clear();

    private List<CsvRecord> Parse(params string[] lines)
    {
        var parser = new CsvRecordParser((line, reason) => _problems.Add((line, reason)));
        var records = new List<CsvRecord>();
        for (var i = 0; i < lines.Length; i++)
        {
            records.AddRange(parser.Feed(i + 1, lines[i]));
        }

        if (parser.Finish() is { } last)
        {
            records.Add(last);
        }

        return records;
    }

    [Test]
    public void Quoted_fields_keep_commas_doubled_quotes_and_line_breaks_exactly()
    {
        var records = Parse("a,\"b, with comma\",\"say \"\"hi\"\"\"\r\n", "\"two\r\n", "lines\",x,\"\"\r\n");

        Assert.That(records, Has.Count.EqualTo(2));
        Assert.That(records[0].Fields, Is.EqualTo(new[] { "a", "b, with comma", "say \"hi\"" }));
        Assert.That(records[1].Fields, Is.EqualTo(new[] { "two\r\nlines", "x", "" }));
        Assert.That(records[1].Line, Is.EqualTo(2), "a record is numbered by the line it starts on");
        Assert.That(_problems, Is.Empty);
    }

    [Test]
    public void Blank_lines_are_skipped_and_a_last_line_without_a_line_break_is_a_record()
    {
        var records = Parse("a,b\n", "\n", "\r\n", "c,d");

        Assert.That(records.Select(r => r.Line), Is.EqualTo(new long[] { 1, 4 }));
        Assert.That(records[1].Fields, Is.EqualTo(new[] { "c", "d" }));
    }

    [Test]
    public void A_quote_inside_an_unquoted_field_is_taken_literally()
    {
        var records = Parse("12\" Single,b\n");

        Assert.That(records[0].Fields, Is.EqualTo(new[] { "12\" Single", "b" }));
        Assert.That(_problems, Is.Empty);
    }

    [Test]
    public void A_quoted_field_never_closed_is_reported_on_the_line_it_opened()
    {
        Parse("a,b\n", "c,\"open\n", "more\n");

        Assert.That(_problems, Has.One.Matches<(long Line, string Reason)>(p => p.Line == 2 && p.Reason.Contains("never closed", StringComparison.Ordinal)));
    }

    [Test]
    public void Text_after_a_closing_quote_is_reported()
    {
        Parse("\"a\"b,c\n");

        Assert.That(_problems, Has.One.Matches<(long Line, string Reason)>(p => p.Line == 1 && p.Reason.Contains("closing quote", StringComparison.Ordinal)));
    }

    [Test]
    public void A_field_is_held_only_up_to_one_character_past_the_limit()
    {
        var records = Parse(new string('x', CsvRecordParser.MaxFieldLength * 3) + ",y\n");

        Assert.That(records[0].Fields[0], Has.Length.EqualTo(CsvRecordParser.MaxFieldLength + 1));
        Assert.That(records[0].Fields[1], Is.EqualTo("y"));
    }
}
