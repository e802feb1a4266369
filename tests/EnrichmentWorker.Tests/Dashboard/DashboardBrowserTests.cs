using Dapper;
using EnrichmentWorker.Tests.Support;
using Microsoft.Playwright;

namespace EnrichmentWorker.Tests.Dashboard;

/// <summary>
/// The dashboard as a person uses it: Debian's Chromium, headless, driven by Playwright against the real service.
/// Screenshots of the overview and an album land in the test output (screenshots/) for a human to look at.
/// </summary>
[NonParallelizable]
public sealed class DashboardBrowserTests
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
    public async Task An_admin_finds_a_failed_album_on_the_overview_opens_it_and_retries_it()
    {
        var db = _service.Database.DataSource;
        await SeedHistoryAsync(db);
        var album = await DashboardSeed.AlbumAsync(db, "Radiohead", "OK Computer");
        await DashboardSeed.MatchAsync(db, album, "matched", 4711, 9001);
        await DashboardSeed.EnrichmentAsync(db, album);
        var job = await DashboardSeed.FailedJobAsync(db, album, "Discogs answered 502 Bad Gateway while fetching release 9001.");

        var page = await LoginAsync("admin", DashboardService.AdminPassword);
        await Assertions.Expect(page.Locator("#queue-state")).ToHaveTextAsync("Running");
        await Assertions.Expect(page.Locator("[data-count=failed]")).Not.ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator(".stat.state-failed")).ToHaveAttributeAsync("href", "/hangfire/jobs/failed");
        await page.Locator("#throughput-chart rect").First.WaitForAsync();
        await page.Locator("#history-chart rect").First.WaitForAsync();
        await ScreenshotAsync(page, "overview.png");

        await page.GotoAsync(Url($"/dashboard/albums/{album}"));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("OK Computer");
        await Assertions.Expect(page.Locator("table.candidates tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("a[href='https://www.discogs.com/master/4711']").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"a.hangfire-job[href='/hangfire/jobs/details/{job}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table.history")).ToContainTextAsync("Discogs answered 502 Bad Gateway");
        await ScreenshotAsync(page, "album.png");

        await page.ClickAsync("button:has-text('Retry')");
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("queued");
        await WaitFor.ConditionAsync(async () => await HangfireRows.StateAsync(db, job) == "Enqueued", TimeSpan.FromSeconds(30), "the failed job to run again as itself");
    }

    [Test]
    public async Task An_admin_accepts_a_needs_review_candidate_with_one_click()
    {
        var db = _service.Database.DataSource;
        var album = await DashboardSeed.AlbumAsync(db, "Radiohead", "OK Computer (Collector's Edition)", 2009);
        await DashboardSeed.SucceededJobAsync(db, album);
        // The best candidate is a master the simulator serves: accepting it fetches it first.
        var master = _service.Simulator.Catalog.Find("Radiohead", "OK Computer")!.MasterId!.Value;
        await DashboardSeed.MatchAsync(db, album, "needs_review", candidates: DashboardSeed.Candidates.Replace("4711", $"{master}"));

        var page = await LoginAsync("admin", DashboardService.AdminPassword);
        await page.GotoAsync(Url("/dashboard/review"));
        var card = page.Locator($"section.review[data-album='{album}']");
        await card.Locator("button:has-text('Accept best')").ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("chosen by hand");
        await Assertions.Expect(page.Locator($"section.review[data-album='{album}']")).ToHaveCountAsync(0);

        await using var connection = await db.OpenConnectionAsync();
        var match = await connection.QuerySingleAsync<(string Status, bool Manual, long? MasterId)>(
            "SELECT status, manual, master_id FROM album_matches WHERE album_id = @album", new { album });
        Assert.That(match, Is.EqualTo(("matched", true, (long?)master)));
    }

    [Test]
    public async Task An_admin_pastes_a_discogs_address_sees_the_release_and_saves_it_as_the_match()
    {
        var db = _service.Database.DataSource;
        var served = _service.Simulator.Catalog.Find("Radiohead", "OK Computer")!;
        var album = await DashboardSeed.AlbumAsync(db, "Radiohead", "OK Computer (Discogs spells it otherwise)", 1997);
        await DashboardSeed.SucceededJobAsync(db, album);
        await DashboardSeed.MatchAsync(db, album, "needs_review");

        var page = await LoginAsync("admin", DashboardService.AdminPassword);
        await page.GotoAsync(Url($"/dashboard/albums/{album}"));
        await page.FillAsync("#discogs-ref", $"https://www.discogs.com/release/{served.MainReleaseId}-Radiohead-OK-Computer");
        await page.ClickAsync("button:has-text('Look up on Discogs')");
        await Assertions.Expect(page.Locator(".discogs-preview .preview-title")).ToHaveTextAsync(served.Title);
        await ScreenshotAsync(page, "discogs-preview.png");

        await page.ClickAsync("button:has-text('Save this match')");
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("chosen by hand");
        await Assertions.Expect(page.Locator(".chip.genre").First).ToHaveTextAsync(served.Genres[0]);
        await ScreenshotAsync(page, "album-matched-by-hand.png");
    }

    [Test]
    public async Task An_admin_pauses_and_resumes_the_queue()
    {
        var page = await LoginAsync("admin", DashboardService.AdminPassword);
        await page.ClickAsync("#queue-toggle");
        await Assertions.Expect(page.Locator("#queue-state")).ToHaveTextAsync("Paused");
        Assert.That(await PausedAsync(), Is.True);
        await Assertions.Expect(page.Locator("#queue-toggle")).ToHaveTextAsync("Resume queue");
        await page.ClickAsync("#queue-toggle");
        await Assertions.Expect(page.Locator("#queue-state")).ToHaveTextAsync("Running");
        Assert.That(await PausedAsync(), Is.False);
    }

    [Test]
    public async Task A_read_only_user_sees_the_pages_without_any_action_buttons()
    {
        var db = _service.Database.DataSource;
        var album = await DashboardSeed.AlbumAsync(db, "Massive Attack", "Blue Lines", 1991);
        await DashboardSeed.MatchAsync(db, album, "needs_review");
        await DashboardSeed.FailedJobAsync(db, album);

        var page = await LoginAsync("reader", DashboardService.ReaderPassword);
        await Assertions.Expect(page.Locator("#queue-state")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#queue-toggle")).ToHaveCountAsync(0);
        await page.GotoAsync(Url($"/dashboard/albums/{album}"));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Blue Lines");
        await Assertions.Expect(page.Locator("main button")).ToHaveCountAsync(0);
    }

    [Test]
    public async Task A_post_without_the_antiforgery_token_is_refused_even_with_a_valid_session()
    {
        var page = await LoginAsync("admin", DashboardService.AdminPassword);
        var response = await page.APIRequest.PostAsync(Url("/api/queue"), new APIRequestContextOptions { DataObject = new { action = "pause" } });
        Assert.That(response.Status, Is.EqualTo(400));
        Assert.That(await PausedAsync(), Is.False);

        var form = await page.APIRequest.PostAsync(Url("/dashboard/queue"), new APIRequestContextOptions { Form = page.APIRequest.CreateFormData().Append("action", "pause") });
        Assert.That(form.Status, Is.EqualTo(400));
        Assert.That(await PausedAsync(), Is.False);
    }

    private string Url(string path) => new Uri(_service.BaseUrl, path).ToString();

    private async Task<IPage> LoginAsync(string user, string password)
    {
        var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1360, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Url("/dashboard"));
        await page.FillAsync("input[name=user]", user);
        await page.FillAsync("input[name=password]", password);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Overview");
        return page;
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, name);
    }

    private async Task<bool> PausedAsync()
    {
        await using var connection = await _service.Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>("SELECT paused FROM queue_state");
    }

    /// <summary>Finished jobs over the last two days so the graphs have something to draw.</summary>
    private static async Task SeedHistoryAsync(Npgsql.NpgsqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            WITH added AS (INSERT INTO albums (artist, title) SELECT 'History', 'Album ' || g FROM generate_series(1, 600) g RETURNING id)
            INSERT INTO album_job_history (album_id, state, reason, at)
            SELECT id, CASE WHEN id % 17 = 0 THEN 'failed' ELSE 'succeeded' END, 'seeded',
                   now() - make_interval(secs => (id % 600) * CASE WHEN id % 3 = 0 THEN 280 ELSE 6 END)
            FROM added;
            """);
    }

}
