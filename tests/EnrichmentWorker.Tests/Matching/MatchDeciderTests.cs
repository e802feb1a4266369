using EnrichmentWorker.Library;
using EnrichmentWorker.Matching;
using static EnrichmentWorker.Tests.Matching.MatchTestData;

namespace EnrichmentWorker.Tests.Matching;

public sealed class MatchDeciderTests
{
    [Test]
    public void A_clear_best_candidate_is_matched_with_its_master()
    {
        var decision = Decide(new AlbumTags("Nirvana", null, "Nevermind", 1991), Master(13814, "Nirvana", "Nevermind", 1991), Master(2, "Nirvana", "Bleach", 1989));
        Assert.That((decision.Outcome, decision.Reason, decision.MasterId), Is.EqualTo((MatchOutcome.Matched, MatchReason.Confident, (long?)13814)));
    }

    [Test]
    public void A_match_explains_itself_with_its_score_and_the_album_it_beat()
    {
        var decision = Decide(new AlbumTags("Nirvana", null, "Nevermind", 1991), Master(13814, "Nirvana", "Nevermind", 1991), Master(2, "Nirvana", "Bleach", 1989));
        Assert.That(decision.Explanation, Is.EqualTo("Matched master 13814 'Nirvana - Nevermind' with a score of 1.00, 0.65 ahead of the next album, master 2 'Nirvana - Bleach'."));
    }

    [Test]
    public void A_match_without_a_competing_album_says_so_instead_of_quoting_a_margin()
    {
        var decision = Decide(new AlbumTags("Nirvana", null, "Nevermind", 1991), Master(13814, "Nirvana", "Nevermind", 1991), Release(101, "Nirvana", "Nevermind", 1991, 13814));
        Assert.That(decision.Explanation, Is.EqualTo("Matched master 13814 'Nirvana - Nevermind' with a score of 1.00; no other album by this artist was among the candidates."));
    }

    [Test]
    public void The_old_pipelines_failure_an_exact_title_by_the_wrong_artist_is_rejected()
    {
        var decision = Decide(new AlbumTags("Journey", null, "Greatest Hits", 1988), Master(141238, "Al Green", "Greatest Hits", 1975));
        Assert.That((decision.Outcome, decision.Reason), Is.EqualTo((MatchOutcome.NoMatch, MatchReason.ArtistMismatch)));
        Assert.That(decision.Candidates, Has.Count.EqualTo(1), "the rejected candidate is kept to explain the decision");
    }

    [Test]
    public void Weezers_self_titled_albums_are_told_apart_by_year()
    {
        MatchCandidate[] weezers = [Master(35266, "Weezer", "Weezer", 1994), Master(35285, "Weezer", "Weezer", 2001), Master(980266, "Weezer", "Weezer", 2016), Master(1490181, "Weezer", "Weezer", 2019)];
        Assert.That(Decide(new AlbumTags("Weezer", null, "Weezer", 2001), weezers).MasterId, Is.EqualTo(35285));
        Assert.That(Decide(new AlbumTags("Weezer", null, "Weezer", 1994), weezers).MasterId, Is.EqualTo(35266));
    }

    [Test]
    public void A_reissue_of_another_album_competes_through_its_master_not_its_own_year()
    {
        // A 2020 pressing of Weezer's 2016 album scores 0.98 against the 2019 album on its own year; its master says 2016.
        var decision = Decide(
            new AlbumTags("Weezer", null, "Weezer", 2019),
            Master(1490181, "Weezer", "Weezer", 2019),
            Master(980266, "Weezer", "Weezer", 2016),
            Release(907842129, "Weezer", "Weezer", 2020, 980266));
        Assert.That((decision.Outcome, decision.MasterId), Is.EqualTo((MatchOutcome.Matched, (long?)1490181)));
    }

    [Test]
    public void Without_a_year_two_albums_with_the_same_title_are_too_close_to_call()
    {
        var decision = Decide(new AlbumTags("Weezer", null, "Weezer", null), Master(35266, "Weezer", "Weezer", 1994), Master(35285, "Weezer", "Weezer", 2001));
        Assert.That((decision.Outcome, decision.Reason, decision.MasterId), Is.EqualTo((MatchOutcome.NeedsReview, MatchReason.Ambiguous, (long?)null)));
    }

    [Test]
    public void Releases_of_the_same_master_do_not_compete_for_the_margin()
    {
        var decision = Decide(
            new AlbumTags("Nirvana", null, "Nevermind", 1991),
            Master(13814, "Nirvana", "Nevermind", 1991),
            Release(101, "Nirvana", "Nevermind", 1991, 13814),
            Release(102, "Nirvana", "Nevermind", 1991, 13814));
        Assert.That((decision.Outcome, decision.MasterId, decision.Margin), Is.EqualTo((MatchOutcome.Matched, (long?)13814, 1.0)));
    }

    [Test]
    public void A_lead_just_under_the_margin_needs_review_and_just_over_it_matches()
    {
        // Equal title and artist; only the year differs: 1.0 (equal) vs 0.5 (reissue) is a lead of 0.05.
        var tags = new AlbumTags("Peter Gabriel", null, "Peter Gabriel", 1980);
        var justOver = Decide(tags, Master(1, "Peter Gabriel", "Peter Gabriel", 1980), Master(2, "Peter Gabriel", "Peter Gabriel", 1977));
        Assert.That((justOver.Outcome, justOver.Margin), Is.EqualTo((MatchOutcome.Matched, 0.05)));

        var adjacent = Decide(tags, Master(1, "Peter Gabriel", "Peter Gabriel", 1980), Master(2, "Peter Gabriel", "Peter Gabriel", 1979));
        Assert.That((adjacent.Outcome, adjacent.Reason), Is.EqualTo((MatchOutcome.NeedsReview, MatchReason.Ambiguous)));
    }

    [Test]
    public void A_plausible_but_weak_candidate_needs_review()
    {
        var decision = Decide(new AlbumTags("Tears For Fears", null, "Big Chair", 1986), Master(1, "Tears For Fears", "Songs From The Big Chair", 1985));
        Assert.That((decision.Outcome, decision.Reason), Is.EqualTo((MatchOutcome.NeedsReview, MatchReason.BelowThreshold)));
        Assert.That(decision.Best?.Candidate.Id, Is.EqualTo(1));
    }

    [Test]
    public void An_album_titled_without_the_artists_name_that_Discogs_puts_in_its_title_is_matched()
    {
        var decision = Decide(new AlbumTags("Simon & Garfunkel", null, "Greatest Hits", 1972), Master(1, "Simon & Garfunkel", "Simon And Garfunkel's Greatest Hits", 1972));
        Assert.That((decision.Outcome, decision.MasterId), Is.EqualTo((MatchOutcome.Matched, (long?)1)));
    }

    [TestCase("Ziggy Stardust", "The Rise And Fall Of Ziggy Stardust And The Spiders From Mars")]
    [TestCase("Car", "Peter Gabriel")]
    public void A_near_miss_with_exact_artist_and_year_goes_to_review_with_its_reason(string title, string discogsTitle)
    {
        var artist = discogsTitle == "Peter Gabriel" ? "Peter Gabriel" : "David Bowie";
        var decision = Decide(new AlbumTags(artist, null, title, 1977), Master(1, artist, discogsTitle, 1977));
        Assert.That((decision.Outcome, decision.Reason, decision.Best?.Candidate.Id), Is.EqualTo((MatchOutcome.NeedsReview, MatchReason.NearMiss, (long?)1)));
        Assert.That(decision.Explanation, Does.Contain("Artist and year agree exactly"));
    }

    [Test]
    public void A_weak_title_with_another_year_is_still_no_match() =>
        Assert.That(Decide(new AlbumTags("David Bowie", null, "Ziggy Stardust", 1990), Master(1, "David Bowie", "The Rise And Fall Of Ziggy Stardust And The Spiders From Mars", 1972)).Outcome, Is.EqualTo(MatchOutcome.NoMatch));

    [Test]
    public void Nothing_found_is_no_match_with_its_reason() =>
        Assert.That(Decide(new AlbumTags("Nobody", null, "Nothing", 2000)).Reason, Is.EqualTo(MatchReason.NoCandidates));

    [Test]
    public void The_decision_serialises_to_JSON_with_names_not_numbers()
    {
        var decision = Decide(new AlbumTags("Nirvana", null, "Nevermind", 1991), Master(13814, "Nirvana", "Nevermind", 1991));
        var json = System.Text.Json.JsonSerializer.Serialize(decision);
        Assert.That(json, Does.Contain("\"Outcome\":\"Matched\"").And.Contain("\"Field\":\"Title\"").And.Contain("\"Reason\":\"Confident\""));
    }
}
