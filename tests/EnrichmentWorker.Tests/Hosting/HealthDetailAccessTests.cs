using System.Text.Json;
using EnrichmentWorker.Tests.Dashboard;

namespace EnrichmentWorker.Tests.Hosting;

/// <summary>
/// Who sees what of /health/ready on the real service: the checks name the Discogs account and count the queue, so a
/// remote caller without credentials gets the status alone. A proxy's X-Forwarded-For makes a loopback caller remote.
/// </summary>
public sealed class HealthDetailAccessTests
{
    private DashboardService _service = null!;

    [OneTimeSetUp]
    public async Task Start() => _service = await DashboardService.StartAsync(trustLoopback: false);

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    private async Task<JsonElement> ReadyAsync(string? bearerToken, bool remote)
    {
        using var client = _service.Client(bearerToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/ready");
        if (remote)
        {
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        }

        using var response = await client.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Test]
    public async Task An_anonymous_remote_caller_gets_the_status_and_nothing_else()
    {
        var body = await ReadyAsync(bearerToken: null, remote: true);

        Assert.Multiple(() =>
        {
            Assert.That(body.TryGetProperty("status", out _), Is.True, body.ToString());
            Assert.That(body.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "status" }), body.ToString());
            Assert.That(body.ToString(), Does.Not.Contain("simulator_user"));
        });
    }

    [Test]
    public async Task A_remote_caller_with_a_dashboard_token_and_a_local_caller_get_every_check()
    {
        var signedIn = await ReadyAsync(DashboardService.ReaderToken, remote: true);
        var local = await ReadyAsync(bearerToken: null, remote: false);

        Assert.Multiple(() =>
        {
            Assert.That(signedIn.GetProperty("checks").GetArrayLength(), Is.GreaterThanOrEqualTo(4), signedIn.ToString());
            Assert.That(local.GetProperty("checks").GetArrayLength(), Is.GreaterThanOrEqualTo(4), local.ToString());
        });
    }
}
