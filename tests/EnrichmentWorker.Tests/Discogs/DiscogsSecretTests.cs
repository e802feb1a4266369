using EnrichmentWorker.Discogs;
using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Discogs;

/// <summary>The token never reaches a log line or an exception text, whatever happens.</summary>
public sealed class DiscogsSecretTests
{
    private const string ValidToken = "tok3nVALIDsecret0123456789abcdef";
    private const string RevokedToken = "tok3nREVOKEDsecret987654321fedcba";

    [Test]
    public async Task The_token_appears_in_no_log_line_and_no_exception_during_a_run_of_successes_and_failures()
    {
        await using var simulator = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions { ValidTokens = new HashSet<string> { ValidToken } });
        await using var db = await TestDatabase.CreateAsync();
        var settings = DiscogsServices.FastSettings(ValidToken, simulator.BaseUrl.ToString());
        settings["Discogs:CircuitBreakerMinimumThroughput"] = "1000"; // every failure class must reach the wire here
        await using var good = DiscogsServices.Create(db.DataSource, settings);
        await using var revoked = DiscogsServices.Create(db.DataSource, DiscogsServices.FastSettings(RevokedToken, simulator.BaseUrl.ToString()));
        var album = simulator.Catalog.Albums.First(a => a.Kind == CatalogAlbumKind.Master);
        var seen = new List<string>();

        async Task Capture(Func<Task> call)
        {
            try
            {
                await call();
            }
            catch (Exception ex)
            {
                seen.Add(ex.ToString());
            }
        }

        await Capture(() => good.Get<DiscogsIdentityMonitor>().CheckOnceAsync(CancellationToken.None));
        await Capture(() => good.Client.SearchAsync(new DiscogsSearchQuery { Type = "master", Artist = album.Artist, ReleaseTitle = album.Title }, CancellationToken.None));
        await Capture(() => good.Client.GetReleaseAsync(album.MainReleaseId!.Value, CancellationToken.None));
        await Capture(() => good.Client.GetReleaseAsync(999_999_999, CancellationToken.None));
        simulator.Faults.Add(FaultKind.ServerError, count: 10);
        await Capture(() => good.Client.GetMasterAsync(album.MasterId!.Value, CancellationToken.None));
        simulator.Faults.Clear();
        simulator.Faults.Add(FaultKind.MalformedJson);
        simulator.Faults.Add(FaultKind.ConnectionReset);
        await Capture(() => good.Client.GetMasterAsync(album.MasterId!.Value, CancellationToken.None));
        simulator.Faults.Add(FaultKind.Unauthorized);
        await Capture(() => good.Client.GetReleaseAsync(album.MainReleaseId!.Value, CancellationToken.None));
        simulator.Faults.Add(FaultKind.RateLimited);
        await Capture(() => good.Client.GetReleaseAsync(album.MainReleaseId!.Value, CancellationToken.None));
        await Capture(() => revoked.Get<DiscogsIdentityMonitor>().CheckOnceAsync(CancellationToken.None));
        await Capture(() => revoked.Client.SearchAsync(new DiscogsSearchQuery { Query = album.Title }, CancellationToken.None));

        var everything = string.Join(
            Environment.NewLine,
            [good.Logs.AllText, revoked.Logs.AllText, .. seen, good.Status.Current.ToString(), revoked.Status.Current.ToString(),
             (await good.Budget.GetSnapshotAsync(CancellationToken.None)).ToString()]);

        // The run did what it should for this test to mean something: failures were raised and logged, headers were logged.
        Assert.That(seen, Has.Some.Contains(nameof(DiscogsTransientException)).And.Some.Contains(nameof(DiscogsUnauthorizedException)).And.Some.Contains(nameof(DiscogsRateLimitedException)));
        Assert.That(everything, Does.Contain("Sending HTTP request"), "HttpClient's own trace logging ran");
        Assert.That(everything, Does.Not.Contain("Discogs token="), "the Authorization header is added below every logger");
        Assert.That(everything, Does.Not.Contain(ValidToken));
        Assert.That(everything, Does.Not.Contain(RevokedToken));
        Assert.That(everything, Does.Not.Contain(ValidToken[..12]), "not even a prefix");
    }

    [Test]
    public void A_token_with_invalid_characters_is_refused_without_echoing_it()
    {
        var options = new DiscogsOptions { Token = "abc def\nsecretpart" };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].ErrorMessage, Does.Not.Contain("secretpart").And.Contain("https://www.discogs.com/settings/developers"));
    }
}
