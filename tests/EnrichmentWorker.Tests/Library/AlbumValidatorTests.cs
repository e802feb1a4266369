using EnrichmentWorker.Library;

namespace EnrichmentWorker.Tests.Library;

public sealed class AlbumValidatorTests
{
    private static (AlbumInput? Album, List<FieldProblem> Problems) Validate(params (AlbumField Field, string? Value)[] fields)
    {
        var raw = new Dictionary<AlbumField, string?> { [AlbumField.Artist] = "Artist", [AlbumField.Title] = "Title" };
        foreach (var (field, value) in fields)
        {
            raw[field] = value;
        }

        var problems = new List<FieldProblem>();
        return (AlbumValidator.Validate("test", raw, problems), problems);
    }

    [TestCase("999", false)]
    [TestCase("1000", true)]
    [TestCase("2100", true)]
    [TestCase("2101", false)]
    [TestCase("99999", false)]
    [TestCase(" 1997 ", true)]
    [TestCase("", true)]
    public void Years_are_accepted_from_1000_to_2100_or_left_empty(string year, bool accepted)
    {
        var (album, problems) = Validate((AlbumField.Year, year));

        Assert.That(album is not null, Is.EqualTo(accepted));
        if (!accepted)
        {
            Assert.That(problems.Single().Field, Is.EqualTo("year"));
            Assert.That(problems.Single().Reason, Does.Contain("between 1000 and 2100"));
        }
    }

    [TestCase("nineteen")]
    [TestCase("1997.5")]
    [TestCase("0x7CD")]
    public void A_year_that_is_not_a_whole_number_is_refused_with_the_value_quoted(string year)
    {
        var (album, problems) = Validate((AlbumField.Year, year));

        Assert.That(album, Is.Null);
        Assert.That(problems.Single().Reason, Does.Contain($"'{year}'").And.Contain("not a whole number"));
    }

    [TestCase(null, "is missing")]
    [TestCase("", "is blank")]
    [TestCase("   ", "is blank")]
    public void A_title_must_be_given(string? title, string reason)
    {
        var (album, problems) = Validate((AlbumField.Title, title));

        Assert.That(album, Is.Null);
        Assert.That(problems.Single(), Is.EqualTo(new FieldProblem("title", reason)));
    }

    [Test]
    public void Text_is_limited_to_4096_characters_and_must_be_storable()
    {
        Assert.That(Validate((AlbumField.Title, new string('x', 4096))).Album, Is.Not.Null);
        Assert.That(Validate((AlbumField.Title, new string('x', 4097))).Problems.Single().Reason, Does.Contain("longer than 4096"));
        Assert.That(Validate((AlbumField.Artist, "a\0b")).Problems.Single().Reason, Does.Contain("NUL"));
        Assert.That(Validate((AlbumField.Artist, "a\ud800b")).Problems.Single().Reason, Does.Contain("surrogate"));
    }

    [Test]
    public void Tags_are_kept_exactly_and_only_identifiers_are_trimmed()
    {
        var (album, _) = Validate((AlbumField.Title, "  Spaced Out  "), (AlbumField.SourceKey, " 42 "));

        Assert.That(album!.Tags.Title, Is.EqualTo("  Spaced Out  "));
        Assert.That(album.SourceKey, Is.EqualTo("42"));
    }

    [Test]
    public void An_album_without_a_key_gets_one_from_its_tags_that_is_the_same_every_time()
    {
        var (first, _) = Validate((AlbumField.Year, "1997"));
        var (again, _) = Validate((AlbumField.Year, "1997"));
        var (otherYear, _) = Validate((AlbumField.Year, "1998"));

        Assert.That(first!.SourceKey, Is.EqualTo(again!.SourceKey).And.StartsWith("tags:"));
        Assert.That(otherYear!.SourceKey, Is.Not.EqualTo(first.SourceKey));
    }

    [TestCase("0", false)]
    [TestCase("1", true)]
    [TestCase("10000", true)]
    [TestCase("10001", false)]
    public void Track_counts_run_from_1_to_10000(string count, bool accepted) =>
        Assert.That(Validate((AlbumField.TrackCount, count)).Album is not null, Is.EqualTo(accepted));
}
