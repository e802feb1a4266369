using EnrichmentWorker.Library;
using EnrichmentWorker.Matching;
using static EnrichmentWorker.Tests.Matching.MatchTestData;

namespace EnrichmentWorker.Tests.Matching;

public sealed class CandidateScorerTests
{
    [TestCase("Motoerhead", "Ace Of Spades", "Motörhead", "Ace Of Spades")]
    [TestCase("Huesker Due", "Zen Arcade", "Hüsker Dü", "Zen Arcade")]
    [TestCase("Keith Jarrett", "The Koeln Concert", "Keith Jarrett", "The Köln Concert")]
    [TestCase("Einstürzende Neubauten", "Halber Mensch", "Einstuerzende Neubauten", "Halber Mensch")]
    [TestCase("Die Strassenjungs", "Dauerlutscher", "Die Straßenjungs", "Dauerlutscher")]
    [TestCase("Aasmund Nordstoga", "Aasmund", "Åsmund Nordstoga", "Åsmund")]
    [TestCase("Bjoern Again", "Live", "Bjørn Again", "Live")]
    [TestCase("Wlodek Pawlik", "Night In Calisia", "Włodek Pawlik", "Night In Calisia")]
    public void Transliterated_letters_score_as_the_letters_themselves_on_either_side(string artist, string title, string discogsArtist, string discogsTitle) =>
        Assert.That(Score(new AlbumTags(artist, null, title, 1990), Master(1, discogsArtist, discogsTitle, 1990)).Total, Is.EqualTo(1.0));

    [TestCase("Greatest Hits", "Simon & Garfunkel's Greatest Hits")]
    [TestCase("Rhythm Nation 1814", "Janet Jackson's Rhythm Nation 1814")]
    [TestCase("Janet Jackson's Rhythm Nation 1814", "Rhythm Nation 1814")]
    public void The_artists_name_in_either_title_is_left_out_at_a_small_discount(string title, string discogsTitle)
    {
        var artist = discogsTitle.StartsWith("Simon", StringComparison.Ordinal) ? "Simon & Garfunkel" : "Janet Jackson";
        var scored = Score(new AlbumTags(artist, null, title, 1990), Master(1, artist, discogsTitle, 1990));
        Assert.That(scored.Similarity(MatchField.Title), Is.EqualTo(CandidateScorer.ArtistInTitleFactor));
    }

    [TestCase("Weezer (Blue Album)")]
    [TestCase("The Blue Album")]
    [TestCase("S/T")]
    [TestCase("Self-Titled")]
    public void A_self_titled_album_tagged_by_its_nickname_scores_as_a_match_with_exact_artist_and_year(string title)
    {
        var scored = Score(new AlbumTags("Weezer", null, title, 1994), Master(35266, "Weezer", "Weezer", 1994));
        Assert.That(scored.Total, Is.GreaterThanOrEqualTo(0.8));
    }

    [TestCase("Weezer (Blue Album)", 1996)]
    [TestCase("Weezer (Live)", 1994)]
    [TestCase("Midnight Harbour", 1994)]
    public void A_nickname_needs_the_exact_year_and_must_not_name_another_recording(string title, int year) =>
        Assert.That(Score(new AlbumTags("Weezer", null, title, year), Master(35266, "Weezer", "Weezer", 1994)).Total, Is.LessThan(0.8));

    [Test]
    public void The_total_is_60_percent_title_30_percent_artist_10_percent_year()
    {
        var scored = Score(new AlbumTags("Nirvana", null, "Nevermind", 1991), Master(1, "Nirvana", "Nevermind", 1991));
        Assert.That(scored.Fields.Select(f => (f.Field, f.Weight)), Is.EqualTo(new[] { (MatchField.Title, 0.6), (MatchField.Artist, 0.3), (MatchField.Year, 0.1) }));
        Assert.That(scored.Total, Is.EqualTo(1.0));
    }

    [TestCase("Bjork", "Björk")]
    [TestCase("Sigur Ros", "Sigur Rós")]
    [TestCase("Beyonce", "Beyoncé")]
    [TestCase("ACDC", "AC/DC")]
    [TestCase("Guns N Roses", "Guns N' Roses")]
    [TestCase("REM", "R.E.M.")]
    [TestCase("Air", "Air (2)")]
    [TestCase("NERD", "N*E*R*D")]
    [TestCase("Beatles", "The Beatles")]
    [TestCase("Kanye West feat. Jay-Z", "Kanye West")]
    [TestCase("Stan Getz", "Stan Getz, João Gilberto")]
    [TestCase("Simon and Garfunkel", "Simon & Garfunkel")]
    public void Artist_spellings_of_the_same_act_score_fully(string tagged, string onDiscogs) =>
        Assert.That(Score(new AlbumTags(tagged, null, "Album", 2000), Master(1, onDiscogs, "Album", 2000)).Similarity(MatchField.Artist), Is.EqualTo(1.0));

    [Test]
    public void X_and_Y_matches_X_ampersand_Y() =>
        Assert.That(Score(new AlbumTags("Coldplay", null, "X & Y", 2005), Master(26787, "Coldplay", "X&Y", 2005)).Similarity(MatchField.Title), Is.EqualTo(1.0));

    [Test]
    public void A_CJK_title_scores_on_its_characters() =>
        Assert.That(Score(new AlbumTags("Joe Hisaishi", null, "魔女の宅急便 サントラ音楽集", 1989), Master(584837, "Joe Hisaishi", "魔女の宅急便 サントラ音楽集", 1989)).Total, Is.EqualTo(1.0));

    [Test]
    public void One_side_of_an_A_equals_B_title_is_enough() =>
        Assert.That(Score(new AlbumTags("Tatsuro Yamashita", null, "Ride On Time", 1980), Master(1, "Tatsuro Yamashita", "Ride On Time = ライドオン・タイム", 1980)).Similarity(MatchField.Title), Is.EqualTo(1.0));

    [Test]
    public void Led_Zeppelin_III_is_not_Led_Zeppelin_or_IV()
    {
        var tags = new AlbumTags("Led Zeppelin", null, "Led Zeppelin III", 1970);
        Assert.That(Score(tags, Master(1, "Led Zeppelin", "Led Zeppelin III", 1970)).Similarity(MatchField.Title), Is.EqualTo(1.0));
        Assert.That(Score(tags, Master(2, "Led Zeppelin", "Led Zeppelin", 1969)).Similarity(MatchField.Title), Is.LessThan(0.3));
        Assert.That(Score(tags, Master(3, "Led Zeppelin", "Led Zeppelin IV", 1971)).Similarity(MatchField.Title), Is.LessThan(0.3));
    }

    [Test]
    public void Taylors_Version_is_another_album_than_1989() =>
        Assert.That(Score(new AlbumTags("Taylor Swift", null, "1989 (Taylor's Version)", 2023), Master(750386, "Taylor Swift", "1989", 2014)).Total, Is.LessThan(0.6));

    [Test]
    public void Edition_suffixes_do_not_lower_the_title_score() =>
        Assert.That(Score(new AlbumTags("Nirvana", null, "Nevermind (20th Anniversary Deluxe Edition)", 2011), Master(1, "Nirvana", "Nevermind", 1991)).Similarity(MatchField.Title), Is.EqualTo(1.0));

    [TestCase(1991, 1.0)]
    [TestCase(1992, CandidateScorer.AdjacentYear)]
    [TestCase(1990, CandidateScorer.AdjacentYear)]
    [TestCase(2011, CandidateScorer.LaterYear)]
    [TestCase(1985, 0.0)]
    [TestCase(null, CandidateScorer.UnknownYear)]
    public void The_year_scores_equal_adjacent_reissue_earlier_and_unknown(int? year, double expected) =>
        Assert.That(Score(new AlbumTags("Nirvana", null, "Nevermind", year), Master(1, "Nirvana", "Nevermind", 1991)).Similarity(MatchField.Year), Is.EqualTo(expected));

    [Test]
    public void The_year_counts_against_the_original_year_of_a_release_too() =>
        Assert.That(Score(new AlbumTags("Nirvana", null, "Nevermind", 1991), Release(5, "Nirvana", "Nevermind", 2011, 13814) with { MasterYear = 1991 }).Similarity(MatchField.Year), Is.EqualTo(1.0));

    [Test]
    public void An_exact_title_by_a_wrong_artist_fails_the_artist_gate()
    {
        var scored = Score(new AlbumTags("Journey", null, "Greatest Hits", 1988), Master(1, "Al Green", "Greatest Hits", 1975));
        Assert.That(scored.Similarity(MatchField.Title), Is.EqualTo(1.0));
        Assert.That(scored.PassedArtistGate, Is.False);
    }

    [Test]
    public void Two_artists_sharing_a_first_name_fail_the_artist_gate() =>
        Assert.That(Score(new AlbumTags("John Martyn", null, "Greatest Hits", 1992), Master(1, "Elton John", "Greatest Hits", 1974)).PassedArtistGate, Is.False);

    [TestCase("Various Artists")]
    [TestCase("VA")]
    [TestCase("Various")]
    public void A_compilation_matches_Discogs_Various_and_is_scored_on_its_title(string tagged)
    {
        var scored = Score(new AlbumTags(tagged, null, "No New York", 1978), Master(1, "Various", "No New York", 1978));
        Assert.That(scored.Similarity(MatchField.Artist), Is.EqualTo(1.0));
        Assert.That(scored.Total, Is.EqualTo(1.0));
    }

    [Test]
    public void Every_field_says_what_it_compared() =>
        Assert.That(Score(new AlbumTags("Björk", null, "Homogenic (Remastered)", 1997), Master(2815, "Björk", "Homogenic", 1997)).Fields.Select(f => f.Compared),
            Is.EqualTo(new[] { "'homogenic' vs 'homogenic'", "'bjork' vs 'bjork'", "1997 vs 1997" }));
}
