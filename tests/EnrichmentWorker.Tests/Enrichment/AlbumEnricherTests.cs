using EnrichmentWorker.Discogs;
using EnrichmentWorker.Discogs.Models;
using EnrichmentWorker.Enrichment;
using EnrichmentWorker.Library;
using EnrichmentWorker.Matching;
using EnrichmentWorker.Tests.Simulator;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Tests.Enrichment;

/// <summary>The enricher against the Discogs simulator through the real client, without the budget (the rate limit is off).</summary>
public sealed class AlbumEnricherTests : SharedSimulatorFixture
{
    [Test]
    public async Task Full_mode_fetches_the_main_release_of_an_album_decided_by_a_master_search()
    {
        // A self-titled album tagged by its nickname: the release search finds nothing, the artist's masters decide the
        // album, and no release is in hand.
        var album = new AlbumToEnrich(1, new AlbumTags("Weezer", null, "Weezer (Blue Album)", 1994), null);

        var result = await Enricher().EnrichAsync(album, EnrichmentMode.Full, overwriteManual: false, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((result.Status, result.MasterId), Is.EqualTo((EnrichmentWorker.Matching.MatchOutcome.Matched, (long?)35266)));
            Assert.That(result.Release, Is.Not.Null, "full mode promises release details");
            Assert.That(result.ReleaseId, Is.EqualTo(result.Release?.Id));
            Assert.That(result.Release?.MasterId, Is.EqualTo(35266));
        });
    }

    [Test]
    public async Task Genres_mode_spends_no_request_on_a_release()
    {
        var album = new AlbumToEnrich(1, new AlbumTags("Simon and Garfunkel", null, "Bridge Over Troubled Water", 1970), null);

        var result = await Enricher().EnrichAsync(album, EnrichmentMode.Genres, overwriteManual: false, CancellationToken.None);

        Assert.That((result.Status, result.Release, result.RequestsSpent), Is.EqualTo((EnrichmentWorker.Matching.MatchOutcome.Matched, (DiscogsRelease?)null, 1)));
    }

    private AlbumEnricher Enricher()
    {
        var options = Options.Create(new MatchingOptions());
        var resilience = new DiscogsResilience(Options.Create(new DiscogsOptions { BaseUrl = Server.BaseUrl }), TimeProvider.System, new RateLimitWaits(), NullLogger<DiscogsResilience>.Instance, new DiscogsConnectionStatus());
        var client = new DiscogsClient(Client, resilience);
        var matcher = new AlbumMatcher(new DiscogsCandidateSearch(client), new CandidateScorer(options), new MatchDecider(options), new EnrichmentWorker.Evaluation.MemoryArtistNames(), options);
        return new AlbumEnricher(matcher, client);
    }
}
