using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using EnrichmentWorker.Tests.Dashboard;

namespace EnrichmentWorker.Tests.Security;

/// <summary>
/// Hangfire's dashboard at /hangfire attacked like the project's own pages: DNS rebinding against the loopback trust,
/// a foreign page's POST, a POST without the antiforgery token, and the read-only role trying to change jobs. Each
/// state-changing attempt targets a real enqueued Hangfire job and checks the job afterwards, not only the status code.
/// </summary>
public sealed partial class HangfireDashboardAttackTests
{
    private const string AttackerHost = "rebind.attacker.example";
    private DashboardService _local = null!;
    private DashboardService _remote = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _local = await DashboardService.StartAsync(trustLoopback: true);
        _remote = await DashboardService.StartAsync(trustLoopback: false);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _local.DisposeAsync();
        await _remote.DisposeAsync();
    }

    [Test]
    public async Task A_browser_that_has_not_signed_in_is_sent_to_the_sign_in_page_and_back_to_hangfire()
    {
        using var client = _remote.Client();
        using var response = await client.GetAsync("/hangfire/jobs/failed?from=0");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var location = response.Headers.Location!.OriginalString;
        Assert.That(location, Does.Contain("/dashboard/login?"));
        Assert.That(Uri.UnescapeDataString(location), Does.EndWith("=/hangfire/jobs/failed?from=0"));
    }

    [Test]
    public async Task Signing_in_from_the_redirect_returns_to_the_hangfire_page()
    {
        var (response, _) = await SignInWithReturnAsync(_remote, "/hangfire/recurring");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo("/hangfire/recurring"));
    }

    [Test]
    public async Task The_machines_own_user_on_loopback_sees_hangfire_without_signing_in()
    {
        using var response = await _local.SendAsync(HttpMethod.Get, "/hangfire", $"localhost:{_local.BaseUrl.Port}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("EnrichmentWorker jobs"));
    }

    [TestCase(AttackerHost + ":{port}")]
    [TestCase("127.0.0.1:1")]
    [TestCase("localhost.:{port}")]
    public async Task A_rebinding_host_from_loopback_gets_the_sign_in_page_not_hangfire(string host)
    {
        using var page = await _local.SendAsync(HttpMethod.Get, "/hangfire", host.Replace("{port}", _local.BaseUrl.Port.ToString(), StringComparison.Ordinal));

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(page.Headers.Location!.OriginalString, Does.Contain("/dashboard/login"));
    }

    [Test]
    public async Task A_rebinding_host_cannot_delete_a_job_even_with_a_genuine_token_pair()
    {
        var job = HangfireTestJobs.EnqueuedOtherJob(_local.Database.DataSource, 1);
        var (cookie, token) = await LoopbackTokenAsync();
        var attacker = $"{AttackerHost}:{_local.BaseUrl.Port}";

        using var delete = await _local.SendAsync(HttpMethod.Post, "/hangfire/jobs/enqueued/delete", attacker, cookie, token,
            form: new() { ["jobs[]"] = job }, origin: $"http://{attacker}");

        Assert.That(delete.StatusCode, Is.AnyOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden));
        Assert.That(await StateAsync(_local, job), Is.EqualTo("Enqueued"));
    }

    [TestCase("Origin", "http://" + AttackerHost + ":{port}")]
    [TestCase("Origin", "null")]
    [TestCase("Referer", "http://" + AttackerHost + ":{port}/hangfire")]
    public async Task A_post_with_a_loopback_host_but_a_foreign_origin_is_refused(string header, string value)
    {
        var job = HangfireTestJobs.EnqueuedOtherJob(_local.Database.DataSource, 2);
        var (cookie, token) = await LoopbackTokenAsync();
        var claimed = value.Replace("{port}", _local.BaseUrl.Port.ToString(), StringComparison.Ordinal);

        using var delete = await _local.SendAsync(HttpMethod.Post, "/hangfire/jobs/enqueued/delete", $"127.0.0.1:{_local.BaseUrl.Port}", cookie, token,
            form: new() { ["jobs[]"] = job }, origin: header == "Origin" ? claimed : null, referer: header == "Referer" ? claimed : null);

        Assert.That(delete.StatusCode, Is.AnyOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden));
        Assert.That(await StateAsync(_local, job), Is.EqualTo("Enqueued"));
    }

    [Test]
    public async Task The_loopback_user_deletes_a_job_from_hangfires_own_page()
    {
        var job = HangfireTestJobs.EnqueuedOtherJob(_local.Database.DataSource, 3);
        var (cookie, token) = await LoopbackTokenAsync();
        var self = $"localhost:{_local.BaseUrl.Port}";

        using var delete = await _local.SendAsync(HttpMethod.Post, "/hangfire/jobs/enqueued/delete", self, cookie, token,
            form: new() { ["jobs[]"] = job }, origin: $"http://{self}");

        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await StateAsync(_local, job), Is.EqualTo("Deleted"));
    }

    [Test]
    public async Task An_admins_post_without_the_antiforgery_token_is_refused_and_with_it_works()
    {
        var job = HangfireTestJobs.EnqueuedOtherJob(_remote.Database.DataSource, 4);
        var (cookie, token) = await SignedInTokenAsync("admin", DashboardService.AdminPassword);

        using var without = await _remote.SendAsync(HttpMethod.Post, "/hangfire/jobs/enqueued/delete", null, cookie, null, form: new() { ["jobs[]"] = job });
        Assert.That(without.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await StateAsync(_remote, job), Is.EqualTo("Enqueued"));

        using var forged = await _remote.SendAsync(HttpMethod.Post, "/hangfire/jobs/enqueued/delete", null, cookie, "CfDJ8-not-a-token", form: new() { ["jobs[]"] = job });
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await StateAsync(_remote, job), Is.EqualTo("Enqueued"));

        using var with = await _remote.SendAsync(HttpMethod.Post, "/hangfire/jobs/enqueued/delete", null, cookie, token, form: new() { ["jobs[]"] = job });
        Assert.That(with.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await StateAsync(_remote, job), Is.EqualTo("Deleted"));
    }

    [Test]
    public async Task The_read_only_role_sees_no_buttons_and_cannot_post_even_with_its_token()
    {
        var job = HangfireTestJobs.EnqueuedOtherJob(_remote.Database.DataSource, 5);
        var (readerCookie, readerToken) = await SignedInTokenAsync("reader", DashboardService.ReaderPassword);
        var (adminCookie, _) = await SignedInTokenAsync("admin", DashboardService.AdminPassword);

        var readerPage = await PageAsync(_remote, "/hangfire/jobs/enqueued/default", readerCookie);
        var adminPage = await PageAsync(_remote, "/hangfire/jobs/enqueued/default", adminCookie);
        var readerJob = await PageAsync(_remote, "/hangfire/jobs/details/" + job, readerCookie);
        Assert.That(adminPage, Does.Contain("js-jobs-list-command"), "the admin's list has Hangfire's bulk buttons");
        Assert.That(readerPage, Does.Not.Contain("js-jobs-list-command"));
        Assert.That(readerJob, Does.Contain(job).And.Not.Contain("data-ajax="));

        foreach (var path in new[] { "/hangfire/jobs/enqueued/delete", "/hangfire/jobs/enqueued/requeue", "/hangfire/jobs/actions/delete/" + job, "/hangfire/recurring/trigger" })
        {
            using var post = await _remote.SendAsync(HttpMethod.Post, path, null, readerCookie, readerToken, form: new() { ["jobs[]"] = job });
            Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), path);
        }

        Assert.That(await StateAsync(_remote, job), Is.EqualTo("Enqueued"));
    }

    [Test]
    public async Task The_read_only_role_still_gets_the_realtime_graphs_counters()
    {
        var (cookie, token) = await SignedInTokenAsync("reader", DashboardService.ReaderPassword);

        using var stats = await _remote.SendAsync(HttpMethod.Post, "/hangfire/stats", null, cookie, token, form: new() { ["metrics[]"] = "servers:count" });

        Assert.That(stats.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await stats.Content.ReadAsStringAsync(), Does.Contain("servers:count"));
    }

    [Test]
    public async Task A_read_only_bearer_token_may_look_and_an_unknown_one_may_not()
    {
        using var reader = _remote.Client(DashboardService.ReaderToken);
        using var stranger = _remote.Client("not-a-configured-token");

        using var allowed = await reader.GetAsync("/hangfire/jobs/enqueued");
        using var refused = await stranger.GetAsync("/hangfire/jobs/enqueued");
        using var post = await reader.PostAsync("/hangfire/jobs/enqueued/delete", new FormUrlEncodedContent(new Dictionary<string, string> { ["jobs[]"] = "1" }));

        Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Hangfire_pages_get_their_own_narrow_policy_and_the_projects_pages_keep_theirs()
    {
        using var client = _remote.Client(DashboardService.ReaderToken);
        using var hangfire = await client.GetAsync("/hangfire");
        using var dashboard = await client.GetAsync("/dashboard");

        var hangfirePolicy = hangfire.Headers.GetValues("Content-Security-Policy").Single();
        var dashboardPolicy = dashboard.Headers.GetValues("Content-Security-Policy").Single();
        Assert.That(hangfirePolicy, Does.Contain("script-src 'self';").And.Contain("frame-ancestors 'none'").And.Not.Contain("unsafe-eval"));
        Assert.That(hangfirePolicy.Replace("style-src-attr 'unsafe-inline'", "", StringComparison.Ordinal), Does.Not.Contain("unsafe-inline"));
        Assert.That(dashboardPolicy, Does.Not.Contain("unsafe-inline").And.Contain("style-src 'self';"));
        Assert.That(hangfire.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
    }

    private async Task<(string Cookie, string Token)> LoopbackTokenAsync()
    {
        using var page = await _local.SendAsync(HttpMethod.Get, "/hangfire", $"localhost:{_local.BaseUrl.Port}");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return (DashboardService.Cookies(page), CsrfToken(await page.Content.ReadAsStringAsync()));
    }

    /// <summary>Signs in and reads the token Hangfire's page hands its scripts (meta csrf-token), with the cookies that carry both.</summary>
    private async Task<(string Cookie, string Token)> SignedInTokenAsync(string user, string password)
    {
        var (signIn, formCookies) = await _remote.SignInAsync(user, password);
        var cookie = formCookies + "; " + DashboardService.Cookies(signIn);
        using var client = _remote.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        request.Headers.Add("Cookie", cookie);
        using var page = await client.SendAsync(request);
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var pageCookies = DashboardService.Cookies(page);
        return (pageCookies.Length == 0 ? cookie : cookie + "; " + pageCookies, CsrfToken(await page.Content.ReadAsStringAsync()));
    }

    private static async Task<(HttpResponseMessage Response, string Cookies)> SignInWithReturnAsync(DashboardService service, string returnUrl)
    {
        using var client = service.Client();
        using var form = await client.GetAsync("/dashboard/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var html = await form.Content.ReadAsStringAsync();
        var token = Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var posted = Regex.Match(html, "name=\"returnUrl\" value=\"([^\"]*)\"").Groups[1].Value;
        Assert.That(WebUtility.HtmlDecode(posted), Is.EqualTo(returnUrl), "the sign-in form keeps the Hangfire address");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/dashboard/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["user"] = "admin", ["password"] = DashboardService.AdminPassword, ["__RequestVerificationToken"] = token, ["returnUrl"] = WebUtility.HtmlDecode(posted),
            }),
        };
        post.Headers.Add("Cookie", DashboardService.Cookies(form));
        return (await client.SendAsync(post), DashboardService.Cookies(form));
    }

    private static string CsrfToken(string html)
    {
        var token = CsrfMeta().Match(html).Groups[1].Value;
        Assert.That(token, Is.Not.Empty, "Hangfire's page carries the antiforgery token for its scripts");
        return WebUtility.HtmlDecode(token);
    }

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\">")]
    private static partial Regex CsrfMeta();

    private static async Task<string> PageAsync(DashboardService service, string path, string cookie)
    {
        using var client = service.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string?> StateAsync(DashboardService service, string jobId)
    {
        await using var connection = await service.Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string?>("SELECT statename FROM hangfire.job WHERE id = @id", new { id = long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture) });
    }
}
