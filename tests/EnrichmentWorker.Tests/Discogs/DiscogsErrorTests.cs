using System.Net;
using EnrichmentWorker.Discogs;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Discogs;

/// <summary>Each class of Discogs failure becomes its own exception, with the right retry behaviour, through the real handler chain and budget.</summary>
public sealed class DiscogsErrorTests
{
    private const string Unauthorized = """{"message": "You must authenticate to access this resource."}""";

    [Test]
    public async Task A_401_raises_Unauthorized_without_retrying_and_marks_the_connection_invalid()
    {
        var handler = new ScriptedHandler { Fallback = _ => ScriptedHandler.Json(HttpStatusCode.Unauthorized, Unauthorized) };
        await using var db = await TestDatabase.CreateAsync();
        await using var services = DiscogsServices.Create(db.DataSource, DiscogsServices.FastSettings(), handler);

        var ex = Assert.ThrowsAsync<DiscogsUnauthorizedException>(() => services.Client.GetReleaseAsync(1, CancellationToken.None));

        Assert.That(handler.Requests, Has.Count.EqualTo(1));
        Assert.That(ex!.Message, Does.Contain("rejected the token").And.Contain("DISCOGS_TOKEN"));
        Assert.That(services.Status.Current.State, Is.EqualTo(DiscogsConnectionState.Invalid));
    }

    [Test]
    public async Task A_404_is_a_null_result_not_a_retry()
    {
        var handler = new ScriptedHandler { Fallback = _ => ScriptedHandler.Json(HttpStatusCode.NotFound, """{"message": "Release not found."}""") };
        await using var db = await TestDatabase.CreateAsync();
        await using var services = DiscogsServices.Create(db.DataSource, DiscogsServices.FastSettings(), handler);

        Assert.That(await services.Client.GetReleaseAsync(99999999, CancellationToken.None), Is.Null);
        Assert.That(await services.Client.GetMasterAsync(99999999, CancellationToken.None), Is.Null);
        Assert.That(handler.Requests, Has.Count.EqualTo(2));
    }

    [TestCase(HttpStatusCode.BadRequest)]
    [TestCase(HttpStatusCode.UnprocessableEntity)]
    public async Task A_bad_query_raises_BadRequest_without_retrying(HttpStatusCode status)
    {
        var handler = new ScriptedHandler { Fallback = _ => ScriptedHandler.Json(status, """{"message": "Invalid page value."}""") };
        await using var db = await TestDatabase.CreateAsync();
        await using var services = DiscogsServices.Create(db.DataSource, DiscogsServices.FastSettings(), handler);

        var ex = Assert.ThrowsAsync<DiscogsBadRequestException>(() => services.Client.SearchAsync(new DiscogsSearchQuery { Query = "x" }, CancellationToken.None));

        Assert.That(handler.Requests, Has.Count.EqualTo(1));
        Assert.That(ex!.StatusCode, Is.EqualTo(status));
        Assert.That(ex.Message, Does.Contain("Invalid page value."));
    }

    [Test]
    public async Task A_429_raises_RateLimited_with_the_servers_Retry_After_and_blocks_the_shared_budget_without_retrying()
    {
        var handler = new ScriptedHandler().Then(() => DiscogsData.Response("errors/release-35300-429.json"));
        await using var db = await TestDatabase.CreateAsync();
        await using var services = DiscogsServices.Create(db.DataSource, DiscogsServices.FastSettings(), handler);
        var before = DateTimeOffset.UtcNow;

        var ex = Assert.ThrowsAsync<DiscogsRateLimitedException>(() => services.Client.GetReleaseAsync(35300, CancellationToken.None));

        Assert.That(handler.Requests, Has.Count.EqualTo(1));
        Assert.That(ex!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(60)));
        var budget = await services.Budget.GetSnapshotAsync(CancellationToken.None);
        Assert.That(budget.BlockedUntil, Is.GreaterThanOrEqualTo(before + TimeSpan.FromSeconds(59)));
        Assert.That(budget.Last429At, Is.Not.Null);
        Assert.That(budget.ServerUsed, Is.EqualTo(61));
        Assert.That(budget.NextFreeSlot, Is.GreaterThanOrEqualTo(before + TimeSpan.FromSeconds(59)));
    }

    [Test]
    public async Task A_429_without_Retry_After_waits_the_configured_default()
    {
        var handler = new ScriptedHandler().Then(() => ScriptedHandler.Json(HttpStatusCode.TooManyRequests, """{"message": "You are making requests too quickly."}"""));
        await using var db = await TestDatabase.CreateAsync();
        var settings = DiscogsServices.FastSettings();
        settings["Discogs:DefaultRetryAfter"] = "00:00:42";
        await using var services = DiscogsServices.Create(db.DataSource, settings, handler);

        var ex = Assert.ThrowsAsync<DiscogsRateLimitedException>(() => services.Client.GetReleaseAsync(1, CancellationToken.None));

        Assert.That(ex!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(42)));
        Assert.That((await services.Budget.GetSnapshotAsync(CancellationToken.None)).LastRetryAfter, Is.EqualTo(TimeSpan.FromSeconds(42)));
    }

    [Test]
    public async Task Server_errors_are_retried_and_a_later_success_is_returned()
    {
        var handler = new ScriptedHandler()
            .Then(() => ScriptedHandler.Json(HttpStatusCode.InternalServerError, """{"message": "Query time exceeded. Please try a simpler query."}"""))
            .Then(() => ScriptedHandler.Json(HttpStatusCode.BadGateway, "<html>bad gateway</html>"))
            .Then(() => DiscogsData.Response("releases/release-35300.json"));
        await using var db = await TestDatabase.CreateAsync();
        await using var services = DiscogsServices.Create(db.DataSource, DiscogsServices.FastSettings(), handler);

        var release = await services.Client.GetReleaseAsync(35300, CancellationToken.None);

        Assert.That(release?.Title, Is.EqualTo("Dark Side Of The Moon"));
        Assert.That(handler.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Server_errors_are_retried_a_bounded_number_of_times_then_raise_Transient()
    {
        var handler = new ScriptedHandler { Fallback = _ => ScriptedHandler.Json(HttpStatusCode.ServiceUnavailable, """{"message": "Service unavailable."}""") };
        await using var db = await TestDatabase.CreateAsync();
        await using var services = DiscogsServices.Create(db.DataSource, DiscogsServices.FastSettings(), handler);

        var ex = Assert.ThrowsAsync<DiscogsTransientException>(() => services.Client.GetReleaseAsync(1, CancellationToken.None));

        Assert.That(handler.Requests, Has.Count.EqualTo(4), "one attempt and MaxRetries = 3 retries");
        Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That((await services.Budget.GetSnapshotAsync(CancellationToken.None)).UsedInWindow, Is.EqualTo(4), "every attempt takes a budget slot");
    }

    [TestCase("{\"id\": 35300, \"title\": \"Dark Side", TestName = "Truncated_JSON_is_transient_and_retried")]
    [TestCase("<html><body>Maintenance</body></html>", TestName = "Malformed_JSON_is_transient_and_retried")]
    public async Task Broken_bodies_are_transient_and_retried(string body)
    {
        var handler = new ScriptedHandler()
            .Then(() => ScriptedHandler.Json(HttpStatusCode.OK, body))
            .Then(() => DiscogsData.Response("releases/release-35300.json"));
        await using var db = await TestDatabase.CreateAsync();
        await using var services = DiscogsServices.Create(db.DataSource, DiscogsServices.FastSettings(), handler);

        var release = await services.Client.GetReleaseAsync(35300, CancellationToken.None);

        Assert.That(release?.Id, Is.EqualTo(35300));
        Assert.That(handler.Requests, Has.Count.EqualTo(2));
        Assert.That(services.Logs.AllText, Does.Contain("malformed or truncated"));
    }

    [Test]
    public async Task Connection_resets_are_transient_and_exhausted_retries_raise_Transient()
    {
        var handler = new ScriptedHandler { Fallback = _ => throw new HttpRequestException("Connection reset by peer", new IOException("reset")) };
        await using var db = await TestDatabase.CreateAsync();
        await using var services = DiscogsServices.Create(db.DataSource, DiscogsServices.FastSettings(), handler);

        var ex = Assert.ThrowsAsync<DiscogsTransientException>(() => services.Client.GetMasterAsync(21491, CancellationToken.None));

        Assert.That(handler.Requests, Has.Count.EqualTo(4));
        Assert.That(ex!.Message, Does.Contain("Connection reset by peer").And.Contain("/masters/21491"));
    }

    [Test]
    public async Task A_request_that_outlasts_the_timeout_is_transient()
    {
        var handler = new StallingHandler();
        await using var db = await TestDatabase.CreateAsync();
        var settings = DiscogsServices.FastSettings();
        settings["Discogs:RequestTimeout"] = "00:00:00.200";
        settings["Discogs:MaxRetries"] = "1";
        await using var services = DiscogsServices.Create(db.DataSource, settings, handler);

        var ex = Assert.ThrowsAsync<DiscogsTransientException>(() => services.Client.GetReleaseAsync(1, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("did not answer").And.Contain("Discogs:RequestTimeout"));
        Assert.That(handler.Calls, Is.EqualTo(2));
    }

    [Test]
    public async Task Every_request_carries_the_token_the_user_agent_and_an_escaped_query()
    {
        var handler = new ScriptedHandler { Fallback = _ => DiscogsData.Response("search/lxxxvi-empty.json") };
        await using var db = await TestDatabase.CreateAsync();
        await using var services = DiscogsServices.Create(db.DataSource, DiscogsServices.FastSettings(token: "abc123"), handler);

        await services.Client.SearchAsync(
            new DiscogsSearchQuery { Type = "master", Artist = "Simon & Garfunkel", ReleaseTitle = "Bridge Over Troubled Water?", Year = "1970", PerPage = 5, Page = 2 },
            CancellationToken.None);
        await services.Client.GetReleaseAsync(1, CancellationToken.None);

        var requests = handler.Requests.ToArray();
        Assert.That(requests[0].RequestUri!.PathAndQuery, Is.EqualTo(
            "/database/search?type=master&artist=Simon%20%26%20Garfunkel&release_title=Bridge%20Over%20Troubled%20Water%3F&year=1970&per_page=5&page=2"));
        Assert.That(requests, Has.All.Matches<HttpRequestMessage>(r =>
            r.Headers.GetValues("Authorization").Single() == "Discogs token=abc123"
            && r.Headers.GetValues("User-Agent").Single() == DiscogsOptions.UserAgent));
        Assert.That(DiscogsOptions.UserAgent, Does.Match(@"^EnrichmentWorker/\d+\.\d+\.\d+ \+https://github\.com/enrichment-worker/enrichment-worker$"));
    }

    [Test]
    public async Task Without_a_token_no_Authorization_header_is_sent_and_the_rate_is_25()
    {
        var handler = new ScriptedHandler { Fallback = _ => DiscogsData.Response("artists/artist-125246.json") };
        await using var db = await TestDatabase.CreateAsync();
        var settings = DiscogsServices.FastSettings(token: null);
        settings.Remove("Discogs:RequestsPerMinute");
        await using var services = DiscogsServices.Create(db.DataSource, settings, handler);

        await services.Client.GetArtistAsync(125246, CancellationToken.None);

        Assert.That(handler.Requests.Single().Headers.Contains("Authorization"), Is.False);
        Assert.That((await services.Budget.GetSnapshotAsync(CancellationToken.None)).Limit, Is.EqualTo(25));
    }

    /// <summary>Never answers until cancelled.</summary>
    private sealed class StallingHandler : HttpMessageHandler
    {
        private int calls;

        public int Calls => calls;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref calls);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
