using Dapper;
using EnrichmentWorker.Dashboard;
using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.Tests.Support;
using Microsoft.Playwright;

namespace EnrichmentWorker.Tests.Dashboard;

/// <summary>
/// The whole service — workers, matcher, Discogs client — against the simulator, driven through the dashboard in
/// Chromium: an album whose job failed is retried on its page and seen to succeed with its match, as the same Hangfire job.
/// </summary>
[NonParallelizable]
public sealed class DashboardPipelineBrowserTests
{
    [Test]
    public async Task A_person_retries_a_failed_album_and_watches_it_succeed()
    {
        await using var simulator = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions());
        var target = simulator.Catalog.Albums.First(a => a.Kind == CatalogAlbumKind.Master && a.Year is not null && a.MasterId is not null);
        await using var db = await TestDatabase.CreateAsync();

        // One attempt per job and no retry inside the client, so the album's first run genuinely fails on a 500.
        simulator.Faults.Add(FaultKind.ServerError, count: 1, pathPrefix: "/database/search");
        await using var service = ServiceProcess.Start(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = db.ConnectionString,
            ["DISCOGS_TOKEN"] = "test-token",
            ["Discogs__BaseUrl"] = simulator.BaseUrl.ToString(),
            ["Discogs__MaxRetries"] = "0",
            ["Jobs__Workers"] = "2",
            ["Jobs__MaxAttempts"] = "1",
            ["Jobs__PollInterval"] = "00:00:00.500",
            ["Dashboard__TrustLoopback"] = "false",
            ["Dashboard__Users__0__Name"] = "admin",
            ["Dashboard__Users__0__PasswordHash"] = PasswordHash.Create(DashboardService.AdminPassword),
            ["Dashboard__Users__0__Role"] = "Admin",
        });
        await service.WaitUntilServingAsync();
        var albumId = await DashboardSeed.AlbumAsync(db.DataSource, target.Artist, target.Title, target.Year);
        var jobId = await HangfireRows.JobOfAlbumAsync(db.DataSource, albumId);
        await WaitFor.ConditionAsync(async () => await HangfireRows.StateAsync(db.DataSource, jobId) == "Failed", TimeSpan.FromSeconds(60), "the album's job to fail on the 500");

        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1360, Height = 900 } });
        await page.GotoAsync(new Uri(service.BaseUrl, "/dashboard").ToString());
        await page.FillAsync("input[name=user]", "admin");
        await page.FillAsync("input[name=password]", DashboardService.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("#discogs-status")).ToContainTextAsync("Connected as", new() { Timeout = 30_000 });

        await page.GotoAsync(new Uri(service.BaseUrl, $"/dashboard/albums/{albumId}").ToString());
        await Assertions.Expect(page.Locator(".pill.state-failed").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"a.hangfire-job[href='/hangfire/jobs/details/{jobId}']")).ToBeVisibleAsync();
        await page.ClickAsync("button:has-text('Retry')");
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("queued");

        await WaitFor.ConditionAsync(async () =>
        {
            await page.ReloadAsync();
            return await page.Locator(".album-title .pill.match-matched").CountAsync() > 0;
        }, TimeSpan.FromSeconds(60), "the retried job to succeed, as the album page shows it");
        await Assertions.Expect(page.Locator(".album-title .pill.match-matched")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"a[href='https://www.discogs.com/master/{target.MasterId}']").First).ToBeVisibleAsync();
        var folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "album-enriched.png"), FullPage = true });
        TestContext.AddTestAttachment(Path.Combine(folder, "album-enriched.png"), "album after retry");
        Assert.That(await HangfireRows.StateAsync(db.DataSource, jobId), Is.EqualTo("Succeeded"), "the same Hangfire job ran again and succeeded");
    }
}
