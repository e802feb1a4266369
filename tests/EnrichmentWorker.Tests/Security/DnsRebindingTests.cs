using System.Net;
using System.Text.Json;
using Dapper;
using EnrichmentWorker.Tests.Dashboard;

namespace EnrichmentWorker.Tests.Security;

/// <summary>
/// The loopback trust (no sign-in for the machine's own user) attacked as a DNS-rebinding page would: the request
/// comes from 127.0.0.1, but names the attacker's host, or comes from the attacker's origin.
/// </summary>
public sealed class DnsRebindingTests
{
    private const string AttackerHost = "rebind.attacker.example";
    private DashboardService _service = null!;

    [OneTimeSetUp]
    public async Task Start() => _service = await DashboardService.StartAsync(trustLoopback: true);

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    private int Port => _service.BaseUrl.Port;

    [SetUp]
    public async Task Resume()
    {
        await using var connection = await _service.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE queue_state SET paused = false, reason = null, paused_by = null");
    }

    [TestCase("localhost")]
    [TestCase("127.0.0.1")]
    [TestCase("[::1]")]
    public async Task A_loopback_host_name_on_the_service_port_is_trusted_without_sign_in(string host)
    {
        using var response = await _service.SendAsync(HttpMethod.Get, "/dashboard", $"{host}:{Port}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase(AttackerHost + ":{port}")]
    [TestCase(AttackerHost)]
    [TestCase("127.0.0.1:1")]
    [TestCase("localhost")]
    [TestCase("127.0.0.1.nip.io:{port}")]
    [TestCase("localhost.:{port}")]
    public async Task A_request_from_loopback_naming_another_host_or_port_must_sign_in(string host)
    {
        using var page = await _service.SendAsync(HttpMethod.Get, "/dashboard", host.Replace("{port}", Port.ToString(), StringComparison.Ordinal));
        using var api = await _service.SendAsync(HttpMethod.Get, "/api/queue", host.Replace("{port}", Port.ToString(), StringComparison.Ordinal));

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(page.Headers.Location?.OriginalString, Does.Contain("/dashboard/login"));
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task A_rebinding_page_cannot_fetch_an_antiforgery_token_and_pause_the_queue()
    {
        var attacker = $"{AttackerHost}:{Port}";
        using var tokenAnswer = await _service.SendAsync(HttpMethod.Get, "/api/antiforgery", attacker);
        Assert.That(tokenAnswer.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the token is not handed to a foreign host");

        // Even holding a genuine token pair (taken from a loopback page), the foreign Host gets nowhere.
        var (cookie, token) = await LoopbackAntiforgeryAsync();
        using var pause = await _service.SendAsync(HttpMethod.Post, "/dashboard/queue", attacker, cookie,
            form: new() { ["action"] = "pause", ["__RequestVerificationToken"] = token }, origin: $"http://{attacker}");

        Assert.That(pause.StatusCode, Is.AnyOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden));
        Assert.That(await PausedAsync(), Is.False);
    }

    [TestCase("Origin", "http://" + AttackerHost + ":{port}")]
    [TestCase("Origin", "null")]
    [TestCase("Origin", "http://127.0.0.1:1")]
    [TestCase("Referer", "http://" + AttackerHost + ":{port}/dashboard")]
    public async Task A_post_with_a_loopback_host_but_a_foreign_origin_is_refused(string header, string value)
    {
        var (cookie, token) = await LoopbackAntiforgeryAsync();
        var claimed = value.Replace("{port}", Port.ToString(), StringComparison.Ordinal);

        using var pause = await _service.SendAsync(HttpMethod.Post, "/dashboard/queue", $"127.0.0.1:{Port}", cookie,
            form: new() { ["action"] = "pause", ["__RequestVerificationToken"] = token },
            origin: header == "Origin" ? claimed : null, referer: header == "Referer" ? claimed : null);

        Assert.That(pause.StatusCode, Is.AnyOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden));
        Assert.That(await PausedAsync(), Is.False);
    }

    [Test]
    public async Task A_post_from_the_dashboard_itself_on_loopback_pauses_the_queue()
    {
        var (cookie, token) = await LoopbackAntiforgeryAsync();

        using var pause = await _service.SendAsync(HttpMethod.Post, "/dashboard/queue", $"localhost:{Port}", cookie,
            form: new() { ["action"] = "pause", ["__RequestVerificationToken"] = token },
            origin: $"http://localhost:{Port}", referer: $"http://localhost:{Port}/dashboard");

        Assert.That(pause.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await pause.Content.ReadAsStringAsync());
        Assert.That(await PausedAsync(), Is.True);
    }

    private async Task<(string Cookie, string Token)> LoopbackAntiforgeryAsync()
    {
        using var answer = await _service.SendAsync(HttpMethod.Get, "/api/antiforgery", $"localhost:{Port}");
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        return (DashboardService.Cookies(answer), json.RootElement.GetProperty("token").GetString()!);
    }

    private async Task<bool> PausedAsync()
    {
        await using var connection = await _service.Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>("SELECT paused FROM queue_state");
    }
}
