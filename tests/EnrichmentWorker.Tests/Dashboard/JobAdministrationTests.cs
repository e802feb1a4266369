using Dapper;
using EnrichmentWorker.Dashboard;
using EnrichmentWorker.Jobs;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Dashboard;

/// <summary>The set-based job actions on the database directly, and the password hashes.</summary>
public sealed class JobAdministrationTests
{
    [Test]
    public async Task Requeue_skips_an_album_that_already_has_a_live_job_instead_of_failing_the_whole_statement()
    {
        await using var db = await TestDatabase.CreateAsync();
        var album = await DashboardSeed.AlbumAsync(db.DataSource, "Air", "Moon Safari", 1998);
        var old = await DashboardSeed.SucceededJobAsync(db.DataSource, album);
        var other = await DashboardSeed.SucceededJobAsync(db.DataSource, await DashboardSeed.AlbumAsync(db.DataSource, "Air", "Talkie Walkie", 2004));
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO enrichment_jobs (album_id) VALUES (@album)", new { album }); // a live job already
        }

        var affected = await new JobAdministration(db.DataSource).ApplyAsync(JobAction.Requeue, JobSelection.Of(old, other), "tester", CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(affected, Is.EqualTo(1));
            Assert.That((await AlbumRows.JobAsync(db.DataSource, old)).State, Is.EqualTo("succeeded"));
            Assert.That((await AlbumRows.JobAsync(db.DataSource, other)).State, Is.EqualTo("enqueued"));
        });
    }

    [Test]
    public async Task Retry_takes_only_the_newest_failed_job_of_an_album()
    {
        await using var db = await TestDatabase.CreateAsync();
        var album = await DashboardSeed.AlbumAsync(db.DataSource, "Low", "Things We Lost in the Fire", 2001);
        var first = await DashboardSeed.FailedJobAsync(db.DataSource, album);
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO enrichment_jobs (album_id) VALUES (@album)", new { album });
        }

        var second = await DashboardSeed.FailedJobAsync(db.DataSource, album);
        var affected = await new JobAdministration(db.DataSource).ApplyAsync(JobAction.Retry, JobSelection.Matching(new JobFilter(JobState.Failed, "Low Things")), "tester", CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(affected, Is.EqualTo(1));
            Assert.That((await AlbumRows.JobAsync(db.DataSource, first)).State, Is.EqualTo("failed"));
            Assert.That((await AlbumRows.JobAsync(db.DataSource, second)).State, Is.EqualTo("enqueued"));
        });
    }

    [Test]
    public void A_search_text_with_like_wildcards_is_taken_literally() =>
        Assert.That(new JobFilter(JobState.Failed, " 100%_a\\b ").Pattern, Is.EqualTo(@"%100\%\_a\\b%"));

    [Test]
    public void A_password_hash_verifies_only_its_own_password()
    {
        var hash = PasswordHash.Create("s3cret");
        Assert.Multiple(() =>
        {
            Assert.That(hash, Does.StartWith("pbkdf2-sha256$210000$").And.Not.Contain("s3cret"));
            Assert.That(PasswordHash.Verify("s3cret", hash), Is.True);
            Assert.That(PasswordHash.Verify("s3cret ", hash), Is.False);
            Assert.That(PasswordHash.Verify("s3cret", "pbkdf2-sha256$210000$bad$hash"), Is.False);
            Assert.That(PasswordHash.IsWellFormed("plain-text-password"), Is.False);
        });
    }
}

/// <summary>The default: a request from the machine itself acts as admin; one relayed by a proxy does not.</summary>
public sealed class LoopbackTrustTests
{
    [Test]
    public async Task A_local_request_needs_no_login_but_a_forwarded_one_does()
    {
        await using var service = await DashboardService.StartAsync(trustLoopback: true);
        using var client = service.Client();
        using var local = await client.GetAsync("/dashboard");
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, "/dashboard");
        forwarded.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var relayed = await client.SendAsync(forwarded);
        using var post = await client.PostAsync("/api/queue", new StringContent("""{"action":"pause"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Multiple(async () =>
        {
            Assert.That(local.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
            Assert.That(await local.Content.ReadAsStringAsync(), Does.Contain("Pause queue"));
            Assert.That(relayed.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Redirect));
            Assert.That(post.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.BadRequest), "the loopback trust is ambient: it still needs the antiforgery token");
        });
    }
}
