using System.Net;
using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using EnrichmentWorker.DiscogsSimulator;

namespace EnrichmentWorker.Tests.Dashboard;

/// <summary>
/// "Not among the candidates?": a Discogs address or id pasted on the album page (or sent to the API) is fetched
/// through the shared budget, shown, and saved as the album's manual match with its data; an id Discogs does not know
/// is refused and nothing is written. The real service, the real simulator, a browser's form posts.
/// </summary>
public sealed partial class ManualMatchByUrlTests
{
    private const long UnknownRelease = 999_999_999;
    private DashboardService _service = null!;

    [OneTimeSetUp]
    // No retries inside a call: a planned server error surfaces at once instead of after Polly's backoff.
    public async Task Start() => _service = await DashboardService.StartAsync(settings: new Dictionary<string, string?> { ["Discogs__MaxRetries"] = "0" });

    [OneTimeTearDown]
    public async Task Stop()
    {
        await File.WriteAllTextAsync(Path.Combine(TestContext.CurrentContext.WorkDirectory, "manual-match-service.log"), _service.Service.OutputText);
        await _service.DisposeAsync();
    }

    private CatalogAlbum OkComputer => _service.Simulator.Catalog.Find("Radiohead", "OK Computer")!;

    [Test]
    public async Task A_pasted_release_address_is_shown_from_discogs_and_saving_it_matches_the_album_with_its_genres()
    {
        var db = _service.Database.DataSource;
        var target = OkComputer;
        var releaseId = target.MainReleaseId!.Value;
        // Tagged the way Discogs spells it differently, so the matcher found only the wrong candidates.
        var album = await DashboardSeed.AlbumAsync(db, "Radiohead", "OK Computer OKNOTOK (Remaster)", 1997);
        await DashboardSeed.SucceededJobAsync(db, album);
        await DashboardSeed.MatchAsync(db, album, "needs_review");
        var session = await SignInAsync();

        var albumPage = await GetAsync(session, $"/dashboard/albums/{album}");
        Assert.That(albumPage, Does.Contain("Not among the candidates? Paste a Discogs URL or id"));

        var requestsBefore = ReleaseRequests(releaseId);
        var grantsSince = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var preview = await PostFormAsync(session, $"/dashboard/albums/{album}/lookup", new()
        {
            ["discogs"] = $"https://www.discogs.com/release/{releaseId}-Radiohead-OK-Computer",
            ["kind"] = "release",
        });
        var previewHtml = await preview.Content.ReadAsStringAsync();
        Assert.That(preview.StatusCode, Is.EqualTo(HttpStatusCode.OK), previewHtml);
        Assert.Multiple(() =>
        {
            Assert.That(previewHtml, Does.Contain(HtmlEncoder.Default.Encode(target.Title)));
            Assert.That(previewHtml, Does.Contain("Radiohead"));
            foreach (var genre in target.Genres.Concat(target.Styles))
            {
                Assert.That(previewHtml, Does.Contain(HtmlEncoder.Default.Encode(genre)), genre);
            }

            Assert.That(previewHtml, Does.Contain("<dt>Formats</dt>").And.Contain("<dt>Labels</dt>").And.Contain("<dt>Country</dt>"));
            Assert.That(previewHtml, Does.Contain("Save this match"));
        });
        Assert.That(await MatchOfAsync(album), Is.EqualTo(("needs_review", false, (long?)null)), "a preview writes nothing");
        Assert.That(await GenresOfAsync(album), Is.Empty);
        Assert.That(ReleaseRequests(releaseId) - requestsBefore, Is.EqualTo(1), "the preview asked Discogs once");

        var save = SaveAction().Match(previewHtml);
        Assert.That(save.Success, Is.True, "the preview has a save button");
        using var saved = await PostFormAsync(session, WebUtility.HtmlDecode(save.Groups["action"].Value), new());
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await saved.Content.ReadAsStringAsync());
        Assert.That(saved.Headers.Location?.ToString(), Does.StartWith($"/dashboard/albums/{album}?done="));

        Assert.That(await MatchOfAsync(album), Is.EqualTo(("matched", true, (long?)releaseId)));
        await using var connection = await db.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(string DecidedBy, long? MasterId, string Candidates, string Reason)>(
            "SELECT decided_by, master_id, candidates::text, reason FROM album_matches WHERE album_id = @album", new { album });
        var linked = await connection.ExecuteScalarAsync<long?>("SELECT release_id FROM album_releases WHERE album_id = @album", new { album });
        var queued = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM album_jobs WHERE album_id = @album", new { album });
        Assert.Multiple(() =>
        {
            Assert.That(row.DecidedBy, Is.EqualTo("person"));
            Assert.That(row.MasterId, Is.EqualTo(target.MasterId), "the release's master, from what Discogs answered");
            Assert.That(row.Candidates, Does.Contain("Collector"), "the candidates still explain the album");
            Assert.That(row.Reason, Does.Contain($"release {releaseId}").And.Contain(target.Title));
            Assert.That(linked, Is.EqualTo(releaseId), "the release's details are the album's");
            Assert.That(queued, Is.EqualTo(1), "queued, as a candidate pick is");
        });
        var genres = await GenresOfAsync(album);
        Assert.That(genres, Is.SupersetOf(target.Genres.Select(g => ("genre", g)).Concat(target.Styles.Select(s => ("style", s)))));

        var after = await GetAsync(session, saved.Headers.Location!.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(after, Does.Contain("chosen by hand"));
            Assert.That(after, Does.Contain($"release/{releaseId} ↗"));
            foreach (var genre in target.Genres)
            {
                Assert.That(after, Does.Contain($"<span class=\"chip genre\">{HtmlEncoder.Default.Encode(genre)}</span>"), genre);
            }
        });

        // Through the client, so through the shared budget: the budget granted the requests, the simulator saw the token.
        var asked = _service.Simulator.Requests.Snapshot().Where(r => r.PathAndQuery == $"/releases/{releaseId}").ToList();
        Assert.That(asked, Has.Count.EqualTo(requestsBefore + 2), "one request for the preview, one for the save");
        Assert.That(asked, Has.All.Matches<RecordedRequest>(r => r.Authenticated && r.Status == 200));
        Assert.That(await GrantsSinceAsync(grantsSince), Is.GreaterThanOrEqualTo(2), "the budget granted both");
    }

    [Test]
    public async Task A_release_discogs_does_not_have_is_refused_on_the_page_and_nothing_is_written()
    {
        var db = _service.Database.DataSource;
        var album = await DashboardSeed.AlbumAsync(db, "Radiohead", "Kid A", 2000);
        await DashboardSeed.SucceededJobAsync(db, album);
        await DashboardSeed.MatchAsync(db, album, "needs_review");
        var session = await SignInAsync();

        using var lookup = await PostFormAsync(session, $"/dashboard/albums/{album}/lookup", new() { ["discogs"] = $"[r{UnknownRelease}]", ["kind"] = "master" });
        var html = await lookup.Content.ReadAsStringAsync();
        Assert.That(lookup.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), html);
        Assert.That(html, Does.Contain($"Discogs has no release {UnknownRelease}"));
        Assert.That(html, Does.Not.Contain("Save this match"));

        // The save address posted directly (a stale preview, a hand-made form) is refused the same way.
        using var save = await PostFormAsync(session, $"/dashboard/albums/{album}/match?kind=release&id={UnknownRelease}", new());
        Assert.That(save.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(await save.Content.ReadAsStringAsync(), Does.Contain($"Discogs has no release {UnknownRelease}"));

        Assert.That(await MatchOfAsync(album), Is.EqualTo(("needs_review", false, (long?)null)));
        Assert.That(await QueuedAsync(album), Is.Zero);
        Assert.That(_service.Simulator.Requests.Snapshot().Count(r => r.PathAndQuery == $"/releases/{UnknownRelease}" && r.Status == 404), Is.GreaterThanOrEqualTo(2), "Discogs was asked");
    }

    [Test]
    public async Task Pasted_text_that_is_no_discogs_address_is_refused_with_what_is_accepted_and_shown_back_escaped()
    {
        var db = _service.Database.DataSource;
        var album = await DashboardSeed.AlbumAsync(db, "Radiohead", "Amnesiac", 2001);
        var session = await SignInAsync();
        var requests = _service.Simulator.Requests.Count;

        using var lookup = await PostFormAsync(session, $"/dashboard/albums/{album}/lookup", new() { ["discogs"] = "\"><script>alert(1)</script>", ["kind"] = "release" });
        var html = await lookup.Content.ReadAsStringAsync();

        Assert.That(lookup.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(html, Does.Contain("discogs.com/release/123-Artist-Title"), "says what is accepted");
        Assert.That(html, Does.Not.Contain("<script>alert(1)</script>"));
        Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"));
        Assert.That(_service.Simulator.Requests.Count, Is.EqualTo(requests), "Discogs was not asked");
    }

    [Test]
    public async Task The_api_refuses_a_release_id_discogs_does_not_have_and_writes_nothing()
    {
        var db = _service.Database.DataSource;
        var album = await DashboardSeed.AlbumAsync(db, "Radiohead", "Hail To The Thief", 2003);
        await DashboardSeed.SucceededJobAsync(db, album);
        await DashboardSeed.MatchAsync(db, album, "needs_review");
        using var client = _service.Client(DashboardService.AdminToken);

        using var response = await client.PostAsJsonAsync($"/api/albums/{album}/match", new { kind = "release", id = UnknownRelease });

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), problem.ToString());
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain($"Discogs has no release {UnknownRelease}"));
        Assert.That(await MatchOfAsync(album), Is.EqualTo(("needs_review", false, (long?)null)));
        Assert.That(await QueuedAsync(album), Is.Zero);
    }

    [TestCase(FaultKind.Unauthorized, "Discogs rejected the token")]
    [TestCase(FaultKind.ServerError, "Discogs could not be reached")]
    public async Task Discogs_failing_gives_a_message_on_the_page_and_the_api_and_nothing_is_written(FaultKind fault, string message)
    {
        var db = _service.Database.DataSource;
        var release = OkComputer.ReleaseIds[^1];
        var album = await DashboardSeed.AlbumAsync(db, "Radiohead", $"OK Computer ({fault})", 1997);
        await DashboardSeed.SucceededJobAsync(db, album);
        await DashboardSeed.MatchAsync(db, album, "needs_review");
        var session = await SignInAsync();

        _service.Simulator.Faults.Add(fault, 1, $"/releases/{release}");
        using var lookup = await PostFormAsync(session, $"/dashboard/albums/{album}/lookup", new() { ["discogs"] = $"r{release}" });
        var html = await lookup.Content.ReadAsStringAsync();
        _service.Simulator.Faults.Add(fault, 1, $"/releases/{release}");
        using var api = await _service.Client(DashboardService.AdminToken).PostAsJsonAsync($"/api/albums/{album}/match", new { discogs = $"r{release}" });
        var problem = await api.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Multiple(() =>
        {
            Assert.That(lookup.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), html);
            Assert.That(html, Does.Contain(message).And.Contain("Nothing was saved"));
            Assert.That(html, Does.Not.Contain("Save this match").And.Not.Contain("test-token"));
            Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), problem.ToString());
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(message).And.Not.Contain("test-token"));
        });
        Assert.That(await MatchOfAsync(album), Is.EqualTo(("needs_review", false, (long?)null)));
        Assert.That(await QueuedAsync(album), Is.Zero);
    }

    [Test]
    public async Task A_rate_limit_wait_longer_than_a_person_waits_gives_a_message_and_nothing_is_written()
    {
        // Its own service: the 429 blocks that service's whole budget for the simulator's Retry-After (60 s).
        await using var service = await DashboardService.StartAsync();
        var db = service.Database.DataSource;
        var release = service.Simulator.Catalog.Find("Radiohead", "OK Computer")!.MainReleaseId!.Value;
        var album = await DashboardSeed.AlbumAsync(db, "Radiohead", "OK Computer", 1997);
        await DashboardSeed.SucceededJobAsync(db, album);
        service.Simulator.Faults.Add(FaultKind.RateLimited, 1, $"/releases/{release}");

        using var api = await service.Client(DashboardService.AdminToken).PostAsJsonAsync($"/api/albums/{album}/match", new { kind = "release", id = release });

        var problem = await api.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), problem.ToString());
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("Discogs is rate limiting this IP until").And.Contain("Nothing was saved"));
        await using var connection = await db.OpenConnectionAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM album_matches WHERE album_id = @album", new { album }), Is.Zero);
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM album_jobs WHERE album_id = @album", new { album }), Is.Zero);
    }

    [Test]
    public async Task The_api_takes_a_master_address_and_records_the_masters_genres_and_styles()
    {
        var db = _service.Database.DataSource;
        var target = OkComputer;
        var album = await DashboardSeed.AlbumAsync(db, "Radiohead", "OK Computer OKNOTOK", 2017);
        using var client = _service.Client(DashboardService.AdminToken);

        using var response = await client.PostAsJsonAsync($"/api/albums/{album}/match", new { discogs = $"https://www.discogs.com/master/{target.MasterId}-Radiohead-OK-Computer" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        await using var connection = await db.OpenConnectionAsync();
        var match = await connection.QuerySingleAsync<(string Status, bool Manual, long? MasterId, long? ReleaseId)>(
            "SELECT status, manual, master_id, release_id FROM album_matches WHERE album_id = @album", new { album });
        var master = await connection.ExecuteScalarAsync<string?>("SELECT title FROM discogs_masters WHERE id = @id", new { id = target.MasterId });
        var sources = await connection.QueryAsync<string>("SELECT DISTINCT source FROM album_genres WHERE album_id = @album", new { album });
        Assert.Multiple(() =>
        {
            Assert.That(match, Is.EqualTo(("matched", true, target.MasterId, (long?)null)));
            Assert.That(master, Is.EqualTo(target.Title));
            Assert.That(sources, Is.EqualTo(new[] { "discogs_master" }));
        });
        Assert.That(await GenresOfAsync(album), Is.SupersetOf(target.Genres.Select(g => ("genre", g))));
        Assert.That(await QueuedAsync(album), Is.EqualTo(1));
    }

    [GeneratedRegex("<form method=\"post\" action=\"(?<action>[^\"]+/match\\?[^\"]+)\"")]
    private static partial Regex SaveAction();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenField();

    private int ReleaseRequests(long releaseId) => _service.Simulator.Requests.Snapshot().Count(r => r.PathAndQuery == $"/releases/{releaseId}");

    private sealed record Session(string Cookies, string Token);

    /// <summary>An administrator's browser: the session cookie, and the form token a page of the dashboard carries.</summary>
    private async Task<Session> SignInAsync()
    {
        var (signIn, cookies) = await _service.SignInAsync("admin", DashboardService.AdminPassword);
        using (signIn)
        {
            Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            var session = cookies + "; " + DashboardService.Cookies(signIn);
            using var client = _service.Client();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard");
            request.Headers.Add("Cookie", session);
            using var page = await client.SendAsync(request);
            var token = TokenField().Match(await page.Content.ReadAsStringAsync()).Groups["token"].Value;
            var refreshed = DashboardService.Cookies(page);
            return new Session(refreshed.Length == 0 ? session : session + "; " + refreshed, token);
        }
    }

    private async Task<string> GetAsync(Session session, string path)
    {
        using var client = _service.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", session.Cookies);
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<HttpResponseMessage> PostFormAsync(Session session, string path, Dictionary<string, string> fields)
    {
        using var client = _service.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = session.Token }),
        };
        request.Headers.Add("Cookie", session.Cookies);
        return await client.SendAsync(request);
    }

    private async Task<(string Status, bool Manual, long? ReleaseId)> MatchOfAsync(long album)
    {
        await using var connection = await _service.Database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(string, bool, long?)>(
            "SELECT status, manual, release_id FROM album_matches WHERE album_id = @album", new { album });
    }

    private async Task<List<(string Kind, string Genre)>> GenresOfAsync(long album)
    {
        await using var connection = await _service.Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<(string, string)>("SELECT kind, genre FROM album_genres WHERE album_id = @album", new { album })).AsList();
    }

    private async Task<long> QueuedAsync(long album)
    {
        await using var connection = await _service.Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM album_jobs WHERE album_id = @album", new { album });
    }

    private async Task<long> GrantsSinceAsync(DateTimeOffset since)
    {
        await using var connection = await _service.Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM discogs_budget, unnest(recent_grants) AS g WHERE g >= @since", new { since });
    }
}
