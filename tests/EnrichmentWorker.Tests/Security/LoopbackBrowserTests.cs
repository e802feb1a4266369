using Dapper;
using EnrichmentWorker.Tests.Dashboard;
using EnrichmentWorker.Tests.Support;
using Microsoft.Playwright;

namespace EnrichmentWorker.Tests.Security;

/// <summary>
/// The loopback trust's origin check with a real browser: Chromium's own form posts carry an Origin header shaped by
/// the page's referrer policy, and the machine's own user must still be able to press a button.
/// </summary>
[NonParallelizable]
public sealed class LoopbackBrowserTests
{
    private DashboardService _service = null!;
    private Chromium _chromium = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _service = await DashboardService.StartAsync(trustLoopback: true);
        _chromium = await Chromium.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _chromium.DisposeAsync();
        await _service.DisposeAsync();
    }

    [TestCase("127.0.0.1")]
    [TestCase("localhost")]
    public async Task The_machines_own_user_pauses_the_queue_from_the_dashboard_without_signing_in(string host)
    {
        var page = await _chromium.Browser.NewPageAsync();
        await page.GotoAsync($"http://{host}:{_service.BaseUrl.Port}/dashboard");

        await page.ClickAsync("#queue-toggle");

        await Assertions.Expect(page.Locator("#queue-state")).ToHaveTextAsync("Paused");
        await using var connection = await _service.Database.DataSource.OpenConnectionAsync();
        Assert.That(await connection.ExecuteScalarAsync<bool>("SELECT paused FROM queue_state"), Is.True);
        await page.ClickAsync("#queue-toggle");
        await Assertions.Expect(page.Locator("#queue-state")).ToHaveTextAsync("Running");
        await page.CloseAsync();
    }
}
