using EnrichmentWorker.Matching;

namespace EnrichmentWorker.Tests.Matching;

public sealed class ArtistNormalizerTests
{
    private static string Whole(string artist) => ArtistNormalizer.Normalize(artist).Whole.ToString();

    [TestCase("Air (2)", "air")]
    [TestCase("Nirvana (12)", "nirvana")]
    [TestCase("Prince*", "prince")]
    [TestCase("Jack DeJohnette (2)*", "jack dejohnette")]
    public void Discogs_disambiguation_suffixes_and_name_variation_stars_go(string artist, string expected) =>
        Assert.That(Whole(artist), Is.EqualTo(expected));

    [Test]
    public void The_N_star_E_star_R_star_D_name_keeps_its_letters() =>
        Assert.That(ArtistNormalizer.Normalize("N*E*R*D").Whole.Compact, Is.EqualTo("nerd"));

    [TestCase("Kanye West feat. Jay-Z", "kanye west")]
    [TestCase("Kanye West ft. Jay-Z", "kanye west")]
    [TestCase("Kanye West featuring Jay-Z", "kanye west")]
    [TestCase("Kanye West (feat. Jay-Z)", "kanye west")]
    [TestCase("Frank Sinatra with Count Basie", "frank sinatra")]
    public void Featured_guests_are_dropped(string artist, string expected) =>
        Assert.That(Whole(artist), Is.EqualTo(expected));

    [TestCase("The Beatles", "beatles")]
    [TestCase("The The", "the")]
    public void A_leading_The_is_dropped(string artist, string expected) =>
        Assert.That(Whole(artist), Is.EqualTo(expected));

    [Test]
    public void Credits_are_split_on_commas_and_slashes_but_AC_DC_stays_one_name()
    {
        var credits = ArtistNormalizer.Normalize("Stan Getz, João Gilberto");
        Assert.That(credits.Credits.Select(c => c.ToString()), Is.EqualTo(new[] { "stan getz", "joao gilberto" }));
        Assert.That(ArtistNormalizer.Normalize("AC/DC").Credits, Has.Count.EqualTo(1));
    }

    [TestCase("Various")]
    [TestCase("Various Artists")]
    [TestCase("VA")]
    [TestCase("V.A.")]
    public void Compilation_credits_are_recognised(string artist) =>
        Assert.That(ArtistNormalizer.Normalize(artist).IsVarious, Is.True);

    [Test]
    public void A_query_names_the_first_credit_without_guests_or_suffixes() =>
        Assert.That(ArtistNormalizer.QueryName("Air (2) feat. Beck"), Is.EqualTo("Air"));
}
