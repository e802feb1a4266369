using EnrichmentWorker.Discogs;
using EnrichmentWorker.Library;
using EnrichmentWorker.Matching;
using EnrichmentWorker.Tests.Simulator;
using EnrichmentWorker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Tests.Matching;

/// <summary>
/// Artists tagged by a name Discogs lists among their name variations, against the simulator (which serves the
/// recorded real /artists answers) through the real client, with the names kept in a real PostgreSQL table.
/// </summary>
public sealed class ArtistNameVariationTests : SharedSimulatorFixture
{
    [Test]
    public async Task The_simulator_serves_an_artists_name_variations_and_aliases_as_discogs_recorded_them()
    {
        var artist = await Client.GetJsonAsync("artists/10263");
        var recorded = SimulatorTestKit.Fixture("api", "artists", "artist-10263.json");

        Assert.That(artist["namevariations"]!.AsArray().Select(n => (string?)n), Is.EqualTo(recorded["namevariations"]!.AsArray().Select(n => (string?)n)));
        Assert.That(artist["aliases"]!.AsArray().Select(a => ((long)a!["id"]!, (string?)a["name"])), Is.EqualTo(recorded["aliases"]!.AsArray().Select(a => ((long)a!["id"]!, (string?)a["name"]))));
        Assert.That(artist["aliases"]![0]!.AsObject().Select(p => p.Key), Is.EquivalentTo(recorded["aliases"]![0]!.AsObject().Select(p => p.Key)));
    }

    [Test]
    public async Task An_artist_tagged_in_japanese_is_matched_and_its_names_survive_a_restart_so_the_next_album_asks_for_none()
    {
        await using var db = await TestDatabase.CreateAsync();

        var first = await Matcher(new DiscogsArtistNamesStore(db.DataSource)).MatchAsync(new AlbumTags("デヴィッド・ボウイ", null, "Hunky Dory", 1971), CancellationToken.None);
        Assert.That((first.Outcome, first.MasterId), Is.EqualTo((MatchOutcome.Matched, (long?)1718)));
        Assert.That(first.Queries.Select(q => q.Query), Does.Contain("/artists/10263"));

        // A new store on the same database: what the service would have after a restart.
        var before = Server.Requests.Snapshot().Count;
        var second = await Matcher(new DiscogsArtistNamesStore(db.DataSource)).MatchAsync(new AlbumTags("デビッド・ボウイ", null, "Low", 1977), CancellationToken.None);
        Assert.That((second.Outcome, second.MasterId), Is.EqualTo((MatchOutcome.Matched, (long?)22382)));
        Assert.That(Server.Requests.Snapshot().Skip(before).Select(r => r.PathAndQuery), Has.None.StartsWith("/artists/").And.None.StartsWith("/masters/"));
    }

    [Test]
    public async Task Another_artists_name_variation_is_not_enough()
    {
        await using var db = await TestDatabase.CreateAsync();

        // HammerFall's recorded name variation, on Nirvana's album of that year: Nirvana's names do not hold it.
        var decision = await Matcher(new DiscogsArtistNamesStore(db.DataSource)).MatchAsync(new AlbumTags("ハンマーフォール", null, "Nevermind", 1991), CancellationToken.None);
        Assert.That(decision.Outcome, Is.EqualTo(MatchOutcome.NoMatch));
    }

    private AlbumMatcher Matcher(IArtistNamesCache artistNames)
    {
        var options = Options.Create(new MatchingOptions());
        var resilience = new DiscogsResilience(Options.Create(new DiscogsOptions { BaseUrl = Server.BaseUrl }), TimeProvider.System, new RateLimitWaits(), NullLogger<DiscogsResilience>.Instance, new DiscogsConnectionStatus());
        var client = new DiscogsClient(Client, resilience);
        return new AlbumMatcher(new DiscogsCandidateSearch(client), new CandidateScorer(options), new MatchDecider(options), artistNames, options);
    }
}
