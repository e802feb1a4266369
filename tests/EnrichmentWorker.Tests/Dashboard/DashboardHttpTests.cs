using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;

using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Dashboard;

/// <summary>The dashboard and API over HTTP, against the real service binary: routing, errors, roles, antiforgery, headers.</summary>
public sealed class DashboardHttpTests
{
    private DashboardService _service = null!;

    [OneTimeSetUp]
    public async Task Start() => _service = await DashboardService.StartAsync();

    [OneTimeTearDown]
    public async Task Stop()
    {
        await File.WriteAllTextAsync(Path.Combine(TestContext.CurrentContext.WorkDirectory, "dashboard-service.log"), _service.Service.OutputText);
        await _service.DisposeAsync();
    }

    [Test]
    public async Task The_dashboard_address_is_printed_on_start_and_the_root_redirects_to_it()
    {
        var dashboardUrl = new Uri(_service.BaseUrl, "/dashboard").ToString();

        using var root = await _service.Client().GetAsync(new Uri("/", UriKind.Relative));

        Assert.That(_service.Service.OutputText, Does.Contain("Dashboard: " + dashboardUrl));
        Assert.That(_service.Service.OutputText, Does.Not.Contain("dbug:"), "the default log level is Information");
        Assert.That(root.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(root.Headers.Location?.ToString(), Is.EqualTo("/dashboard"));
    }

    [Test]
    public async Task Every_response_carries_the_security_headers()
    {
        using var client = _service.Client(DashboardService.ReaderToken);
        foreach (var path in new[] { "/dashboard", "/api/overview", "/dashboard/albums/999999999", "/dashboard/login", "/dashboard/no-such-page", "/api/no-such-endpoint" })
        {
            using var response = await client.GetAsync(path);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Multiple(() =>
            {
                Assert.That(csp, Does.Contain("script-src 'self'").And.Contain("frame-ancestors 'none'").And.Not.Contain("unsafe-inline"), path);
                Assert.That(response.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"), path);
                Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"), path);
                Assert.That(response.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"), path);
            });
        }
    }

    [Test]
    public async Task A_remote_caller_without_credentials_gets_the_login_page_or_401()
    {
        using var client = _service.Client();
        using var page = await client.GetAsync("/dashboard/jobs");
        using var api = await client.GetAsync("/api/jobs");
        Assert.Multiple(() =>
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(page.Headers.Location!.ToString(), Does.Contain("/dashboard/login"));
            Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }

    [Test]
    public async Task A_wrong_bearer_token_is_refused()
    {
        using var client = _service.Client("not-a-token");
        using var response = await client.GetAsync("/api/overview");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("/dashboard/albums/987654321", HttpStatusCode.NotFound)]
    [TestCase("/dashboard/jobs/987654321", HttpStatusCode.NotFound)]
    [TestCase("/api/jobs/987654321", HttpStatusCode.NotFound)]
    [TestCase("/api/albums/987654321/enrichment", HttpStatusCode.NotFound)]
    [TestCase("/dashboard/review?after=x", HttpStatusCode.BadRequest)]
    [TestCase("/api/review?after=0.5", HttpStatusCode.BadRequest)]
    [TestCase("/api/review?after=NaN_5", HttpStatusCode.BadRequest)]
    [TestCase("/api/review?after=0.5_-5", HttpStatusCode.BadRequest)]
    [TestCase("/api/review?after=0.5_5", HttpStatusCode.OK)]
    [TestCase("/dashboard/albums/abc", HttpStatusCode.NotFound)]
    [TestCase("/dashboard/albums/99999999999999999999", HttpStatusCode.NotFound)]
    [TestCase("/dashboard/no-such-page", HttpStatusCode.NotFound)]
    [TestCase("/api/no-such-endpoint", HttpStatusCode.NotFound)]
    [TestCase("/api/albums/abc/enrichment", HttpStatusCode.NotFound)]
    public async Task Bad_input_gives_a_plain_4xx_never_a_500(string path, HttpStatusCode expected)
    {
        using var client = _service.Client(DashboardService.ReaderToken);
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(expected), body);
            Assert.That(body, Is.Not.Empty, "a page or a problem document that says what was wrong");
            Assert.That(body, Does.Not.Contain("   at ").And.Not.Contain("Exception"));
        });
    }

    [TestCase("/dashboard/queue", "application/json", """{"action":"pause"}""")]
    [TestCase("/dashboard/queue", "application/x-www-form-urlencoded", "action=pause&reason=a%00b")]
    [TestCase("/dashboard/login", "text/plain", "user=admin")]
    [TestCase("/dashboard/albums/1/rematch?overwriteManual=maybe", "application/x-www-form-urlencoded", "")]
    [TestCase("/api/albums/1/rematch?overwriteManual=maybe", "application/json", "{}")]
    [TestCase("/api/queue", "application/json", """{"action":"pause","reason":"a\u0000b"}""")]
    public async Task A_malformed_post_from_an_admin_is_a_400_that_changes_nothing(string path, string contentType, string body)
    {
        using var client = _service.Client(DashboardService.AdminToken);
        using var response = await client.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, contentType));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
            Assert.That(text, Is.Not.Empty.And.Not.Contain("Exception"));
        });
        Assert.That(await PausedAsync(), Is.False);
    }

    [Test]
    public async Task A_read_only_token_sees_everything_and_changes_nothing()
    {
        var album = await DashboardSeed.AlbumAsync(_service.Database.DataSource, "Portishead", "Dummy", 1994);
        var job = await DashboardSeed.FailedJobAsync(_service.Database.DataSource, album);
        using var client = _service.Client(DashboardService.ReaderToken);
        using var read = await client.GetAsync($"/api/albums/{album}/enrichment");
        using var retry = await client.PostAsync($"/api/albums/{album}/retry", null);
        using var pause = await client.PostAsJsonAsync("/api/queue", new { action = "pause" });
        using var page = await client.GetAsync($"/dashboard/albums/{album}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(pause.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(html, Does.Contain("Dummy").And.Not.Contain("<button"));
        });
        Assert.That(await HangfireRows.StateAsync(_service.Database.DataSource, job), Is.EqualTo("Failed"));
    }

    [Test]
    public async Task An_actions_notice_is_shown_after_its_redirect_but_a_crafted_link_cannot_put_words_on_the_page()
    {
        using var client = _service.Client(DashboardService.AdminToken);
        using var crafted = await client.GetAsync(new Uri("/dashboard?done=Session+expired%3A+sign+in+again+at+evil.example", UriKind.Relative));
        Assert.That(await crafted.Content.ReadAsStringAsync(), Does.Not.Contain("evil.example").And.Not.Contain("class=\"notice\""));

        using var pause = await client.PostAsync(new Uri("/dashboard/queue", UriKind.Relative), new FormUrlEncodedContent([new("action", "pause")]));
        Assert.That(pause.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        using var after = await client.GetAsync(pause.Headers.Location);
        var page = await after.Content.ReadAsStringAsync();
        using var resume = await client.PostAsync(new Uri("/dashboard/queue", UriKind.Relative), new FormUrlEncodedContent([new("action", "resume")]));

        Assert.That(page, Does.Contain("class=\"notice\""));
        Assert.That(pause.Headers.Location!.OriginalString, Does.Contain("done=").And.Not.Contain("paus"), "the notice travels protected, not as readable text");
    }

    [Test]
    public async Task A_logged_in_post_without_the_antiforgery_token_is_refused()
    {
        var (cookie, token) = await LoginAsync("admin", DashboardService.AdminPassword);
        using var client = _service.Client();
        using var without = new HttpRequestMessage(HttpMethod.Post, "/api/queue") { Content = JsonContent.Create(new { action = "pause" }) };
        without.Headers.Add("Cookie", cookie);
        using var refused = await client.SendAsync(without);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await PausedAsync(), Is.False);

        using var with = new HttpRequestMessage(HttpMethod.Post, "/api/queue") { Content = JsonContent.Create(new { action = "pause", reason = "maintenance" }) };
        with.Headers.Add("Cookie", cookie);
        with.Headers.Add("X-CSRF-TOKEN", token);
        using var accepted = await client.SendAsync(with);
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await accepted.Content.ReadAsStringAsync());
        Assert.That(await PausedAsync(), Is.True);

        using var resume = new HttpRequestMessage(HttpMethod.Post, "/api/queue") { Content = JsonContent.Create(new { action = "resume" }) };
        resume.Headers.Add("Authorization", "Bearer " + DashboardService.AdminToken); // a bearer client needs no antiforgery token
        using var resumed = await client.SendAsync(resume);
        Assert.That(resumed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await PausedAsync(), Is.False);
    }

    /// <summary>Every state-changing route the service has (pages, JSON API, album intake), with a body each would accept.</summary>
    private static readonly (string Path, string ContentType, string Body)[] StateChangingRoutes =
    [
        ("/dashboard/queue", "application/x-www-form-urlencoded", "action=pause"),
        ("/dashboard/albums/1/retry", "application/x-www-form-urlencoded", ""),
        ("/dashboard/albums/1/match?kind=none", "application/x-www-form-urlencoded", ""),
        ("/dashboard/albums/1/lookup", "application/x-www-form-urlencoded", "discogs=r1"),
        ("/dashboard/logout", "application/x-www-form-urlencoded", ""),
        ("/api/queue", "application/json", """{"action":"pause"}"""),
        ("/api/albums/1/rematch", "application/json", "{}"),
        ("/api/albums/1/match", "application/json", """{"kind":"none"}"""),
        ("/api/albums", "application/json", """[{"artist":"Forged","title":"Request"}]"""),
    ];

    [Test]
    public async Task Every_state_changing_route_refuses_an_admin_session_without_the_antiforgery_token()
    {
        var (cookie, _) = await LoginAsync("admin", DashboardService.AdminPassword);
        using var client = _service.Client();
        foreach (var (path, contentType, body) in StateChangingRoutes)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, contentType) };
            request.Headers.Add("Cookie", cookie);
            using var response = await client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), path);
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("antiforgery token"), path);
        }

        Assert.That(await PausedAsync(), Is.False);
    }

    [Test]
    public async Task A_read_only_session_with_a_valid_antiforgery_token_changes_nothing()
    {
        var (cookie, token) = await LoginAsync("reader", DashboardService.ReaderPassword);
        using var client = _service.Client();
        foreach (var (path, contentType, body) in StateChangingRoutes.Where(r => r.Path != "/dashboard/logout"))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, contentType) };
            request.Headers.Add("Cookie", cookie);
            request.Headers.Add("X-CSRF-TOKEN", token);
            using var response = await client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), path);
        }

        Assert.That(await PausedAsync(), Is.False);
    }

    [Test]
    public async Task A_wrong_password_does_not_log_in()
    {
        var (cookie, _) = await LoginAsync("admin", "guess", expectSuccess: false);
        Assert.That(cookie, Is.Empty);
    }

    [Test]
    public async Task Retrying_a_failed_album_runs_its_own_hangfire_job_again_and_never_makes_a_second_one()
    {
        var db = _service.Database.DataSource;
        var album = await DashboardSeed.AlbumAsync(db, "Radiohead", "Kid A", 2000);
        var job = await DashboardSeed.FailedJobAsync(db, album);
        var other = await DashboardSeed.FailedJobAsync(db, await DashboardSeed.AlbumAsync(db, "Massive Attack", "Mezzanine"));
        using var client = _service.Client(DashboardService.AdminToken);

        using var first = await client.PostAsync($"/api/albums/{album}/retry", null);
        using var again = await client.PostAsync($"/api/albums/{album}/retry", null);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await WaitFor.ConditionAsync(async () => await HangfireRows.StateAsync(db, job) == "Enqueued", TimeSpan.FromSeconds(30), "the failed job to be enqueued again");
        var live = await HangfireRows.LiveJobsPerAlbumAsync(db);
        await using var connection = await db.OpenConnectionAsync();
        var history = (await connection.QueryAsync<string>("SELECT reason FROM album_job_history WHERE album_id = @album ORDER BY id", new { album })).AsList();
        Assert.Multiple(async () =>
        {
            Assert.That(live[album], Is.EqualTo(1), "one live Hangfire job for the album, the same one");
            Assert.That(await connection.ExecuteScalarAsync<long>("SELECT hangfire_job_id FROM album_jobs WHERE album_id = @album", new { album }), Is.EqualTo(job));
            Assert.That(history, Has.Some.EqualTo("retry requested by admin-script"));
            Assert.That(await HangfireRows.StateAsync(db, other), Is.EqualTo("Failed"), "another album's failed job is left alone");
        });
    }

    [Test]
    public async Task Re_matching_an_album_with_no_live_job_queues_it_and_an_unknown_action_is_a_404()
    {
        var db = _service.Database.DataSource;
        var album = await DashboardSeed.AlbumAsync(db, "Björk", "Post", 1995);
        var done = await DashboardSeed.SucceededJobAsync(db, album);
        using var client = _service.Client(DashboardService.AdminToken);

        using var rematch = await client.PostAsync($"/api/albums/{album}/rematch", null);
        using var unknown = await client.PostAsync($"/api/albums/{album}/explode", null);
        using var missing = await client.PostAsync("/api/albums/99999999/rematch", null);

        Assert.That(rematch.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var next = await HangfireRows.JobOfAlbumAsync(db, album);
        Assert.That(next, Is.Not.EqualTo(done), "a new Hangfire job, since the last one finished");
        Assert.That((await HangfireRows.LiveJobsPerAlbumAsync(db))[album], Is.EqualTo(1));
    }

    [Test]
    public async Task Choosing_a_candidate_by_hand_writes_a_manual_decision_and_queues_the_album()
    {
        var db = _service.Database.DataSource;
        // The candidates name a release the simulator serves: the choice is fetched before it is written.
        var served = _service.Simulator.Catalog.Find("Radiohead", "OK Computer")!;
        var release = served.MainReleaseId!.Value;
        var album = await DashboardSeed.AlbumAsync(db, "Radiohead", "OK Computer");
        await DashboardSeed.SucceededJobAsync(db, album);
        await DashboardSeed.MatchAsync(db, album, "needs_review", candidates: DashboardSeed.Candidates.Replace("9001", $"{release}").Replace("4711", $"{served.MasterId}"));
        using var client = _service.Client(DashboardService.AdminToken);
        using var response = await client.PostAsJsonAsync($"/api/albums/{album}/match", new { kind = "release", id = release });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());

        await using var connection = await db.OpenConnectionAsync();
        var match = await connection.QuerySingleAsync<(string Status, bool Manual, string DecidedBy, long? MasterId, long? ReleaseId, string Candidates)>(
            "SELECT status, manual, decided_by, master_id, release_id, candidates::text FROM album_matches WHERE album_id = @album", new { album });
        var live = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM album_jobs WHERE album_id = @album", new { album });
        Assert.Multiple(() =>
        {
            Assert.That(match.Status, Is.EqualTo("matched"));
            Assert.That(match.Manual, Is.True);
            Assert.That(match.DecidedBy, Is.EqualTo("person"));
            Assert.That(match.MasterId, Is.EqualTo(served.MasterId));
            Assert.That(match.ReleaseId, Is.EqualTo(release));
            Assert.That(match.Candidates, Does.Contain("Collector"), "the candidates still explain the album");
            Assert.That(live, Is.EqualTo(1), "queued to fetch the chosen release");
        });
    }

    [Test]
    public async Task The_album_enrichment_api_returns_tags_decision_candidates_and_discogs_data()
    {
        var db = _service.Database.DataSource;
        var album = await DashboardSeed.AlbumAsync(db, "Radiohead", "OK Computer");
        await DashboardSeed.SucceededJobAsync(db, album);
        await DashboardSeed.MatchAsync(db, album, "matched", 4711, 9001);
        await DashboardSeed.EnrichmentAsync(db, album);
        using var client = _service.Client(DashboardService.ReaderToken);
        var body = await client.GetFromJsonAsync<JsonElement>($"/api/albums/{album}/enrichment");
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("album").GetProperty("title").GetString(), Is.EqualTo("OK Computer"));
            Assert.That(body.GetProperty("album").GetProperty("source_key").GetString(), Is.Not.Empty, "the album as GET /api/albums/{id} names its fields");
            Assert.That(body.GetProperty("match").GetProperty("candidates").GetArrayLength(), Is.EqualTo(3));
            Assert.That(body.GetProperty("match").GetProperty("candidates")[1].GetProperty("scores").GetProperty("total").GetDouble(), Is.EqualTo(0.83).Within(0.001));
            Assert.That(body.GetProperty("release").GetProperty("lowestPrice").GetDecimal(), Is.EqualTo(31.50m));
            Assert.That(body.GetProperty("labels")[0].GetProperty("catalogNumber").GetString(), Is.EqualTo("NODATA 02"));
            Assert.That(body.GetProperty("genres").GetArrayLength(), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task The_needs_review_list_puts_the_highest_scoring_album_first_and_pages_through_each_once()
    {
        var db = _service.Database.DataSource;
        long[] mine;
        await using (var connection = await db.OpenConnectionAsync())
        {
            // 130 albums over 3 pages (page size 50): scores with ties, and a few without a score, which go last.
            mine = [.. await connection.QueryAsync<long>("""
                WITH added AS (
                    INSERT INTO albums (artist, title) SELECT 'Reviewer', 'Album ' || g FROM generate_series(1, 130) g RETURNING id)
                INSERT INTO album_matches (album_id, status, reason_code, reason, score, candidates, mode)
                SELECT id, 'needs_review', 'ambiguous', 'close call', CASE WHEN id % 13 = 0 THEN NULL ELSE (id * 7 % 40) / 100.0 + 0.5 END, '[]', 'genres'
                FROM added
                RETURNING album_id
                """)];
        }

        using var client = _service.Client(DashboardService.ReaderToken);
        var seen = new List<(long AlbumId, float Score)>();
        string? after = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>("/api/review" + (after is null ? "" : "?after=" + Uri.EscapeDataString(after)));
            seen.AddRange(page.GetProperty("albums").EnumerateArray().Select(a => (
                a.GetProperty("albumId").GetInt64(),
                a.GetProperty("score").ValueKind == JsonValueKind.Null ? -1f : a.GetProperty("score").GetSingle())));
            after = page.GetProperty("nextAfter").GetString();
        }
        while (after is not null);

        var expected = seen.OrderByDescending(r => r.Score).ThenByDescending(r => r.AlbumId).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(seen.Select(r => r.AlbumId), Is.Unique);
            Assert.That(seen.Select(r => r.AlbumId).Intersect(mine), Is.EquivalentTo(mine));
            Assert.That(seen, Is.EqualTo(expected), "highest score first; equal scores by album id; no score last");
            Assert.That(seen[0].Score, Is.EqualTo(0.89f).Within(0.0001));
        });
    }

    private async Task<bool> PausedAsync()
    {
        await using var connection = await _service.Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>("SELECT paused FROM queue_state");
    }

    /// <summary>Logs in through the form as a browser would; returns the cookies to send and a header token for scripts.</summary>
    private async Task<(string Cookie, string Token)> LoginAsync(string user, string password, bool expectSuccess = true)
    {
        var (signIn, cookies) = await _service.SignInAsync(user, password);
        using var response = signIn;
        if (!expectSuccess)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            return ("", "");
        }

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await response.Content.ReadAsStringAsync());
        var session = cookies + "; " + DashboardService.Cookies(response);
        using var client = _service.Client();
        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/antiforgery");
        api.Headers.Add("Cookie", session);
        using var tokens = await client.SendAsync(api);
        var body = await tokens.Content.ReadFromJsonAsync<JsonElement>();
        return (session + "; " + DashboardService.Cookies(tokens), body.GetProperty("token").GetString()!);
    }
}
