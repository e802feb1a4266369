using System.Net;
using System.Text.Json.Nodes;
using EnrichmentWorker.DiscogsSimulator;

namespace EnrichmentWorker.Tests.Simulator;

[TestFixture]
public sealed class SimulatorSearchTests : SharedSimulatorFixture
{
    private static IEnumerable<JsonObject> Results(JsonObject page) => page["results"]!.AsArray().Select(r => r!.AsObject());

    [Test]
    public async Task Artist_and_title_words_find_the_catalogue_master_first()
    {
        var album = Server.Catalog.Find("Frank Sinatra", "In The Wee Small Hours")!;

        var page = await Client.GetJsonAsync("database/search?q=Frank+Sinatra+In+The+Wee+Small+Hours&type=master");

        Assert.That((long)Results(page).First()["id"]!, Is.EqualTo(album.MasterId));
    }

    [Test]
    public async Task Artist_and_release_title_parameters_find_the_album()
    {
        var album = Server.Catalog.Find("Radiohead", "OK Computer")!;

        var page = await Client.GetJsonAsync("database/search?artist=radiohead&release_title=ok+computer&type=release");

        Assert.That(Results(page).Select(r => (long)r["id"]!), Is.EquivalentTo(album.ReleaseIds));
        Assert.That(Results(page).All(r => (long)r["master_id"]! == album.MasterId), Is.True);
    }

    [Test]
    public async Task An_accent_free_spelling_finds_the_accented_artist()
    {
        var album = Server.Catalog.Find("Björk", "Homogenic")!;

        var page = await Client.GetJsonAsync("database/search?q=bjork+homogenic&type=master");

        Assert.That((long)Results(page).First()["id"]!, Is.EqualTo(album.MasterId));
        Assert.That((string?)Results(page).First()["title"], Does.StartWith("Björk"));
    }

    [Test]
    public async Task Type_filtering_returns_only_that_type()
    {
        foreach (var type in new[] { "release", "master", "artist", "label" })
        {
            var page = await Client.GetJsonAsync($"database/search?q=columbia&type={type}&per_page=100");

            Assert.That(Results(page).Select(r => (string?)r["type"]).Distinct(), Is.EqualTo(new[] { type }), type);
        }
    }

    [Test]
    public async Task A_tribute_decoy_ranks_below_the_album_it_imitates()
    {
        var tribute = Server.Catalog.Decoys.First(d => d.Kind == CatalogAlbumKind.Tribute);
        var original = tribute.Imitates!;

        var page = await Client.GetJsonAsync($"database/search?q={Uri.EscapeDataString($"{original.Artist} {original.Title}")}&type=master");

        var ids = Results(page).Select(r => (long)r["id"]!).ToList();
        Assert.That(ids, Does.Contain(tribute.MasterId));
        Assert.That(ids.IndexOf(original.MasterId!.Value), Is.LessThan(ids.IndexOf(tribute.MasterId!.Value)));
    }

    [Test]
    public async Task A_cover_decoy_has_the_same_title_under_another_artist()
    {
        var cover = Server.Catalog.Decoys.First(d => d.Kind == CatalogAlbumKind.Cover);

        var page = await Client.GetJsonAsync($"database/search?release_title={Uri.EscapeDataString(cover.Title)}&type=master&per_page=100");

        var titles = Results(page).Select(r => (string?)r["title"]).ToList();
        Assert.That(titles, Does.Contain($"{cover.Artist} - {cover.Title}"));
        Assert.That(titles, Does.Contain($"{cover.Imitates!.DiscogsArtistNames[0]} - {cover.Title}"));
    }

    [Test]
    public async Task A_release_without_master_shows_master_id_zero_in_search()
    {
        var album = Server.Catalog.Albums.First(a => a.Kind == CatalogAlbumKind.ReleaseWithoutMaster);

        var page = await Client.GetJsonAsync($"database/search?release_title={Uri.EscapeDataString(album.Title)}&type=release&per_page=100");

        var hit = Results(page).Single(r => (long)r["id"]! == album.MainReleaseId);
        Assert.That((long)hit["master_id"]!, Is.Zero);
        Assert.That(hit["master_url"], Is.Null);
    }

    [Test]
    public async Task Catalogue_number_and_barcode_find_the_release()
    {
        var album = Server.Catalog.Find("Radiohead", "OK Computer")!;
        var release = await Client.GetJsonAsync($"releases/{album.MainReleaseId}");
        var catno = (string)release["labels"]![0]!["catno"]!;
        var barcode = (string)release["identifiers"]!.AsArray().First(i => (string?)i!["type"] == "Barcode")!["value"]!;

        var byCatno = await Client.GetJsonAsync($"database/search?catno={Uri.EscapeDataString(catno)}&type=release");
        var byBarcode = await Client.GetJsonAsync($"database/search?barcode={barcode.Replace(" ", "", StringComparison.Ordinal)}&type=release");

        Assert.That(Results(byCatno).Select(r => (long)r["id"]!), Does.Contain(album.MainReleaseId));
        Assert.That(Results(byBarcode).Select(r => (long)r["id"]!), Is.EqualTo(new[] { album.MainReleaseId }));
    }

    [Test]
    public async Task Pages_are_capped_at_ten_thousand_results_while_items_is_the_true_total()
    {
        var page = await Client.GetJsonAsync("database/search?type=release&per_page=100&page=2");

        var pagination = page["pagination"]!;
        Assert.That((int)pagination["items"]!, Is.GreaterThan(10_000));
        Assert.That((int)pagination["pages"]!, Is.EqualTo(100));
        Assert.That((int)pagination["page"]!, Is.EqualTo(2));
        Assert.That((string?)pagination["urls"]!["next"], Does.Contain("page=3"));
        Assert.That((string?)pagination["urls"]!["last"], Does.Contain("page=100"));
        Assert.That((string?)pagination["urls"]!["prev"], Does.Contain("page=1"));
        Assert.That(Results(page).Count(), Is.EqualTo(100));
    }

    [Test]
    public async Task Per_page_is_clamped_to_one_hundred_and_defaults_to_fifty()
    {
        var big = await Client.GetJsonAsync("database/search?type=master&per_page=500");
        var plain = await Client.GetJsonAsync("database/search?type=master");

        Assert.That((int)big["pagination"]!["per_page"]!, Is.EqualTo(100));
        Assert.That(Results(big).Count(), Is.EqualTo(100));
        Assert.That((int)plain["pagination"]!["per_page"]!, Is.EqualTo(50));
    }

    [Test]
    public async Task No_hit_gives_the_real_empty_shape()
    {
        var page = await Client.GetJsonAsync("database/search?q=zzqxv+nothing+like+this&per_page=10");

        var real = SimulatorTestKit.Fixture("api", "search", "lxxxvi-empty.json");
        Assert.That(JsonNode.DeepEquals(page, real), Is.True, page.ToJsonString());
    }

    [Test]
    public async Task Search_without_a_token_is_refused_with_the_real_message()
    {
        using var anonymous = SimulatorTestKit.Client(Server, token: null);

        using var response = await anonymous.GetAsync(new Uri("database/search?q=nirvana", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("{\"message\": \"You must authenticate to access this resource.\"}"));
    }

    [Test]
    public async Task A_token_in_the_query_string_is_accepted()
    {
        using var anonymous = SimulatorTestKit.Client(Server, token: null);

        using var response = await anonymous.GetAsync(new Uri($"database/search?q=nirvana&token={SimulatorTestKit.Token}", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
