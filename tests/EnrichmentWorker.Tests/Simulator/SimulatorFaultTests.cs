using System.Net;
using System.Text.Json;
using EnrichmentWorker.DiscogsSimulator;

namespace EnrichmentWorker.Tests.Simulator;

[TestFixture]
public sealed class SimulatorFaultTests
{
    private DiscogsSimulatorServer _server = null!;
    private HttpClient _client = null!;
    private string _releasePath = "";

    [SetUp]
    public async Task Start()
    {
        _server = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions { RateLimitEnabled = false });
        _client = SimulatorTestKit.Client(_server);
        _releasePath = $"releases/{_server.Catalog.Find("Radiohead", "OK Computer")!.MainReleaseId}";
    }

    [TearDown]
    public async Task Stop()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<(int Status, string Body)> GetAsync(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_server_error_fires_once_with_the_real_message_then_the_request_succeeds()
    {
        _server.Faults.Add(FaultKind.ServerError);

        var first = await GetAsync(_releasePath);
        var second = await GetAsync(_releasePath);

        Assert.That(first, Is.EqualTo((500, "{\"message\": \"Query time exceeded. Please try a simpler query.\"}")));
        Assert.That(second.Status, Is.EqualTo(200));
    }

    [TestCase(FaultKind.BadGateway, 502)]
    [TestCase(FaultKind.ServiceUnavailable, 503)]
    public async Task Gateway_faults_answer_an_html_page(FaultKind kind, int status)
    {
        _server.Faults.Add(kind);

        var first = await GetAsync(_releasePath);

        Assert.That(first.Status, Is.EqualTo(status));
        Assert.That(first.Body, Does.StartWith("<html>"));
        Assert.That((await GetAsync(_releasePath)).Status, Is.EqualTo(200));
    }

    [Test]
    public async Task A_connection_reset_aborts_the_request_and_is_logged_with_status_zero()
    {
        _server.Faults.Add(FaultKind.ConnectionReset);

        Assert.ThrowsAsync<HttpRequestException>(() => _client.GetAsync(new Uri(_releasePath, UriKind.Relative)));
        Assert.That((await GetAsync(_releasePath)).Status, Is.EqualTo(200));
        Assert.That(_server.Requests.Snapshot().Select(r => r.Status), Is.EqualTo(new[] { 0, 200 }));
    }

    [Test]
    public async Task Malformed_and_truncated_json_come_as_200_bodies_that_do_not_parse()
    {
        _server.Faults.Add(FaultKind.MalformedJson);
        _server.Faults.Add(FaultKind.TruncatedJson);

        var malformed = await GetAsync(_releasePath);
        var truncated = await GetAsync(_releasePath);
        var whole = await GetAsync(_releasePath);

        Assert.That(malformed.Status, Is.EqualTo(200));
        Assert.That(truncated.Status, Is.EqualTo(200));
        Assert.That(() => JsonDocument.Parse(malformed.Body), Throws.InstanceOf<JsonException>());
        Assert.That(() => JsonDocument.Parse(truncated.Body), Throws.InstanceOf<JsonException>());
        Assert.That(whole.Body, Does.StartWith(truncated.Body), "a truncated body is a prefix of the real one");
    }

    [Test]
    public async Task Unauthorized_and_rate_limited_faults_fire_for_their_count_only()
    {
        _server.Faults.Add(FaultKind.Unauthorized);
        _server.Faults.Add(FaultKind.RateLimited, count: 2);

        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await GetAsync(_releasePath)).Status);
        }

        Assert.That(statuses, Is.EqualTo(new[] { 401, 429, 429, 200 }));
        Assert.That(_server.Faults.Pending, Is.Zero);
    }

    [Test]
    public async Task A_fault_with_a_path_prefix_leaves_other_paths_alone()
    {
        _server.Faults.Add(FaultKind.ServerError, pathPrefix: "/database/search");

        var release = await GetAsync(_releasePath);
        var search = await GetAsync("database/search?q=radiohead");

        Assert.That(release.Status, Is.EqualTo(200));
        Assert.That(search.Status, Is.EqualTo(500));
    }

    [Test]
    public async Task A_latency_fault_holds_the_response_until_the_client_gives_up()
    {
        _server.Faults.AddLatency(TimeSpan.FromSeconds(30));
        using var impatient = SimulatorTestKit.Client(_server);
        impatient.Timeout = TimeSpan.FromMilliseconds(300);

        Assert.ThrowsAsync<TaskCanceledException>(() => impatient.GetAsync(new Uri(_releasePath, UriKind.Relative)));
        Assert.That((await GetAsync(_releasePath)).Status, Is.EqualTo(200));
    }

    [Test]
    public async Task A_hidden_release_is_found_by_search_but_answers_404()
    {
        var album = _server.Catalog.Find("Radiohead", "OK Computer")!;
        var hidden = album.ReleaseIds[1];
        _server.Faults.HideRelease(hidden);

        var search = await GetAsync("database/search?artist=radiohead&release_title=ok+computer&type=release");
        var release = await GetAsync($"releases/{hidden}");

        Assert.That(search.Body, Does.Contain($"\"id\":{hidden}"));
        Assert.That(release, Is.EqualTo((404, "{\"message\": \"Release not found.\"}")));
    }

    [Test]
    public async Task Hidden_releases_can_be_configured_up_front()
    {
        var album = _server.Catalog.Find("Radiohead", "OK Computer")!;
        await using var server = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions { HiddenReleaseIds = new HashSet<long> { album.MainReleaseId!.Value } });
        using var client = SimulatorTestKit.Client(server);

        using var response = await client.GetAsync(new Uri($"releases/{album.MainReleaseId}", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Not_found_bodies_are_worded_as_the_real_api_words_them()
    {
        Assert.That(await GetAsync("releases/1999999999999"), Is.EqualTo((404, "{\"message\": \"Release not found.\"}")));
        Assert.That(await GetAsync("masters/1999999999999"), Is.EqualTo((404, "{\"message\": \"Master Release not found.\"}")));
        Assert.That(await GetAsync("masters/1999999999999/versions"), Is.EqualTo((404, "{\"message\": \"Master Release not found.\"}")));
        Assert.That(await GetAsync("artists/1999999999999"), Is.EqualTo((404, "{\"message\": \"Artist not found.\"}")));
        Assert.That(await GetAsync("labels/1999999999999"), Is.EqualTo((404, "{\"message\": \"Label not found.\"}")));
        Assert.That(await GetAsync("marketplace/stats/1999999999999"), Is.EqualTo((404, "{\"message\": \"Release not found.\"}")));
        Assert.That(await GetAsync("no/such/thing"), Is.EqualTo((404, "{\"message\": \"The requested resource was not found.\"}")));
    }

    [Test]
    public async Task An_album_discogs_lacks_is_not_found_by_search()
    {
        var missing = _server.Catalog.Albums.First(a => a.Kind == CatalogAlbumKind.Missing && a.Title.Length > 12);

        var search = await GetAsync($"database/search?q={Uri.EscapeDataString($"{missing.Artist} {missing.Title}")}");

        Assert.That(search.Body, Does.Contain("\"items\":0"));
    }

    [Test]
    public async Task A_request_without_user_agent_is_refused()
    {
        using var noAgent = SimulatorTestKit.Client(_server, userAgent: null);

        using var response = await noAgent.GetAsync(new Uri(_releasePath, UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.StartWith("{\"message\": "));
    }

    [Test]
    public async Task The_request_log_records_each_request_with_status_auth_and_user_agent()
    {
        using var anonymous = SimulatorTestKit.Client(_server, token: null);

        await GetAsync(_releasePath);
        await GetAsync("database/search?q=radiohead+ok+computer");
        (await anonymous.GetAsync(new Uri("masters/1999999999999", UriKind.Relative))).Dispose();

        var log = _server.Requests.Snapshot();
        Assert.That(_server.Requests.Count, Is.EqualTo(3));
        Assert.That(log.Select(r => (r.Method, r.Status, r.Authenticated)), Is.EqualTo(new[] { ("GET", 200, true), ("GET", 200, true), ("GET", 404, false) }));
        Assert.That(log[1].PathAndQuery, Is.EqualTo("/database/search?q=radiohead+ok+computer"));
        Assert.That(log[0].UserAgent, Does.StartWith("EnrichmentWorkerTests/1.0"));
        Assert.That(log[1].At, Is.GreaterThanOrEqualTo(log[0].At));
        _server.Requests.Clear();
        Assert.That(_server.Requests.Count, Is.Zero);
    }
}
