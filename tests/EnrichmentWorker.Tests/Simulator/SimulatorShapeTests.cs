using System.Text.Json.Nodes;
using EnrichmentWorker.DiscogsSimulator;

namespace EnrichmentWorker.Tests.Simulator;

/// <summary>Every simulated response carries the keys the real API sends (compared with the recorded files).</summary>
[TestFixture]
public sealed class SimulatorShapeTests : SharedSimulatorFixture
{
    private CatalogAlbum OkComputer => Server.Catalog.Find("Radiohead", "OK Computer")!;

    [Test]
    public async Task A_release_has_every_key_of_a_recorded_release_with_a_master()
    {
        var release = await Client.GetJsonAsync($"releases/{OkComputer.MainReleaseId}");

        AssertKeys(release, SimulatorTestKit.Fixture("api", "releases", "release-35300.json"), "releases");
        Assert.That(release["year"]!.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.Number));
        Assert.That((long)release["master_id"]!, Is.EqualTo(OkComputer.MasterId));
        Assert.That(release["identifiers"]!.AsArray().Any(i => (string?)i!["type"] == "Barcode"), Is.True);
        Assert.That((string?)release["labels"]![0]!["catno"], Is.Not.Empty);
        Assert.That(release["formats"]![0]!["descriptions"]!.AsArray(), Is.Not.Empty);
    }

    [Test]
    public async Task A_release_without_master_has_no_master_id_key_like_the_real_one()
    {
        var album = Server.Catalog.Albums.First(a => a.Kind == CatalogAlbumKind.ReleaseWithoutMaster);

        var release = await Client.GetJsonAsync($"releases/{album.MainReleaseId}");

        var real = SimulatorTestKit.Fixture("api", "releases", "release-6990537-lxxxvi.json");
        Assert.That(real.ContainsKey("master_id"), Is.False, "the fixture is the masterless example");
        Assert.That(release.ContainsKey("master_id"), Is.False);
        Assert.That(release.ContainsKey("master_url"), Is.False);
        AssertKeys(release, real, "releases");
    }

    [Test]
    public async Task A_master_has_every_key_of_a_recorded_master()
    {
        var master = await Client.GetJsonAsync($"masters/{OkComputer.MasterId}");

        AssertKeys(master, SimulatorTestKit.Fixture("api", "masters", "master-21491.json"), "masters");
        Assert.That((long)master["main_release"]!, Is.EqualTo(OkComputer.MainReleaseId));
        Assert.That((int)master["year"]!, Is.EqualTo(1997));
        Assert.That(master["artists"]![0]!.AsObject().Select(p => p.Key), Is.SupersetOf(new[] { "name", "anv", "join", "role", "tracks", "id", "resource_url" }));
    }

    [Test]
    public async Task Search_results_have_the_keys_of_recorded_results_and_year_as_a_string()
    {
        var releases = await Client.GetJsonAsync("database/search?q=radiohead+ok+computer&type=release");
        var masters = await Client.GetJsonAsync("database/search?q=radiohead+ok+computer&type=master");

        var realRelease = SimulatorTestKit.Fixture("api", "search", "damidhagor-release.json")["results"]![0]!.AsObject();
        var realMaster = SimulatorTestKit.Fixture("api", "search", "damidhagor-master.json")["results"]![0]!.AsObject();
        AssertKeys(releases["results"]![0]!.AsObject(), realRelease, "search");
        AssertKeys(masters["results"]![0]!.AsObject(), realMaster, "search");
        Assert.That(releases["results"]![0]!["year"]!.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.String));
        Assert.That((string?)masters["results"]![0]!["title"], Is.EqualTo("Radiohead - OK Computer"));
        Assert.That(releases["pagination"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "page", "pages", "per_page", "items", "urls" }));
    }

    [Test]
    public async Task Versions_artists_labels_and_marketplace_stats_have_the_recorded_keys()
    {
        var versions = await Client.GetJsonAsync($"masters/{OkComputer.MasterId}/versions");
        var realVersions = SimulatorTestKit.Fixture("api", "versions", "damidhagor-master-156551-versions-page.json");
        AssertKeys(versions, realVersions, "versions");
        AssertKeys(versions["versions"]![0]!.AsObject(), realVersions["versions"]![0]!.AsObject(), "versions");
        Assert.That(versions["versions"]!.AsArray(), Has.Count.EqualTo(OkComputer.ReleaseIds.Count));

        var artist = await Client.GetJsonAsync($"artists/{OkComputer.ArtistIds[0]}");
        AssertKeys(artist, SimulatorTestKit.Fixture("api", "artists", "artist-10263.json"), "artists", except: ["aliases", "members"]);

        var labelId = (long)(await Client.GetJsonAsync($"releases/{OkComputer.MainReleaseId}"))["labels"]![0]!["id"]!;
        var label = await Client.GetJsonAsync($"labels/{labelId}");
        AssertKeys(label, SimulatorTestKit.Fixture("api", "labels", "label-821.json"), "labels", except: ["parent_label"]);

        var stats = await Client.GetJsonAsync($"marketplace/stats/{OkComputer.MainReleaseId}");
        AssertKeys(stats, SimulatorTestKit.Fixture("api", "marketplace", "official-stats.json"), "marketplace");

        var works = await Client.GetJsonAsync($"artists/{OkComputer.ArtistIds[0]}/releases");
        Assert.That(works["releases"]!.AsArray().Select(w => (long)w!["id"]!), Does.Contain(OkComputer.MasterId!.Value));
    }

    [Test]
    public async Task Identity_names_the_user_of_a_valid_token()
    {
        var identity = await Client.GetJsonAsync("oauth/identity");

        Assert.That(identity.Select(p => p.Key), Is.EquivalentTo(new[] { "id", "username", "resource_url", "consumer_name" }));
        Assert.That((string?)identity["username"], Is.EqualTo(Server.Options.IdentityUsername));
    }

    [Test]
    public async Task Unauthenticated_entity_responses_have_empty_image_urls()
    {
        using var anonymous = SimulatorTestKit.Client(Server, token: null);

        var release = await anonymous.GetJsonAsync($"releases/{OkComputer.MainReleaseId}");
        var authenticated = await Client.GetJsonAsync($"releases/{OkComputer.MainReleaseId}");

        Assert.That((string?)release["images"]![0]!["uri"], Is.Empty);
        Assert.That((string?)release["images"]![0]!["uri150"], Is.Empty);
        Assert.That((string?)authenticated["images"]![0]!["uri"], Does.StartWith("https://"));
    }

    /// <summary>Ours has every key of the real file (minus the listed ones) and no key that no real file of that kind has.</summary>
    private static void AssertKeys(JsonObject ours, JsonObject real, string folder, string[]? except = null)
    {
        var ourKeys = ours.Select(p => p.Key).ToHashSet();
        var expected = real.Select(p => p.Key).Except(except ?? []).ToList();
        Assert.That(ourKeys, Is.SupersetOf(expected), $"keys missing compared with the real {folder} response");
        var known = KnownKeys(folder);
        Assert.That(ourKeys.Where(k => !known.Contains(k)), Is.Empty, $"keys no real {folder} response has");
    }

    private static HashSet<string> KnownKeys(string folder)
    {
        var keys = new HashSet<string>();
        foreach (var file in Directory.GetFiles(SimulatorTestKit.DataPath("api", folder), "*.json").Where(f => !f.EndsWith(".headers.json", StringComparison.Ordinal)))
        {
            Collect(JsonNode.Parse(File.ReadAllText(file)), keys);
        }

        return keys;
    }

    private static void Collect(JsonNode? node, HashSet<string> keys)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    keys.Add(key);
                    Collect(value, keys);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, keys);
                }

                break;
        }
    }
}
