using System.Net;
using System.Text.Json;
using Dapper;

namespace EnrichmentWorker.Tests.Dashboard;

/// <summary>
/// The albums page (/dashboard/albums) and its JSON twin (/api/albums) on the real service: accent- and case-folded
/// search, outcome and genre filters, keyset paging, and hostile values kept in their place. Each test names its
/// albums with a marker of its own and searches for it, so tests sharing the service do not see each other's rows.
/// </summary>
public sealed class AlbumListTests
{
    private DashboardService _service = null!;

    [OneTimeSetUp]
    public async Task Start() => _service = await DashboardService.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    private static string Marker() => "m" + Guid.NewGuid().ToString("N")[..10];

    [TestCase("bjork")]
    [TestCase("BJÖRK")]
    [TestCase("Björk")]
    [TestCase("bjork homogenic")]
    public async Task Search_folds_accents_and_case_so_bjork_finds_Bjork(string query)
    {
        var marker = Marker();
        var album = await DashboardSeed.AlbumAsync(_service.Database.DataSource, "Björk", "Homogenic " + marker);
        await DashboardSeed.AlbumAsync(_service.Database.DataSource, "Bjarne", "Other " + marker);

        var ids = await IdsAsync($"/api/albums?q={Uri.EscapeDataString(query)}");
        var page = await PageAsync($"/dashboard/albums?q={Uri.EscapeDataString(query + " " + marker)}");

        Assert.That(ids, Does.Contain(album));
        Assert.That(page, Does.Contain($"/dashboard/albums/{album}\"").And.Contain("<bdi>Bj&#xF6;rk</bdi>"));
    }

    [Test]
    public async Task Motorhead_Sigur_Ros_and_AEnima_are_found_without_their_marks()
    {
        var marker = Marker();
        var db = _service.Database.DataSource;
        var motorhead = await DashboardSeed.AlbumAsync(db, "Motörhead", "Ace of Spades " + marker);
        var sigur = await DashboardSeed.AlbumAsync(db, "Sigur Rós", "Ágætis byrjun " + marker);
        var tool = await DashboardSeed.AlbumAsync(db, "Tool", "Ænima " + marker);

        Assert.That(await IdsAsync($"/api/albums?q=motorhead+{marker}"), Is.EqualTo(new[] { motorhead }));
        Assert.That(await IdsAsync($"/api/albums?q=agaetis+{marker}"), Is.EqualTo(new[] { sigur }));
        Assert.That(await IdsAsync($"/api/albums?q=aenima+{marker}"), Is.EqualTo(new[] { tool }));
    }

    [Test]
    public async Task A_percent_sign_in_the_search_is_text_not_a_wildcard()
    {
        var marker = Marker();
        var hundred = await DashboardSeed.AlbumAsync(_service.Database.DataSource, "Various", "100% Hits " + marker);
        await DashboardSeed.AlbumAsync(_service.Database.DataSource, "Various", "100 Hits " + marker);

        Assert.That(await IdsAsync($"/api/albums?q={Uri.EscapeDataString("100% " + marker)}"), Is.EqualTo(new[] { hundred }));
    }

    [Test]
    public async Task Each_outcome_filter_shows_only_its_albums()
    {
        var marker = Marker();
        var db = _service.Database.DataSource;
        var matched = await DashboardSeed.AlbumAsync(db, "Radiohead", "Matched " + marker);
        var review = await DashboardSeed.AlbumAsync(db, "Radiohead", "Review " + marker);
        var none = await DashboardSeed.AlbumAsync(db, "Radiohead", "None " + marker);
        var fresh = await DashboardSeed.AlbumAsync(db, "Radiohead", "Fresh " + marker);
        await DashboardSeed.MatchAsync(db, matched, "matched", 4711, 9001);
        await DashboardSeed.MatchAsync(db, review, "needs_review");
        await DashboardSeed.MatchAsync(db, none, "no_match");

        Assert.That(await IdsAsync($"/api/albums?q={marker}&outcome=matched"), Is.EqualTo(new[] { matched }));
        Assert.That(await IdsAsync($"/api/albums?q={marker}&outcome=needs-review"), Is.EqualTo(new[] { review }));
        Assert.That(await IdsAsync($"/api/albums?q={marker}&outcome=no-match"), Is.EqualTo(new[] { none }));
        Assert.That(await IdsAsync($"/api/albums?q={marker}&outcome=not-enriched"), Is.EqualTo(new[] { fresh }));
        Assert.That(await IdsAsync($"/api/albums?q={marker}"), Is.EqualTo(new[] { fresh, none, review, matched }), "newest first");
    }

    [Test]
    public async Task The_genre_filter_finds_albums_by_genre_or_style()
    {
        var marker = Marker();
        var db = _service.Database.DataSource;
        var jazz = await DashboardSeed.AlbumAsync(db, "Miles Davis", "Kind of Blue " + marker);
        var bop = await DashboardSeed.AlbumAsync(db, "Charlie Parker", "Bird " + marker);
        await DashboardSeed.AlbumAsync(db, "Slayer", "Reign in Blood " + marker);
        await using (var connection = await db.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO album_genres (album_id, genre, source, kind) VALUES
                    (@jazz, @genre, 'discogs_master', 'genre'), (@jazz, @genre, 'discogs_release', 'genre'), (@bop, @style, 'discogs_release', 'style')
                """, new { jazz, bop, genre = "Jazz" + marker, style = "Bop" + marker });
        }

        Assert.That(await IdsAsync($"/api/albums?genre=Jazz{marker}"), Is.EqualTo(new[] { jazz }), "once, though two sources say Jazz");
        Assert.That(await IdsAsync($"/api/albums?genre=Bop{marker}"), Is.EqualTo(new[] { bop }));
        Assert.That(await PageAsync($"/dashboard/albums?genre=Bop{marker}"), Does.Contain("Bird " + marker));
    }

    [Test]
    public async Task Pages_follow_each_other_by_album_id_with_no_album_twice_or_missing()
    {
        var marker = Marker();
        await using (var connection = await _service.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO albums (artist, title) SELECT 'Paged', @title || ' ' || n FROM generate_series(1, 120) n", new { title = marker });
        }

        var seen = new List<long>();
        string? after = null;
        var pages = 0;
        do
        {
            using var document = await JsonAsync($"/api/albums?q={marker}" + (after is null ? "" : "&after=" + after));
            seen.AddRange(document.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
            var next = document.RootElement.GetProperty("nextAfter");
            after = next.ValueKind == JsonValueKind.Null ? null : next.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
            pages++;
        }
        while (after is not null && pages < 10);

        Assert.That(pages, Is.EqualTo(3));
        Assert.That(seen, Has.Count.EqualTo(120).And.Unique);
        Assert.That(seen, Is.Ordered.Descending);
        var html = await PageAsync($"/dashboard/albums?q={marker}");
        Assert.That(html, Does.Contain("rel=\"next\"").And.Contain($"after={seen[49]}"));
    }

    [Test]
    public async Task A_huge_artist_is_cut_on_the_list_and_whole_on_the_album_page_and_bidi_text_is_isolated()
    {
        var marker = Marker();
        var huge = new string('A', 300_000);
        var rtl = "\u202Eevil\u202C";
        var db = _service.Database.DataSource;
        var big = await DashboardSeed.AlbumAsync(db, huge, "Long " + marker);
        var bidi = await DashboardSeed.AlbumAsync(db, rtl, "Bidi " + marker);

        var list = await PageAsync($"/dashboard/albums?q={marker}");
        var detail = await PageAsync($"/dashboard/albums/{big}");

        Assert.That(list.Length, Is.LessThan(50_000), "the list does not carry the 300,000 characters");
        Assert.That(list, Does.Contain("<bdi>" + new string('A', 120) + "&#x2026;</bdi>"));
        Assert.That(list, Does.Contain($"<bdi>{System.Text.Encodings.Web.HtmlEncoder.Default.Encode(rtl)}</bdi>"));
        Assert.That(detail, Does.Contain(huge));
        using var json = await JsonAsync($"/api/albums?q=long+{marker}");
        Assert.That(json.RootElement.GetProperty("items")[0].GetProperty("artist").GetString(), Has.Length.EqualTo(121), "the API's list lines are cut as well");
        Assert.That(bidi, Is.GreaterThan(big));
    }

    [TestCase("outcome=won")]
    [TestCase("after=-3")]
    [TestCase("after=abc")]
    [TestCase("q=%00")]
    public async Task Malformed_filters_are_refused_with_a_reason(string query)
    {
        using var client = _service.Client(DashboardService.ReaderToken);
        using var api = await client.GetAsync("/api/albums?" + query);
        using var page = await client.GetAsync("/dashboard/albums?" + query);

        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await api.Content.ReadAsStringAsync(), Does.Contain("detail"));
    }

    [Test]
    public async Task The_list_needs_a_signed_in_caller()
    {
        using var anonymous = _service.Client();
        using var api = await anonymous.GetAsync("/api/albums");
        using var page = await anonymous.GetAsync("/dashboard/albums");

        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    private async Task<long[]> IdsAsync(string path)
    {
        using var document = await JsonAsync(path);
        return [.. document.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64())];
    }

    private async Task<JsonDocument> JsonAsync(string path)
    {
        using var client = _service.Client(DashboardService.ReaderToken);
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body);
    }

    private async Task<string> PageAsync(string path)
    {
        using var client = _service.Client(DashboardService.ReaderToken);
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.Length > 2000 ? body[..2000] : body);
        return body;
    }
}
