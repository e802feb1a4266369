using EnrichmentWorker.Discogs;
using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.Matching;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Discogs;

/// <summary>The real client, handler chain and budget against the Discogs simulator on loopback.</summary>
public sealed class DiscogsSimulatorTests
{
    [Test]
    public async Task The_identity_check_reports_the_user_the_token_belongs_to()
    {
        await using var simulator = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions());
        await using var db = await TestDatabase.CreateAsync();
        await using var services = DiscogsServices.Create(db.DataSource, Settings(simulator));

        var connection = await services.Get<DiscogsIdentityMonitor>().CheckOnceAsync(CancellationToken.None);

        Assert.That(connection, Has.Property("State").EqualTo(DiscogsConnectionState.Connected).And.Property("Username").EqualTo("simulator_user"));
        Assert.That(services.Status.Current.State, Is.EqualTo(DiscogsConnectionState.Connected));
        Assert.That(services.Logs.AllText, Does.Contain("Connected to Discogs as simulator_user"));
        Assert.That(simulator.Requests.Snapshot().Single().UserAgent, Is.EqualTo(DiscogsOptions.UserAgent));
    }

    [Test]
    public async Task An_invalid_token_is_reported_as_invalid_and_a_missing_one_with_the_exact_instruction()
    {
        await using var simulator = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions());
        await using var db = await TestDatabase.CreateAsync();
        await using var invalid = DiscogsServices.Create(db.DataSource, Settings(simulator, token: "not-a-valid-token"));
        await using var missing = DiscogsServices.Create(db.DataSource, Settings(simulator, token: null));

        var rejected = await invalid.Get<DiscogsIdentityMonitor>().CheckOnceAsync(CancellationToken.None);
        var absent = await missing.Get<DiscogsIdentityMonitor>().CheckOnceAsync(CancellationToken.None);

        Assert.That(rejected.State, Is.EqualTo(DiscogsConnectionState.Invalid));
        Assert.That(rejected.Reason, Does.Contain("rejected the token"));
        Assert.That(absent.State, Is.EqualTo(DiscogsConnectionState.MissingToken));
        Assert.That(missing.Logs.Lines, Has.Some.Contains(
            "Discogs token required: set DISCOGS_TOKEN or Discogs:Token. Get one at https://www.discogs.com/settings/developers"));
        Assert.That(simulator.Requests.Count, Is.EqualTo(1), "a missing token is not worth a request");
    }

    [Test]
    public async Task Candidate_search_finds_a_catalogue_master_with_its_artist_split_from_the_title()
    {
        await using var simulator = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions());
        await using var db = await TestDatabase.CreateAsync();
        await using var services = DiscogsServices.Create(db.DataSource, Settings(simulator));
        var album = simulator.Catalog.Albums.First(a => a.Kind == CatalogAlbumKind.Master && a.Title.Contains(' ', StringComparison.Ordinal) && !a.Title.Contains(" - ", StringComparison.Ordinal));
        var search = services.Get<IDiscogsSearch>();

        var candidates = await search.SearchAsync(new CandidateSearch { Type = CandidateKind.Master, Artist = album.Artist, ReleaseTitle = album.Title }, CancellationToken.None);
        var master = await search.GetMasterAsync(album.MasterId!.Value, CancellationToken.None);
        var release = await search.GetReleaseAsync(album.MainReleaseId!.Value, CancellationToken.None);
        var hidden = await search.GetReleaseAsync(999_999_999, CancellationToken.None);

        var hit = candidates.FirstOrDefault(c => c.Id == album.MasterId);
        Assert.That(hit, Is.Not.Null, $"{album.Artist} - {album.Title} among {candidates.Count} candidates");
        Assert.That(hit!.Title, Is.EqualTo(album.Title));
        Assert.That(hit.Artists, Is.EqualTo(new[] { string.Join(" & ", album.DiscogsArtistNames) }).Or.EqualTo(album.DiscogsArtistNames));
        Assert.That(hit.Kind, Is.EqualTo(CandidateKind.Master));
        Assert.That(master, Has.Property("Id").EqualTo(album.MasterId).And.Property("MainReleaseId").EqualTo(album.MainReleaseId));
        Assert.That(master!.Artists, Is.EqualTo(album.DiscogsArtistNames));
        Assert.That(release, Has.Property("Kind").EqualTo(CandidateKind.Release).And.Property("MasterId").EqualTo(album.MasterId));
        Assert.That(hidden, Is.Null);
        Assert.That(simulator.Requests.Count, Is.EqualTo(4), "one request per call");
    }

    [Test]
    public async Task Simulated_faults_get_the_right_reaction()
    {
        await using var simulator = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions());
        await using var db = await TestDatabase.CreateAsync();
        await using var services = DiscogsServices.Create(db.DataSource, Settings(simulator));
        var releaseId = simulator.Catalog.Albums.First(a => a.Kind == CatalogAlbumKind.Master).MainReleaseId!.Value;

        simulator.Faults.Add(FaultKind.ServerError);
        simulator.Faults.Add(FaultKind.ConnectionReset);
        simulator.Faults.Add(FaultKind.TruncatedJson);
        simulator.Faults.Add(FaultKind.MalformedJson);
        Assert.That(await services.Client.GetReleaseAsync(releaseId, CancellationToken.None), Has.Property("Id").EqualTo(releaseId));
        var afterTransient = simulator.Requests.Count;

        simulator.Faults.Add(FaultKind.Unauthorized);
        Assert.ThrowsAsync<DiscogsUnauthorizedException>(() => services.Client.GetReleaseAsync(releaseId, CancellationToken.None));
        var afterUnauthorized = simulator.Requests.Count;

        simulator.Faults.Add(FaultKind.RateLimited);
        var limited = Assert.ThrowsAsync<DiscogsRateLimitedException>(() => services.Client.GetReleaseAsync(releaseId, CancellationToken.None));

        Assert.That(afterTransient, Is.EqualTo(5), "four faults, then the fifth attempt (MaxRetries = 4) succeeds");
        Assert.That(afterUnauthorized - afterTransient, Is.EqualTo(1), "no retry on 401");
        Assert.That(simulator.Requests.Count - afterUnauthorized, Is.EqualTo(1), "no retry on 429");
        Assert.That(limited!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(simulator.Options.RetryAfterSeconds)));
    }

    private static Dictionary<string, string?> Settings(DiscogsSimulatorServer simulator, string? token = "test-token")
    {
        var settings = DiscogsServices.FastSettings(token, simulator.BaseUrl.ToString());
        settings["Discogs:MaxRetries"] = "4";
        return settings;
    }
}
