using EnrichmentWorker.Discogs;
using EnrichmentWorker.Dumps;
using EnrichmentWorker.Enrichment;
using EnrichmentWorker.Library;
using EnrichmentWorker.Matching;
using EnrichmentWorker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Tests.Dumps;

/// <summary>The local candidate source over the imported real samples: the API path's scorer and decider, no request.</summary>
public sealed class DumpMatchingTests
{
    private TestDatabase db = null!;

    [SetUp]
    public async Task SetUp() => db = await TestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDown() => await db.DisposeAsync();

    [Test]
    public async Task An_album_the_dump_holds_is_matched_from_it_with_the_deciders_explanation_and_no_request()
    {
        await ImportAsync(DumpSamples.Masters, DumpSamples.Artists);

        var decision = await Matcher().TryMatchAsync(new AlbumTags("Vince Watson", null, "Moments In Time (Remastered 2011)", 2002), CancellationToken.None);

        Assert.That(decision, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(decision!.Outcome, Is.EqualTo(MatchOutcome.Matched));
            Assert.That(decision.MasterId, Is.EqualTo(113));
            Assert.That(decision.Best!.Candidate.Genres, Is.EqualTo(new[] { "Electronic" }));
            Assert.That(decision.Best.Candidate.Styles, Is.EqualTo(new[] { "Techno", "Tech House" }));
            Assert.That(decision.Best.Candidate.MainReleaseId, Is.EqualTo(116925));
            Assert.That(decision.Explanation, Does.StartWith("Matched master 113 'Vince Watson - Moments In Time' with a score of 1.00"));
            Assert.That(decision.RequestsSpent, Is.Zero);
        });
    }

    [Test]
    public async Task A_name_variation_from_the_artists_dump_finds_the_artists_masters()
    {
        await ImportAsync(DumpSamples.Masters);
        var tags = new AlbumTags("Lalo & Bushwacka", null, "Love Story Remixed", null);
        var before = await Lookup().FindAsync(CandidateScorer.Prepare(tags), CancellationToken.None);
        await ImportAsync(DumpSamples.Artists);

        var after = await Lookup().FindAsync(CandidateScorer.Prepare(tags), CancellationToken.None);

        Assert.That(before!.Candidates.Select(c => c.Id), Does.Not.Contain(387840L), "without the artists dump the variation is unknown");
        Assert.That(after!.Candidates.Select(c => c.Id), Does.Contain(387840L));
    }

    [Test]
    public async Task An_album_with_candidates_by_its_artist_but_none_good_enough_is_decided_by_the_dump_when_every_album_by_the_artist_was_read()
    {
        await ImportAsync(DumpSamples.Masters);

        var decision = await Matcher().TryMatchAsync(new AlbumTags("Max Duley", null, "Songs Nobody Recorded", 2002), CancellationToken.None);

        Assert.That(decision, Is.Not.Null, "the dump is Discogs as of its month: the API's search has nothing more by this artist");
        Assert.Multiple(() =>
        {
            Assert.That(decision!.Outcome, Is.Not.EqualTo(MatchOutcome.Matched));
            Assert.That(decision.Candidates, Is.Not.Empty);
            Assert.That(decision.RequestsSpent, Is.Zero);
        });
    }

    [Test]
    public async Task An_album_whose_artist_has_more_albums_than_a_lookup_reads_is_left_to_the_api_path_unless_the_fallback_is_off()
    {
        await ImportAsync(DumpSamples.Masters);
        var tags = new AlbumTags("Max Duley", null, "Songs Nobody Recorded", 2002);
        var cutOff = new DumpOptions { LookupLimit = 10 };

        var found = await Lookup(cutOff).FindAsync(CandidateScorer.Prepare(tags), CancellationToken.None);
        var withFallback = await Matcher(cutOff).TryMatchAsync(tags, CancellationToken.None);
        var withoutFallback = await Matcher(new DumpOptions { LookupLimit = 10, ApiFallback = false }).TryMatchAsync(tags, CancellationToken.None);

        Assert.That(found!.Complete, Is.False, "Max Duley has 14 masters in the sample, the lookup read 10");
        Assert.That(withFallback, Is.Null);
        Assert.That(withoutFallback!.Outcome, Is.Not.EqualTo(MatchOutcome.Matched));
    }

    [Test]
    public async Task A_title_alone_is_read_as_far_as_the_lookup_limit_so_a_title_shared_by_fewer_masters_is_decided_by_the_dump()
    {
        await ImportAsync(DumpSamples.Masters);
        var tags = new AlbumTags("Qzxv Imaginary Orchestra", null, "Sakura", 2010);

        var readWhole = await Matcher(new DumpOptions { LookupLimit = 4 }).TryMatchAsync(tags, CancellationToken.None);
        var cutOff = await Matcher(new DumpOptions { LookupLimit = 2 }).TryMatchAsync(tags, CancellationToken.None);

        Assert.That(readWhole, Is.Not.Null, "two masters are titled 'Sakura' in the sample; a limit of 4 reads them both (a quarter of it would not)");
        Assert.Multiple(() =>
        {
            Assert.That(readWhole!.Candidates, Has.Count.EqualTo(2));
            Assert.That(readWhole.Outcome, Is.EqualTo(MatchOutcome.NoMatch));
            Assert.That(cutOff, Is.Null, "a limit of 2 may have left a third 'Sakura' unread: the API's search may know it");
        });
    }

    [Test]
    public async Task An_album_newer_than_the_dump_with_only_other_albums_by_its_artist_is_left_to_the_api_path()
    {
        await ImportAsync(DumpSamples.Masters);

        var decision = await Matcher().TryMatchAsync(new AlbumTags("Max Duley", null, "Songs Nobody Recorded", 2021), CancellationToken.None);

        Assert.That(decision, Is.Null, "the 2020-08-06 dump cannot know a 2021 album: the API may");
    }

    [Test]
    public async Task An_album_the_dump_has_nothing_for_is_no_match_from_the_dump_unless_it_is_newer_than_the_dump()
    {
        await ImportAsync(DumpSamples.Masters);

        var older = await Matcher().TryMatchAsync(new AlbumTags("Qzxv Imaginary Orchestra", null, "Songs Nobody Recorded", 2011), CancellationToken.None);
        var newer = await Matcher().TryMatchAsync(new AlbumTags("Qzxv Imaginary Orchestra", null, "Songs Nobody Recorded", 2021), CancellationToken.None);

        Assert.That(older!.Reason, Is.EqualTo(MatchReason.NoCandidates));
        Assert.That(newer, Is.Null, "the 2020-08-06 dump cannot know a 2021 album: the API may");
    }

    [Test]
    public async Task Without_a_masters_dump_the_local_source_steps_aside()
    {
        var decision = await Matcher(new DumpOptions { ApiFallback = false }).TryMatchAsync(new AlbumTags("Vince Watson", null, "Moments In Time", 2002), CancellationToken.None);

        Assert.That(decision, Is.Null);
    }

    [Test]
    public async Task A_release_from_the_dump_carries_labels_formats_credits_tracklist_and_country_in_the_clients_model()
    {
        await ImportAsync(DumpSamples.Releases);

        var release = await new DumpReleaseReader(db.DataSource).GetAsync(1, CancellationToken.None);

        Assert.That(release, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(release!.Title, Is.EqualTo("Stockholm"));
            Assert.That(release.MasterId, Is.EqualTo(1660109));
            Assert.That(release.Labels!.Select(l => (l.Id, l.Name, l.Catno)), Is.EqualTo(new[] { (5L, "Svek", "SK032") }));
            Assert.That(release.Formats!.Single().Name, Is.EqualTo("Vinyl"));
            Assert.That(release.Formats!.Single().Descriptions, Is.EqualTo(new[] { "12\"", "33 ⅓ RPM" }));
            Assert.That(release.Extraartists!.Single().Role, Is.EqualTo("Music By [All Tracks By]"));
            Assert.That(release.Tracklist!.Select(t => t.Title).First(), Is.EqualTo("Östermalm"));
            Assert.That(release.Tracklist, Has.Count.EqualTo(6));
            Assert.That(release.Country, Is.EqualTo("Sweden"));
            Assert.That(release.Released, Is.EqualTo("1999-03-00"));
            Assert.That(release.Identifiers, Has.Count.EqualTo(5));
            Assert.That(release.Community, Is.Null, "the dumps hold no community figures");
        });
    }

    [TestCase(EnrichmentMode.Full)]
    [TestCase(EnrichmentMode.Genres)]
    public async Task An_album_the_dump_decides_takes_its_release_from_the_dump_in_full_mode_marked_so_its_figures_are_fetched_later(EnrichmentMode mode)
    {
        await ImportAsync(DumpSamples.Masters, DumpSamples.Releases);
        // Nothing may reach Discogs: the client points at a closed port, so a request would fail the test.
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/") };
        var client = new DiscogsClient(http, new DiscogsResilience(Options.Create(new DiscogsOptions { BaseUrl = new Uri("http://127.0.0.1:9"), MaxRetries = 0 }),
            TimeProvider.System, new RateLimitWaits(), NullLogger<DiscogsResilience>.Instance, new DiscogsConnectionStatus()));
        var matching = Options.Create(new MatchingOptions());
        var apiPath = new AlbumMatcher(new DiscogsCandidateSearch(client), new CandidateScorer(matching), new MatchDecider(matching), new EnrichmentWorker.Evaluation.MemoryArtistNames(), matching);
        var enricher = new AlbumEnricher(apiPath, client, Matcher());

        var result = await enricher.EnrichAsync(new AlbumToEnrich(1, new AlbumTags("Lance Nuance", null, "Leaving The City EP", 2000), null), mode, overwriteManual: false, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((result.Status, result.MatchSource, result.ReleaseId, result.RequestsSpent), Is.EqualTo((MatchOutcome.Matched, MatchSource.Dump, (long?)15, 0)));
            Assert.That(result.Release?.Id, Is.EqualTo(mode == EnrichmentMode.Full ? 15 : (long?)null), "full mode takes the release from the releases dump");
            Assert.That(result.ReleaseFromDump, Is.EqualTo(mode == EnrichmentMode.Full), "so the writer keeps stored figures and the figures job asks the API");
        });
    }

    [Test]
    public async Task Sub_tracks_of_a_dump_release_follow_their_index_track()
    {
        var withSubTracks = DumpSamples.ReadAll(DumpSamples.Releases, DumpRecordParser.Release).First(r => r.Tracklist.Any(t => t.SubTracks.Count > 0));
        await ImportAsync(DumpSamples.Releases);

        var release = await new DumpReleaseReader(db.DataSource).GetAsync(withSubTracks.Id, CancellationToken.None);

        var index = withSubTracks.Tracklist.First(t => t.SubTracks.Count > 0);
        var at = release!.Tracklist!.ToList().FindIndex(t => t.Type == "index");
        Assert.That(at, Is.GreaterThanOrEqualTo(0));
        Assert.That(release.Tracklist!.Skip(at + 1).Take(index.SubTracks.Count).Select(t => t.Title), Is.EqualTo(index.SubTracks.Select(t => t.Title)));
    }

    private async Task ImportAsync(params string[] paths)
    {
        var importer = new DumpImporter(db.DataSource, TimeProvider.System, Options.Create(new DumpOptions()), NullLogger<DumpImporter>.Instance);
        foreach (var path in paths)
        {
            await importer.ImportAsync(DumpFile.Parse(path), false, CancellationToken.None);
        }
    }

    private DumpCandidateLookup Lookup(DumpOptions? options = null) => new(db.DataSource, Options.Create(options ?? new DumpOptions()));

    private DumpMatcher Matcher(DumpOptions? options = null)
    {
        var matching = Options.Create(new MatchingOptions());
        var dumpOptions = Options.Create(options ?? new DumpOptions());
        return new DumpMatcher(new DumpCandidateLookup(db.DataSource, dumpOptions), new DumpReleaseReader(db.DataSource), new CandidateScorer(matching), new MatchDecider(matching), dumpOptions);
    }
}
