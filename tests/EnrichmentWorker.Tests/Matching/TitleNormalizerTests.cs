using EnrichmentWorker.Matching;

namespace EnrichmentWorker.Tests.Matching;

public sealed class TitleNormalizerTests
{
    [TestCase("Abbey Road (Remastered 2009)", "Abbey Road")]
    [TestCase("Nevermind [20th Anniversary Super Deluxe]", "Nevermind")]
    [TestCase("Rumours - 2004 Remaster", "Rumours")]
    [TestCase("Samurai Champloo Music Record - Departure - Deluxe Version", "Samurai Champloo Music Record - Departure")]
    [TestCase("Pet Sounds (Mono)", "Pet Sounds")]
    [TestCase("The Wall (Disc 1)", "The Wall")]
    [TestCase("The Wall CD2", "The Wall")]
    [TestCase("Mellon Collie And The Infinite Sadness Disc 2", "Mellon Collie And The Infinite Sadness")]
    [TestCase("Blue (Legacy Edition) [Bonus Tracks]", "Blue")]
    [TestCase("Purple Rain (Expanded Edition)", "Purple Rain")]
    [TestCase("OK Computer (1997)", "OK Computer")]
    [TestCase("Grease (The Original Soundtrack From The Motion Picture)", "Grease")]
    [TestCase("Porcupine - Box Set", "Porcupine")]
    [TestCase("Brand New Strings (3CD Box Set)", "Brand New Strings")]
    [TestCase("Hospice (Gatefold) [180g Vinyl]", "Hospice")]
    [TestCase("Desire (Japan Import)", "Desire")]
    [TestCase("Astral Weeks (Mobile Fidelity)", "Astral Weeks")]
    [TestCase("Diary 001 (2LP)", "Diary 001")]
    [TestCase("Latin Soul (Digipak) (SHM-CD)", "Latin Soul")]
    public void Edition_text_is_stripped(string title, string expected) =>
        Assert.That(TitleNormalizer.StripEditionText(title), Is.EqualTo(expected));

    [TestCase("1989 (Taylor's Version)")]
    [TestCase("(What's The Story) Morning Glory?")]
    [TestCase("Legend (The Best Of Bob Marley And The Wailers)")]
    [TestCase("True Life Blues - The Songs Of Bill Monroe")]
    [TestCase("Chronicle - The 20 Greatest Hits")]
    [TestCase("(Deluxe Edition)")]
    [TestCase("Nevermind (Live 2011 Remaster)")]
    [TestCase("MTV Unplugged (Deluxe Acoustic Edition)")]
    public void Brackets_and_dashes_that_are_not_edition_text_stay(string title) =>
        Assert.That(TitleNormalizer.StripEditionText(title), Is.EqualTo(title));

    [Test]
    public void A_Discogs_A_equals_B_title_yields_both_sides() =>
        Assert.That(
            TitleNormalizer.Normalize("Ride On Time = ライドオン・タイム").Variants.Select(v => v.ToString()),
            Is.EqualTo(new[] { "ride on time ラ イ ド オ ン タ イ ム", "ride on time", "ラ イ ド オ ン タ イ ム" }));

    [Test]
    public void A_remaining_bracket_is_the_titles_qualifier() =>
        Assert.That(TitleNormalizer.Normalize("1989 (Taylor's Version)").Qualifier?.ToString(), Is.EqualTo("taylors version"));
}
