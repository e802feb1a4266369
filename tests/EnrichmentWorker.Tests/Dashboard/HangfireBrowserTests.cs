using Dapper;
using EnrichmentWorker.Tests.Support;
using Microsoft.Playwright;

namespace EnrichmentWorker.Tests.Dashboard;

/// <summary>
/// Hangfire's dashboard and the project's pages as one product in Debian's Chromium (headless, Playwright): signing in
/// on the way to /hangfire, the realtime graph polling under the /hangfire content policy with no violation, a failed
/// album job's page leading to its album and back, a requeue through Hangfire's own button (its script sends the
/// antiforgery header), and the read-only role's Hangfire pages without buttons.
/// </summary>
[NonParallelizable]
public sealed class HangfireBrowserTests
{
    private DashboardService _service = null!;
    private Chromium _chromium = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _service = await DashboardService.StartAsync();
        _chromium = await Chromium.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _chromium.DisposeAsync();
        await _service.DisposeAsync();
    }

    [Test]
    public async Task An_admin_signs_in_on_the_way_to_hangfire_and_its_realtime_graph_polls_with_no_policy_violation()
    {
        var (page, problems) = await OpenAsync();

        await page.GotoAsync(Url("/hangfire"));
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/dashboard/login"));
        await SignInAsync(page, "admin", DashboardService.AdminPassword);
        await Assertions.Expect(page).ToHaveURLAsync(Url("/hangfire"));

        // Two polls of /stats answered: the graph's script runs, its POST passes antiforgery and authorization.
        for (var poll = 0; poll < 2; poll++)
        {
            var stats = await page.WaitForResponseAsync(r => r.Url.EndsWith("/hangfire/stats", StringComparison.Ordinal), new PageWaitForResponseOptions { Timeout = 15_000 });
            Assert.That(stats.Status, Is.EqualTo(200));
        }

        await Assertions.Expect(page.Locator("#realtimeGraph")).ToBeVisibleAsync();
        Assert.That(await page.EvaluateAsync<bool>("() => document.querySelector('#realtimeGraph').toDataURL().length > 5000"), Is.True, "the graph is drawn");
        await Assertions.Expect(page.Locator(".navbar a:has-text('Albums')")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "hangfire-home.png");
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public async Task From_a_failed_album_job_an_admin_opens_its_album_comes_back_and_requeues_it()
    {
        var db = _service.Database.DataSource;
        var album = await DashboardSeed.AlbumAsync(db, "Radiohead", "OK Computer");
        await DashboardSeed.MatchAsync(db, album, "matched", 4711, 9001);
        var job = HangfireTestJobs.FailedAlbumJob(db, album, "Radiohead – OK Computer");
        var (page, problems) = await OpenAsync();
        await page.GotoAsync(Url("/dashboard/login"));
        await SignInAsync(page, "admin", DashboardService.AdminPassword);

        await page.GotoAsync(Url("/hangfire/jobs/details/" + job));
        await Assertions.Expect(page.Locator("#album-card")).ToContainTextAsync("matched");
        await ScreenshotAsync(page, "hangfire-job.png");
        await page.ClickAsync("#album-link");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("OK Computer");
        await Assertions.Expect(page.Locator("a[href='https://www.discogs.com/master/4711']").First).ToBeVisibleAsync();
        await page.GoBackAsync();
        await Assertions.Expect(page.Locator("#album-card")).ToContainTextAsync("OK Computer");

        await page.ClickAsync("button[data-ajax$='/jobs/actions/requeue/" + job + "']");
        await WaitForStateAsync(job, "Enqueued");
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public async Task From_hangfires_navigation_a_person_finds_bjork_on_the_albums_page_by_typing_bjork()
    {
        var marker = "b" + Guid.NewGuid().ToString("N")[..8];
        var album = await DashboardSeed.AlbumAsync(_service.Database.DataSource, "Björk", "Homogenic " + marker);
        var (page, problems) = await OpenAsync();
        await page.GotoAsync(Url("/dashboard/login"));
        await SignInAsync(page, "reader", DashboardService.ReaderPassword);

        await page.GotoAsync(Url("/hangfire"));
        await page.ClickAsync(".navbar a:has-text('Albums')");
        await page.FillAsync("input[name=q]", "bjork " + marker);
        await page.ClickAsync("form[role=search] button[type=submit]");
        await page.ClickAsync($"a.album[href='/dashboard/albums/{album}']");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Homogenic");
        await page.ClickAsync("header nav a:has-text('Hangfire jobs')");
        await Assertions.Expect(page).ToHaveURLAsync(Url("/hangfire"));
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public async Task The_read_only_role_sees_hangfires_failed_job_without_buttons()
    {
        var db = _service.Database.DataSource;
        var album = await DashboardSeed.AlbumAsync(db, "Portishead", "Dummy");
        var job = HangfireTestJobs.FailedAlbumJob(db, album, "Portishead – Dummy");
        var (page, problems) = await OpenAsync();
        await page.GotoAsync(Url("/dashboard/login"));
        await SignInAsync(page, "reader", DashboardService.ReaderPassword);

        await page.GotoAsync(Url("/hangfire/jobs/details/" + job));
        await Assertions.Expect(page.Locator("#album-card")).ToContainTextAsync("Dummy");
        await Assertions.Expect(page.Locator("button[data-ajax]")).ToHaveCountAsync(0);
        await page.GotoAsync(Url("/hangfire/jobs/failed"));
        await Assertions.Expect(page.Locator(".js-jobs-list-command")).ToHaveCountAsync(0);
        Assert.That(problems, Is.Empty);
    }

    private string Url(string path) => new Uri(_service.BaseUrl, path).ToString();

    /// <summary>A fresh browser context, and the console errors (a CSP violation is one), script errors and 404s it shows.</summary>
    private async Task<(IPage Page, List<string> Problems)> OpenAsync()
    {
        var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1360, Height = 900 } });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        page.Console += (_, message) =>
        {
            // Chromium's own favicon request (Hangfire's page names a data: icon) is no problem of the page's.
            if (message.Type is "error" or "warning" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                lock (problems)
                {
                    problems.Add(message.Type + ": " + message.Text);
                }
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status == 404)
            {
                lock (problems)
                {
                    problems.Add("404: " + response.Url);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (problems)
            {
                problems.Add("page error: " + error);
            }
        };
        return (page, problems);
    }

    private static async Task SignInAsync(IPage page, string user, string password)
    {
        await page.FillAsync("input[name=user]", user);
        await page.FillAsync("input[name=password]", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
    }

    private async Task WaitForStateAsync(string job, string state)
    {
        await Support.WaitFor.ConditionAsync(async () =>
        {
            await using var connection = await _service.Database.DataSource.OpenConnectionAsync();
            return await connection.ExecuteScalarAsync<string>("SELECT statename FROM hangfire.job WHERE id = @id",
                new { id = long.Parse(job, System.Globalization.CultureInfo.InvariantCulture) }) == state;
        }, TimeSpan.FromSeconds(15), $"job {job} to be {state}");
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, name);
    }
}
