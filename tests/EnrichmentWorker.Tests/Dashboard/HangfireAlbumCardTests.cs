using System.Net;
using Hangfire.Common;
using EnrichmentWorker.Dashboard.Hangfire;

namespace EnrichmentWorker.Tests.Dashboard;

/// <summary>
/// Each album job's page on Hangfire's dashboard shows its album and match decision (AlbumJobCard), and Hangfire's
/// navigation leads to the project's pages. Jobs are created with Hangfire's own client in the service's database.
/// </summary>
public sealed class HangfireAlbumCardTests
{
    private DashboardService _service = null!;

    [OneTimeSetUp]
    public async Task Start() => _service = await DashboardService.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    [Test]
    public async Task An_album_jobs_page_shows_the_album_its_link_and_the_match_decision()
    {
        var db = _service.Database.DataSource;
        var album = await DashboardSeed.AlbumAsync(db, "Radiohead", "OK Computer", 1997);
        await DashboardSeed.MatchAsync(db, album, "matched", 4711, 9001);
        var job = HangfireTestJobs.FailedAlbumJob(db, album, "Radiohead – OK Computer");

        var html = await PageAsync("/hangfire/jobs/details/" + job);

        Assert.That(html, Does.Contain($"<a href=\"/dashboard/albums/{album}\" id=\"album-link\">#{album}: <bdi>Radiohead</bdi> – <bdi>OK Computer</bdi></a> (1997)"));
        Assert.That(html, Does.Contain("matched</span> · score 83%"));
        Assert.That(html, Does.Contain("https://www.discogs.com/master/4711").And.Contain("https://www.discogs.com/release/9001"));
    }

    [Test]
    public async Task An_album_not_matched_yet_says_so()
    {
        var db = _service.Database.DataSource;
        var album = await DashboardSeed.AlbumAsync(db, "Björk", "Homogenic");
        var job = HangfireTestJobs.EnqueuedAlbumJob(db, album, "Björk – Homogenic");

        var html = await PageAsync("/hangfire/jobs/details/" + job);

        Assert.That(html, Does.Contain("id=\"album-card\"").And.Contain("not matched yet").And.Contain("Bj&#xF6;rk"));
    }

    [Test]
    public async Task Markup_in_an_album_is_shown_as_text_on_hangfires_page()
    {
        var db = _service.Database.DataSource;
        var album = await DashboardSeed.AlbumAsync(db, "<script>alert(1)</script>", "\"><img src=x onerror=alert(2)>");
        var job = HangfireTestJobs.EnqueuedAlbumJob(db, album, "hostile");

        var html = await PageAsync("/hangfire/jobs/details/" + job);

        Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"));
        Assert.That(html, Does.Not.Contain("<script>alert(1)").And.Not.Contain("<img src=x"));
    }

    [Test]
    public async Task A_job_of_another_type_shows_no_album()
    {
        var db = _service.Database.DataSource;
        var album = await DashboardSeed.AlbumAsync(db, "Radiohead", "Kid A");
        var job = HangfireTestJobs.EnqueuedOtherJob(db, album);

        var html = await PageAsync("/hangfire/jobs/details/" + job);

        Assert.That(html, Does.Contain("MissRecheck").And.Not.Contain("album-card"));
    }

    [Test]
    public async Task A_job_whose_album_was_deleted_says_the_album_is_gone()
    {
        var db = _service.Database.DataSource;
        var job = HangfireTestJobs.EnqueuedAlbumJob(db, 987_654_321, "gone");

        var html = await PageAsync("/hangfire/jobs/details/" + job);

        Assert.That(html, Does.Contain("Album #987654321 is no longer in the library."));
    }

    [Test]
    public void Only_the_album_jobs_first_argument_is_read_as_an_album_id()
    {
        Assert.That(EnrichmentWorker.Enrichment.AlbumEnrichmentJob.TryGetAlbumId(HangfireTestJobs.AlbumJob(42, "x"), out var id), Is.True);
        Assert.That(id, Is.EqualTo(42));
        Assert.That(EnrichmentWorker.Enrichment.AlbumEnrichmentJob.TryGetAlbumId(Job.FromExpression(() => Math.Abs(42L)), out _), Is.False);
        Assert.That(EnrichmentWorker.Enrichment.AlbumEnrichmentJob.TryGetAlbumId(null, out _), Is.False);
    }

    [Test]
    public async Task Hangfires_navigation_leads_to_the_albums_and_the_projects_pages_lead_to_hangfire()
    {
        var hangfire = await PageAsync("/hangfire");
        var dashboard = await PageAsync("/dashboard");

        Assert.That(hangfire, Does.Contain("href=\"/dashboard/albums\"").And.Contain("href=\"/dashboard/review\""));
        Assert.That(hangfire, Does.Contain("href=\"/dashboard\""), "Hangfire's back link and Overview");
        Assert.That(dashboard, Does.Contain("href=\"/hangfire\""));
    }

    private async Task<string> PageAsync(string path)
    {
        using var client = _service.Client(DashboardService.ReaderToken);
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        return body;
    }
}
