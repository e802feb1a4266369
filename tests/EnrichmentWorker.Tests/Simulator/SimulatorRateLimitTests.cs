using System.Net;
using EnrichmentWorker.DiscogsSimulator;

namespace EnrichmentWorker.Tests.Simulator;

/// <summary>The moving window as the recorded headers show it (api/**/*.headers.json, errors/*429*).</summary>
[TestFixture]
public sealed class SimulatorRateLimitTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static async Task<(DiscogsSimulatorServer Server, ManualClock Clock)> StartAsync(int limit = 5, int unauthenticatedLimit = 3)
    {
        var clock = new ManualClock(Start);
        var server = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions
        {
            RequestsPerWindow = limit,
            UnauthenticatedRequestsPerWindow = unauthenticatedLimit,
            Window = TimeSpan.FromSeconds(60),
            RetryAfterSeconds = 60,
            TimeProvider = clock,
        });
        return (server, clock);
    }

    private static string ReleasePath(DiscogsSimulatorServer server) => $"releases/{server.Catalog.Find("Radiohead", "OK Computer")!.MainReleaseId}";

    [Test]
    public async Task Every_response_carries_the_three_rate_headers_including_errors()
    {
        var (server, _) = await StartAsync(limit: 60, unauthenticatedLimit: 25);
        await using var _ = server;
        using var client = SimulatorTestKit.Client(server);
        using var anonymous = SimulatorTestKit.Client(server, token: null);
        using var wrongToken = SimulatorTestKit.Client(server, token: "not-a-token");

        var responses = new[]
        {
            await client.GetAsync(new Uri(ReleasePath(server), UriKind.Relative)),
            await client.GetAsync(new Uri("releases/1234567890123", UriKind.Relative)),
            await anonymous.GetAsync(new Uri("database/search?q=x", UriKind.Relative)),
            await wrongToken.GetAsync(new Uri("oauth/identity", UriKind.Relative)),
        };

        Assert.That(responses.Select(r => (int)r.StatusCode), Is.EqualTo(new[] { 200, 404, 401, 401 }));
        Assert.That(responses.Select(r => r.Header("X-Discogs-Ratelimit-Used")), Is.EqualTo(new[] { "1", "2", "3", "4" }));
        Assert.That(responses.Select(r => r.Header("X-Discogs-Ratelimit")), Is.EqualTo(new[] { "60", "60", "25", "25" }));
        Assert.That(responses[0].Header("X-Discogs-Ratelimit-Remaining"), Is.EqualTo("59"));
        Assert.That(await responses[3].Content.ReadAsStringAsync(),
            Is.EqualTo(File.ReadAllText(SimulatorTestKit.DataPath("api", "errors", "401-invalid-token.json")).Replace("\n", "", StringComparison.Ordinal).Replace("  ", "", StringComparison.Ordinal)));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Test]
    public async Task Past_the_limit_a_429_comes_with_Retry_After_and_the_real_body_and_is_counted_too()
    {
        var (server, _) = await StartAsync(limit: 5);
        await using var _ = server;
        using var client = SimulatorTestKit.Client(server);

        var statuses = new List<int>();
        var used = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            using var response = await client.GetAsync(new Uri(ReleasePath(server), UriKind.Relative));
            statuses.Add((int)response.StatusCode);
            used.Add(response.Header("X-Discogs-Ratelimit-Used"));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.That(response.Header("Retry-After"), Is.EqualTo("60"));
                Assert.That(response.Header("X-Discogs-Ratelimit-Remaining"), Is.EqualTo("0"));
                Assert.That(await response.Content.ReadAsStringAsync(),
                    Is.EqualTo(File.ReadAllText(SimulatorTestKit.DataPath("api", "errors", "release-35300-429.json")).Trim()));
            }
        }

        Assert.That(statuses, Is.EqualTo(new[] { 200, 200, 200, 200, 200, 429, 429 }));
        Assert.That(used, Is.EqualTo(new[] { "1", "2", "3", "4", "5", "6", "7" }), "rejected requests count, so Used rises past the limit");
    }

    [Test]
    public async Task The_window_moves_so_used_decays_as_old_requests_age_out()
    {
        var (server, clock) = await StartAsync(limit: 5);
        await using var _ = server;
        using var client = SimulatorTestKit.Client(server);
        for (var i = 0; i < 6; i++)
        {
            (await client.GetAsync(new Uri(ReleasePath(server), UriKind.Relative))).Dispose();
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        // Requests at 0,10,...,50 s; now 60 s: the one at 0 s has left the window, five remain, the sixth is refused.
        using var refused = await client.GetAsync(new Uri(ReleasePath(server), UriKind.Relative));
        clock.Advance(TimeSpan.FromSeconds(25));
        // Now 85 s: the requests at 10 and 20 s have left too (window (25 s, 85 s]): 4 remain, this one makes 5.
        using var allowed = await client.GetAsync(new Uri(ReleasePath(server), UriKind.Relative));

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(refused.Header("X-Discogs-Ratelimit-Used"), Is.EqualTo("6"));
        Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(allowed.Header("X-Discogs-Ratelimit-Used"), Is.EqualTo("5"));
    }

    [Test]
    public async Task Without_a_token_the_lower_limit_applies_to_the_same_window()
    {
        var (server, _) = await StartAsync(limit: 5, unauthenticatedLimit: 3);
        await using var _ = server;
        using var anonymous = SimulatorTestKit.Client(server, token: null);

        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await anonymous.GetAsync(new Uri(ReleasePath(server), UriKind.Relative));
            statuses.Add((int)response.StatusCode);
            Assert.That(response.Header("X-Discogs-Ratelimit"), Is.EqualTo("3"));
        }

        Assert.That(statuses, Is.EqualTo(new[] { 200, 200, 200, 429 }));
    }

    [Test]
    public async Task A_foreign_client_filling_the_window_shows_in_the_headers_and_causes_429()
    {
        var (server, _) = await StartAsync(limit: 5);
        await using var _ = server;
        using var client = SimulatorTestKit.Client(server);

        server.FillWindow(4);
        using var last = await client.GetAsync(new Uri(ReleasePath(server), UriKind.Relative));
        using var refused = await client.GetAsync(new Uri(ReleasePath(server), UriKind.Relative));

        Assert.That(last.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(last.Header("X-Discogs-Ratelimit-Used"), Is.EqualTo("5"));
        Assert.That(last.Header("X-Discogs-Ratelimit-Remaining"), Is.EqualTo("0"));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
    }

    [Test]
    public async Task With_rate_limiting_off_requests_are_counted_but_never_refused()
    {
        var server = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions { RequestsPerWindow = 2, RateLimitEnabled = false });
        await using var _ = server;
        using var client = SimulatorTestKit.Client(server);

        for (var i = 0; i < 3; i++)
        {
            (await client.GetAsync(new Uri(ReleasePath(server), UriKind.Relative))).Dispose();
        }

        using var response = await client.GetAsync(new Uri(ReleasePath(server), UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Header("X-Discogs-Ratelimit-Used"), Is.EqualTo("4"));
    }
}
