using EnrichmentWorker.Evaluation;
using EnrichmentWorker.Library;
using EnrichmentWorker.Matching;
using static EnrichmentWorker.Tests.Matching.MatchTestData;

namespace EnrichmentWorker.Tests.Matching;

public sealed class AlbumMatcherTests
{
    private static AlbumMatcher Matcher(ScriptedSearch search, IArtistNamesCache? artistNames = null) =>
        new(search, Scorer, Decider, artistNames ?? new MemoryArtistNames(), Options);

    [Test]
    public async Task A_release_search_decides_an_album_and_names_its_master_in_one_request()
    {
        var search = new ScriptedSearch
        {
            Masters = [Master(13814, "Nirvana", "Nevermind", 1991), Master(2, "Nirvana", "Bleach", 1989)],
            Releases = [Release(5, "Nirvana", "Nevermind", 2011, 13814), Release(6, "Nirvana", "Bleach", 1989, 2)],
        };
        var decision = await Matcher(search).MatchAsync(new AlbumTags("Nirvana", null, "Nevermind (Remastered)", 2011), CancellationToken.None);
        Assert.That((decision.Outcome, decision.MasterId, decision.RequestsSpent, search.Calls.Count), Is.EqualTo((MatchOutcome.Matched, (long?)13814, 1, 1)));
        Assert.That(search.Calls[0], Is.EqualTo("search type=Release artist=Nirvana title=Nevermind"));
    }

    [Test]
    public async Task An_album_without_a_master_is_found_by_the_release_search_in_one_request()
    {
        var search = new ScriptedSearch { Releases = [Release(8297331, "José Feliciano", "Cielito Lindo", 1989)] };
        var decision = await Matcher(search).MatchAsync(new AlbumTags("Jose Feliciano", null, "Cielito Lindo", 1989), CancellationToken.None);
        Assert.That((decision.Outcome, decision.ReleaseId, decision.MasterId, decision.RequestsSpent), Is.EqualTo((MatchOutcome.Matched, (long?)8297331, (long?)null, 1)));
        Assert.That(decision.Queries.Select(q => q.Step), Is.EqualTo(new[] { QueryStep.ReleaseSearch }));
    }

    [Test]
    public async Task A_transliterated_artist_is_searched_again_without_the_transliterated_words()
    {
        var search = new ScriptedSearch { Releases = [Release(380, "Motörhead", "Ace Of Spades", 1980, 38512)] };
        var decision = await Matcher(search).MatchAsync(new AlbumTags("Motoerhead", null, "Ace Of Spades", 1980), CancellationToken.None);
        Assert.That((decision.Outcome, decision.MasterId), Is.EqualTo((MatchOutcome.Matched, (long?)38512)));
        Assert.That(decision.Queries.Select(q => q.Step), Is.EqualTo(new[] { QueryStep.ReleaseSearch, QueryStep.TransliterationSearch }));
    }

    [Test]
    public async Task A_self_titled_album_tagged_by_its_nickname_is_found_among_the_artists_albums()
    {
        var search = new ScriptedSearch { Masters = [Master(35266, "Weezer", "Weezer", 1994), Master(35285, "Weezer", "Weezer", 2001)] };
        var decision = await Matcher(search).MatchAsync(new AlbumTags("Weezer", null, "Weezer (Blue Album)", 1994), CancellationToken.None);
        Assert.That((decision.Outcome, decision.MasterId), Is.EqualTo((MatchOutcome.Matched, (long?)35266)));
        Assert.That(decision.Queries.Select(q => q.Step), Is.EqualTo(new[] { QueryStep.ReleaseSearch, QueryStep.ArtistOnlySearch }));
    }

    [Test]
    public async Task An_album_found_nowhere_by_a_plainly_spelled_artist_costs_one_request()
    {
        var search = new ScriptedSearch();
        var decision = await Matcher(search).MatchAsync(new AlbumTags("Radiohead", null, "Midnight Harbour Of Paper Lanterns", 2030), CancellationToken.None);
        Assert.That((decision.Outcome, decision.Reason, decision.RequestsSpent), Is.EqualTo((MatchOutcome.NoMatch, MatchReason.NoCandidates, 1)));
    }

    [Test]
    public async Task The_title_alone_is_tried_last_and_the_artist_gate_still_applies()
    {
        // The search engine cannot find "Sinatra, Frank"; the title alone finds the album, and another artist's one.
        var search = new ScriptedSearch
        {
            Masters = [Master(144114, "Frank Sinatra", "Songs For Swingin' Lovers!", 1956), Master(9, "Somebody Else", "Songs For Swingin' Lovers!", 1999)],
            ArtistFindable = false,
        };
        var decision = await Matcher(search).MatchAsync(new AlbumTags("Sinatra, Frank", null, "Songs For Swingin' Lovers!", 1956), CancellationToken.None);
        Assert.That((decision.Outcome, decision.MasterId, decision.RequestsSpent), Is.EqualTo((MatchOutcome.Matched, (long?)144114, 2)));
        Assert.That(decision.Queries[^1].Step, Is.EqualTo(QueryStep.TitleOnlySearch));
        Assert.That(decision.Candidates.Single(c => c.Candidate.Id == 9).PassedArtistGate, Is.False);
    }

    [Test]
    public async Task An_artist_tagged_in_another_script_is_matched_through_its_discogs_name_variations_learned_once()
    {
        // The recorded /artists/10263 lists "デヴィッド・ボウイ" among David Bowie's name variations.
        var bowie = new ArtistNames(10263, "David Bowie", ["Bowie", "デヴィッド・ボウイ", "David Robert Jones"]);
        var search = new ScriptedSearch
        {
            Masters = [Master(1718, "David Bowie", "Hunky Dory", 1971) with { ArtistIds = [10263] }, Master(2162, "David Bowie", "Aladdin Sane", 1973) with { ArtistIds = [10263] }],
            Artists = [bowie],
        };
        var cache = new MemoryArtistNames();

        var first = await Matcher(search, cache).MatchAsync(new AlbumTags("デヴィッド・ボウイ", null, "Hunky Dory", 1971), CancellationToken.None);
        Assert.That((first.Outcome, first.MasterId), Is.EqualTo((MatchOutcome.Matched, (long?)1718)));
        Assert.That(first.Queries.Select(q => q.Step), Is.EqualTo(new[] { QueryStep.ReleaseSearch, QueryStep.TitleOnlySearch, QueryStep.ArtistIdLookup, QueryStep.ArtistNamesLookup }));
        Assert.That(first.Explanation, Does.EndWith("Discogs lists 'デヴィッド・ボウイ' among the names of David Bowie."));

        search.Calls.Clear();
        var second = await Matcher(search, cache).MatchAsync(new AlbumTags("デヴィッド・ボウイ", null, "Aladdin Sane", 1973), CancellationToken.None);
        Assert.That((second.Outcome, second.MasterId), Is.EqualTo((MatchOutcome.Matched, (long?)2162)));
        Assert.That(search.Calls, Has.None.StartsWith("artist ").And.None.StartsWith("master "), "the artist's names were learned on the first album");
    }

    [Test]
    public async Task An_artist_that_is_not_among_the_candidates_other_names_is_still_rejected()
    {
        var search = new ScriptedSearch
        {
            Masters = [Master(1718, "David Bowie", "Hunky Dory", 1971) with { ArtistIds = [10263] }],
            Artists = [new ArtistNames(10263, "David Bowie", ["Bowie", "デヴィッド・ボウイ"])],
        };
        var decision = await Matcher(search).MatchAsync(new AlbumTags("エミネム", null, "Hunky Dory", 1971), CancellationToken.None);
        Assert.That((decision.Outcome, decision.Reason), Is.EqualTo((MatchOutcome.NoMatch, MatchReason.ArtistMismatch)));
    }

    [Test]
    public async Task Ids_from_the_tags_are_used_first()
    {
        var search = new ScriptedSearch { Releases = [Release(5, "Nirvana", "Nevermind", 1991, 13814)] };
        var decision = await Matcher(search).MatchAsync(new AlbumTags("Nirvana", null, "Nevermind", 1991, DiscogsReleaseId: 5), CancellationToken.None);
        Assert.That((decision.Outcome, decision.Reason, decision.ReleaseId, decision.MasterId), Is.EqualTo((MatchOutcome.Matched, MatchReason.IdFromTags, (long?)5, (long?)13814)));
        Assert.That(search.Calls, Is.EqualTo(new[] { "release 5" }));
    }

    [Test]
    public async Task A_master_id_from_the_tags_is_fetched_not_searched()
    {
        var search = new ScriptedSearch { Masters = [Master(13814, "Nirvana", "Nevermind", 1991)] };
        var decision = await Matcher(search).MatchAsync(new AlbumTags("Nirvana", null, "Nevermind", 1991, DiscogsMasterId: 13814), CancellationToken.None);
        Assert.That((decision.Reason, decision.MasterId), Is.EqualTo((MatchReason.IdFromTags, (long?)13814)));
        Assert.That(search.Calls, Is.EqualTo(new[] { "master 13814" }));
    }

    [Test]
    public async Task A_tagged_release_that_404s_falls_back_to_search_and_never_fails_the_album()
    {
        var search = new ScriptedSearch { Releases = [Release(5, "Nirvana", "Nevermind", 1991, 13814)] };
        var decision = await Matcher(search).MatchAsync(new AlbumTags("Nirvana", null, "Nevermind", 1991, DiscogsReleaseId: 404), CancellationToken.None);
        Assert.That((decision.Outcome, decision.MasterId, decision.RequestsSpent), Is.EqualTo((MatchOutcome.Matched, (long?)13814, 2)));
        Assert.That(search.Calls[0], Is.EqualTo("release 404"));
    }

    [Test]
    public async Task A_barcode_from_the_tags_is_searched_before_artist_and_title()
    {
        var search = new ScriptedSearch { Releases = [Release(5, "Nirvana", "Nevermind", 1991, 13814) with { Barcodes = ["720642442524"] }] };
        var decision = await Matcher(search).MatchAsync(new AlbumTags("Nirvana", null, "Nevermind", 1991, Barcode: "720642442524"), CancellationToken.None);
        Assert.That((decision.MasterId, decision.RequestsSpent), Is.EqualTo(((long?)13814, 1)));
        Assert.That(search.Calls, Is.EqualTo(new[] { "search type=Release barcode=720642442524" }));
    }

    [Test]
    public async Task No_album_costs_more_than_four_requests()
    {
        // Everything fails: a 404ing release id, a 404ing master id, a barcode nobody has, an unsearchable artist.
        var search = new ScriptedSearch { ArtistFindable = false };
        var decision = await Matcher(search).MatchAsync(
            new AlbumTags("Sinatra, Frank", null, "Nothing Here", 1956, Barcode: "0000", DiscogsReleaseId: 404, DiscogsMasterId: 404),
            CancellationToken.None);
        Assert.That(decision.RequestsSpent, Is.EqualTo(AlbumMatcher.MaxRequests));
        Assert.That(search.Calls, Has.Count.EqualTo(AlbumMatcher.MaxRequests));
    }

    [Test]
    public async Task Two_albums_too_close_to_call_stop_the_plan_once_their_masters_were_asked_for()
    {
        // Release hits carry their pressing's year; only the masters' original years could have told the two apart.
        var search = new ScriptedSearch
        {
            Masters = [Master(35266, "Weezer", "Weezer", 1994), Master(35285, "Weezer", "Weezer", 2001)],
            Releases = [Release(1, "Weezer", "Weezer", 1994, 35266), Release(2, "Weezer", "Weezer", 2001, 35285)],
        };
        var decision = await Matcher(search).MatchAsync(new AlbumTags("Weezer", null, "Weezer", null), CancellationToken.None);
        Assert.That((decision.Outcome, decision.RequestsSpent), Is.EqualTo((MatchOutcome.NeedsReview, 2)));
        Assert.That(decision.Queries.Select(q => q.Step), Is.EqualTo(new[] { QueryStep.ReleaseSearch, QueryStep.MasterSearch }));
    }

    [Test]
    public async Task Release_hits_of_one_title_by_two_albums_are_told_apart_by_their_masters_years()
    {
        var search = new ScriptedSearch
        {
            Masters = [Master(35266, "Weezer", "Weezer", 1994), Master(35285, "Weezer", "Weezer", 2001)],
            Releases = [Release(1, "Weezer", "Weezer", 2016, 35266), Release(2, "Weezer", "Weezer", 2016, 35285)],
        };
        var decision = await Matcher(search).MatchAsync(new AlbumTags("Weezer", null, "Weezer", 2001), CancellationToken.None);
        Assert.That((decision.Outcome, decision.MasterId, decision.RequestsSpent), Is.EqualTo((MatchOutcome.Matched, (long?)35285, 2)));
    }

    [Test]
    public async Task The_looser_query_is_not_asked_when_its_words_are_the_fielded_ones()
    {
        var search = new ScriptedSearch();
        var decision = await Matcher(search).MatchAsync(new AlbumTags("Patti Page", null, "Live at Carnegie Hall: The 50th Anniversary Concert", 1997), CancellationToken.None);
        Assert.That(decision.Queries.Select(q => q.Step), Is.EqualTo(new[] { QueryStep.ReleaseSearch }));
    }

    [TestCase("REM", "Automatic For The People", true)]
    [TestCase("BB King", "Live At The Apollo", true)]
    [TestCase("Taylor Swift", "Fearless (Taylor's Version)", false)]
    [TestCase("Jose Feliciano", "Cielito Lindo", false)]
    [TestCase("Simon and Garfunkel", "Bridge Over Troubled Water", false)]
    public void The_looser_query_differs_from_the_fielded_one_where_a_search_engine_reads_words_differently(string artist, string title, bool differs)
    {
        var fielded = AlbumMatcher.FieldQuery(artist, dropLeadingThe: true) + " " + AlbumMatcher.FieldQuery(title, dropLeadingThe: false);
        Assert.That(!AlbumMatcher.SearchWords(fielded).SetEquals(AlbumMatcher.SearchWords(AlbumMatcher.LooseQuery(artist, title))), Is.EqualTo(differs));
    }

    /// <summary>
    /// A small Discogs stand-in: fielded searches need every artist and title word, q needs every word in artist or
    /// title; ids not held answer null (404). Records each call, one per request.
    /// </summary>
    private sealed class ScriptedSearch : IDiscogsSearch
    {
        public List<MatchCandidate> Masters { get; init; } = [];

        public List<MatchCandidate> Releases { get; init; } = [];

        public List<ArtistNames> Artists { get; init; } = [];

        /// <summary>False: searches naming the artist find nothing (an artist spelled unlike Discogs).</summary>
        public bool ArtistFindable { get; init; } = true;

        public List<string> Calls { get; } = [];

        public Task<IReadOnlyList<MatchCandidate>> SearchAsync(CandidateSearch search, CancellationToken cancellationToken)
        {
            var described = "search type=" + search.Type
                + (search.Barcode is null ? string.Empty : " barcode=" + search.Barcode)
                + (search.Artist is null ? string.Empty : " artist=" + search.Artist)
                + (search.ReleaseTitle is null ? string.Empty : " title=" + search.ReleaseTitle)
                + (search.Query is null ? string.Empty : " q=" + search.Query);
            Calls.Add(described);
            IEnumerable<MatchCandidate> pool = search.Type switch
            {
                CandidateKind.Master => Masters,
                CandidateKind.Release => Releases,
                _ => [.. Masters, .. Releases],
            };
            if (search.Barcode is not null)
            {
                return Task.FromResult<IReadOnlyList<MatchCandidate>>([.. pool.Where(c => c.Barcodes.Contains(search.Barcode))]);
            }

            var hits = pool.Where(c =>
            {
                var artistWords = Words(string.Join(' ', c.Artists));
                var titleWords = Words(c.Title);
                var namesArtist = Words(search.Artist).Length > 0 || Words(search.Query).Any(artistWords.Contains);
                return (ArtistFindable || !namesArtist)
                    && Words(search.Artist).All(artistWords.Contains)
                    && Words(search.ReleaseTitle).All(titleWords.Contains)
                    && Words(search.Query).All(w => artistWords.Contains(w) || titleWords.Contains(w));
            });
            // Search hits carry no artist ids; only fetched entities do.
            return Task.FromResult<IReadOnlyList<MatchCandidate>>([.. hits.Select(static c => c with { ArtistIds = [] })]);
        }

        public Task<MatchCandidate?> GetReleaseAsync(long releaseId, CancellationToken cancellationToken)
        {
            Calls.Add("release " + releaseId);
            return Task.FromResult(Releases.FirstOrDefault(r => r.Id == releaseId));
        }

        public Task<MatchCandidate?> GetMasterAsync(long masterId, CancellationToken cancellationToken)
        {
            Calls.Add("master " + masterId);
            return Task.FromResult(Masters.FirstOrDefault(m => m.Id == masterId));
        }

        public Task<ArtistNames?> GetArtistNamesAsync(long artistId, CancellationToken cancellationToken)
        {
            Calls.Add("artist " + artistId);
            return Task.FromResult(Artists.FirstOrDefault(a => a.ArtistId == artistId));
        }

        private static string[] Words(string? text) => TextNormalizer.Normalize(text).Tokens.ToArray();
    }
}
