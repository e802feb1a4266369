using EnrichmentWorker.Discogs;

namespace EnrichmentWorker.Tests.Discogs;

/// <summary>What a person pastes to name the right release or master: Discogs' addresses in their shapes, its r/m notation, a number with a kind.</summary>
public sealed class DiscogsReferenceTests
{
    [TestCase("https://www.discogs.com/release/105704-Radiohead-OK-Computer", DiscogsEntity.Release, 105704)]
    [TestCase("https://www.discogs.com/master/21491-Radiohead-OK-Computer", DiscogsEntity.Master, 21491)]
    [TestCase("https://www.discogs.com/release/1348271-Radiohead-%E3%83%AC%E3%83%87%E3%82%A3%E3%82%AA%E3%83%98%E3%83%83%E3%83%89-OK-Computer", DiscogsEntity.Release, 1348271)]
    [TestCase("https://www.discogs.com/de/release/4013586-Radiohead-OK-Computer", DiscogsEntity.Release, 4013586)]
    [TestCase("https://www.discogs.com/ja/master/21491-Radiohead-OK-Computer", DiscogsEntity.Master, 21491)]
    [TestCase("discogs.com/release/123", DiscogsEntity.Release, 123)]
    [TestCase("discogs.com/fr/master/456", DiscogsEntity.Master, 456)]
    [TestCase("www.discogs.com/release/35300-Dune-Dark-Side-Of-The-Moon?ev=rr#images", DiscogsEntity.Release, 35300)]
    [TestCase("http://discogs.com/master/81102-Dune-Dark-Side-Of-The-Moon/", DiscogsEntity.Master, 81102)]
    [TestCase("https://www.discogs.com/Radiohead-OK-Computer/release/105704", DiscogsEntity.Release, 105704)]
    [TestCase("https://www.discogs.com/Dream-Theater-Official-Bootleg-Dark-Side-Of-The-Moon/master/380760", DiscogsEntity.Master, 380760)]
    [TestCase("https://api.discogs.com/releases/5435378", DiscogsEntity.Release, 5435378)]
    [TestCase("https://api.discogs.com/masters/718441", DiscogsEntity.Master, 718441)]
    [TestCase("  https://www.discogs.com/release/6990537-Home-Street-Home-87trees  ", DiscogsEntity.Release, 6990537)]
    [TestCase("[r123]", DiscogsEntity.Release, 123)]
    [TestCase("[m456]", DiscogsEntity.Master, 456)]
    [TestCase("r123", DiscogsEntity.Release, 123)]
    [TestCase("M456", DiscogsEntity.Master, 456)]
    public void A_discogs_address_or_notation_names_its_kind_and_id(string text, DiscogsEntity entity, long id)
    {
        var parsed = DiscogsReference.TryParse(text, null, out var reference, out var error);

        Assert.That(parsed, Is.True, error);
        Assert.That(reference, Is.EqualTo(new DiscogsReference(entity, id)));
    }

    [TestCase(DiscogsEntity.Release)]
    [TestCase(DiscogsEntity.Master)]
    public void A_bare_number_takes_the_kind_chosen_beside_it(DiscogsEntity chosen)
    {
        Assert.That(DiscogsReference.TryParse(" 2221110 ", chosen, out var reference, out _), Is.True);
        Assert.That(reference, Is.EqualTo(new DiscogsReference(chosen, 2221110)));
    }

    [Test]
    public void The_address_says_its_kind_even_when_another_was_chosen()
    {
        Assert.That(DiscogsReference.TryParse("https://www.discogs.com/master/21491-Radiohead-OK-Computer", DiscogsEntity.Release, out var reference, out _), Is.True);
        Assert.That(reference!.Entity, Is.EqualTo(DiscogsEntity.Master));
    }

    [Test]
    public void A_bare_number_without_a_kind_is_refused_with_how_to_say_it()
    {
        Assert.That(DiscogsReference.TryParse("123", null, out _, out var error), Is.False);
        Assert.That(error, Does.Contain("release or a master").And.Contain("r123"));
    }

    [TestCase("", "Nothing was given")]
    [TestCase("   ", "Nothing was given")]
    [TestCase("OK Computer", "not a Discogs address or id")]
    [TestCase("https://www.musicbrainz.org/release/105704", "on www.musicbrainz.org, not on discogs.com")]
    [TestCase("https://discogs.com.evil.example/release/105704", "not on discogs.com")]
    [TestCase("https://www.discogs.com/artist/3840-Radiohead", "not of a release or master page")]
    [TestCase("https://www.discogs.com/label/2294-Parlophone", "not of a release or master page")]
    [TestCase("https://www.discogs.com/search/?q=radiohead", "not of a release or master page")]
    [TestCase("https://www.discogs.com/release/", "not of a release or master page")]
    [TestCase("https://www.discogs.com/release/Radiohead-OK-Computer", "not of a release or master page")]
    [TestCase("ftp://www.discogs.com/release/1", "not a Discogs address or id")]
    [TestCase("javascript:alert(1)", "not a Discogs address or id")]
    [TestCase("[r123", "not a Discogs address or id")]
    [TestCase("x123", "not a Discogs address or id")]
    [TestCase("r0", "ids are whole numbers from 1 up")]
    [TestCase("m99999999999999999999", "ids are whole numbers from 1 up")]
    [TestCase("-5", "not a Discogs address or id")]
    public void Anything_else_is_refused_with_what_is_accepted(string text, string why)
    {
        Assert.That(DiscogsReference.TryParse(text, DiscogsEntity.Release, out var reference, out var error), Is.False);
        Assert.That(reference, Is.Null);
        Assert.That(error, Does.Contain(why));
        Assert.That(error, Does.Contain("discogs.com/release/123").Or.Contain("release or master"), "the message says what is accepted");
    }

    [Test]
    public void Zero_as_a_bare_number_is_not_an_id()
    {
        Assert.That(DiscogsReference.TryParse("0", DiscogsEntity.Master, out _, out var error), Is.False);
        Assert.That(error, Does.Contain("from 1 up"));
    }
}
