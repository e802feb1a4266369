using System.Text.Json;
using EnrichmentWorker.Discogs.Models;

namespace EnrichmentWorker.Tests.Discogs;

/// <summary>Every recorded Discogs response parses with the model of its endpoint, and the fields that matter come through.</summary>
public sealed class DiscogsModelTests
{
    private static IEnumerable<TestCaseData> EveryResponseFile() =>
        Directory.EnumerateFiles(DiscogsData.ApiDirectory, "*.json", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".headers.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(Path.GetRelativePath(DiscogsData.ApiDirectory, f)).SetArgDisplayNames(Path.GetRelativePath(DiscogsData.ApiDirectory, f)));

    [TestCaseSource(nameof(EveryResponseFile))]
    public void Every_recorded_response_parses_with_the_model_of_its_folder(string file)
    {
        var json = DiscogsData.Body(file);
        var folder = Path.GetDirectoryName(file)!;
        var name = Path.GetFileName(file);
        object? parsed = folder switch
        {
            "search" => JsonSerializer.Deserialize(json, DiscogsJsonContext.Default.DiscogsSearchPage),
            "releases" => JsonSerializer.Deserialize(json, DiscogsJsonContext.Default.DiscogsRelease),
            "masters" => JsonSerializer.Deserialize(json, DiscogsJsonContext.Default.DiscogsMaster),
            "versions" when name.Contains("-page", StringComparison.Ordinal) => JsonSerializer.Deserialize(json, DiscogsJsonContext.Default.DiscogsMasterVersionsPage),
            "versions" => JsonSerializer.Deserialize(json, DiscogsJsonContext.Default.DiscogsMasterVersion),
            "artists" => JsonSerializer.Deserialize(json, DiscogsJsonContext.Default.DiscogsArtist),
            "artist-releases" => JsonSerializer.Deserialize(json, DiscogsJsonContext.Default.DiscogsArtistReleasesPage),
            "labels" => JsonSerializer.Deserialize(json, DiscogsJsonContext.Default.DiscogsLabel),
            "marketplace" when name.StartsWith("price-suggestions", StringComparison.Ordinal) => JsonSerializer.Deserialize(json, DiscogsJsonContext.Default.DictionaryStringDiscogsPrice),
            "marketplace" => JsonSerializer.Deserialize(json, DiscogsJsonContext.Default.DiscogsMarketplaceStats),
            "errors" => JsonSerializer.Deserialize(json, DiscogsJsonContext.Default.DiscogsErrorBody),
            _ => throw new AssertionException($"No model for the folder '{folder}': add one to this test."),
        };

        Assert.That(parsed, Is.Not.Null);
        switch (parsed)
        {
            case DiscogsSearchPage page:
                Assert.That(page.Pagination.Page, Is.GreaterThanOrEqualTo(1));
                Assert.That(page.Results, Has.All.Matches<DiscogsSearchResult>(r => r.Id > 0 && r.Title.Length > 0 && r.Type.Length > 0));
                break;
            case DiscogsRelease release:
                Assert.That(release.Id, Is.GreaterThan(0));
                Assert.That(release.Title, Is.Not.Empty);
                Assert.That(release.Artists, Is.Not.Empty.And.All.Matches<DiscogsArtistCredit>(a => a.Name.Length > 0));
                Assert.That(release.Year, Is.Not.Null);
                break;
            case DiscogsMaster master:
                Assert.That(master.Id, Is.GreaterThan(0));
                Assert.That(master.Title, Is.Not.Empty);
                Assert.That(master.MainRelease, Is.GreaterThan(0));
                Assert.That(master.Year, Is.GreaterThan(1900));
                break;
            case DiscogsMasterVersionsPage versions:
                Assert.That(versions.Versions, Is.Not.Empty.And.All.Matches<DiscogsMasterVersion>(v => v.Id > 0 && v.Title.Length > 0));
                break;
            case DiscogsMasterVersion version:
                Assert.That(version.Id, Is.GreaterThan(0));
                break;
            case DiscogsArtist artist:
                Assert.That(artist.Id, Is.GreaterThan(0));
                Assert.That(artist.Name, Is.Not.Empty);
                break;
            case DiscogsArtistReleasesPage artistReleases:
                Assert.That(artistReleases.Releases, Is.Not.Empty.And.All.Matches<DiscogsArtistRelease>(r => r.Id > 0));
                break;
            case DiscogsLabel label:
                Assert.That(label.Id, Is.GreaterThan(0));
                Assert.That(label.Name, Is.Not.Empty);
                break;
            case DiscogsMarketplaceStats stats:
                Assert.That(stats.NumForSale, Is.GreaterThan(0));
                Assert.That(stats.LowestPrice?.Value, Is.GreaterThan(0m));
                break;
            case Dictionary<string, DiscogsPrice> suggestions:
                Assert.That(suggestions["Mint (M)"].Value, Is.EqualTo(16.625m));
                break;
            case DiscogsErrorBody error:
                Assert.That(error.Message, Is.Not.Empty);
                break;
        }
    }

    [Test]
    public void Search_years_are_strings_and_master_ids_may_be_missing_null_or_zero()
    {
        var nirvana = Parse("search/official-search-nevermind-nirvana.json", DiscogsJsonContext.Default.DiscogsSearchPage);
        Assert.That(nirvana.Pagination, Has.Property("Items").EqualTo(198).And.Property("Pages").EqualTo(66));
        Assert.That(nirvana.Results[0].Year, Is.EqualTo("2005"));
        Assert.That(nirvana.Results[2].Year, Is.Null);
        Assert.That(nirvana.Results[2].Barcode, Is.EqualTo(new[] { "5 034504 843646" }));
        Assert.That(nirvana.Results[0].Label, Is.EqualTo(new[] { "Eagle Vision", "Rajon Vision", "Classic Albums" }));
        Assert.That(nirvana.Results[0].MasterId, Is.Null);

        var zero = Parse("search/lxxxvi-hsh005.json", DiscogsJsonContext.Default.DiscogsSearchPage);
        Assert.That(zero.Results.Select(r => r.MasterId), Is.All.EqualTo(0));

        var masters = Parse("search/damidhagor-master.json", DiscogsJsonContext.Default.DiscogsSearchPage);
        Assert.That(masters.Results[0], Has.Property("Type").EqualTo("master").And.Property("MasterId").EqualTo(208731));
        Assert.That(masters.Results[0].Title, Is.EqualTo("Jensen (2) - Hammerfall"));

        var capped = Parse("search/kalli-discogssearchresponse.json", DiscogsJsonContext.Default.DiscogsSearchPage);
        Assert.That(capped.Pagination, Has.Property("Pages").EqualTo(1000).And.Property("Items").EqualTo(890761));
        Assert.That(capped.Results, Has.Count.EqualTo(50));
    }

    [Test]
    public void Legacy_search_bodies_with_a_label_string_and_relative_urls_parse()
    {
        var page = Parse("search/joalla-search-q-trash80-per-page-50-page-1.json", DiscogsJsonContext.Default.DiscogsSearchPage);
        var icarus = page.Results.First(r => r.Id == 1743771);
        Assert.That(icarus.Label, Is.EqualTo(new[] { "8bitpeoples" }));
        Assert.That(icarus.ResourceUrl, Is.EqualTo("/releases/1743771"));
        Assert.That(page.Results[0].Thumb, Is.Null);
    }

    [Test]
    public void Releases_carry_year_as_a_number_credits_with_anv_and_join_and_prices()
    {
        var radiohead = Parse("releases/release-1348271.json", DiscogsJsonContext.Default.DiscogsRelease);
        Assert.That(radiohead.Year, Is.EqualTo(1997));
        Assert.That(radiohead.MasterId, Is.EqualTo(21491));
        Assert.That(radiohead.Artists.Select(a => (a.Name, a.Anv, a.Join)), Is.EqualTo(new[] { ("Radiohead", "", "="), ("Radiohead", "レディオヘッド", "") }));
        Assert.That(radiohead.LowestPrice, Is.EqualTo(9.9m));

        var dune = Parse("releases/release-35300.json", DiscogsJsonContext.Default.DiscogsRelease);
        Assert.That(dune.Artists[0].Name, Is.EqualTo("Dune (3)"));

        var okComputer = Parse("releases/release-105704.json", DiscogsJsonContext.Default.DiscogsRelease);
        Assert.That(okComputer.Community?.Rating, Has.Property("Count").EqualTo(459).And.Property("Average").EqualTo(4.56m));
        Assert.That(okComputer.Identifiers!.Where(i => i.Type == "Barcode").Select(i => i.Value), Does.Contain("724385522925"));
        Assert.That(okComputer.Tracklist![0], Has.Property("Title").EqualTo("Airbag").And.Property("Type").EqualTo("track").And.Property("Duration").EqualTo("4:44"));
        Assert.That(okComputer.Labels![0], Has.Property("Name").EqualTo("Capitol Records").And.Property("Catno").EqualTo("CDP 7243 8 55229 2 5"));
        Assert.That(okComputer.Extraartists, Is.Not.Empty);

        var noMaster = Parse("releases/release-2221110-david.json", DiscogsJsonContext.Default.DiscogsRelease);
        Assert.That(noMaster.MasterId, Is.Null);
        Assert.That(noMaster.Images![0].Uri, Is.Empty);

        var unknownYear = Parse("releases/release-718218.json", DiscogsJsonContext.Default.DiscogsRelease);
        Assert.That(unknownYear.Year, Is.Zero);

        var legacy = Parse("releases/release-1-joalla.json", DiscogsJsonContext.Default.DiscogsRelease);
        Assert.That(legacy.LowestPrice, Is.Null);
        Assert.That(legacy.ResourceUrl, Is.EqualTo("/releases/1"));
        Assert.That(legacy.Artists[0].Name, Is.EqualTo("Persuader, The"));
    }

    [Test]
    public void Marketplace_stats_lowest_price_is_an_object_with_integer_or_decimal_value()
    {
        var official = Parse("marketplace/official-stats.json", DiscogsJsonContext.Default.DiscogsMarketplaceStats);
        Assert.That(official.LowestPrice, Has.Property("Value").EqualTo(2.09m).And.Property("Currency").EqualTo("USD"));
        Assert.That(official.BlockedFromSale, Is.False);
        var whole = Parse("marketplace/joalla-stats.json", DiscogsJsonContext.Default.DiscogsMarketplaceStats);
        Assert.That(whole.LowestPrice?.Value, Is.EqualTo(100m));

        var nothingForSale = JsonSerializer.Deserialize("""{"lowest_price": null, "num_for_sale": 0, "blocked_from_sale": false}""", DiscogsJsonContext.Default.DiscogsMarketplaceStats);
        Assert.That(nothingForSale!.LowestPrice, Is.Null);
    }

    [Test]
    public void Masters_name_their_main_release()
    {
        var okComputer = Parse("masters/master-21491.json", DiscogsJsonContext.Default.DiscogsMaster);
        Assert.That(okComputer, Has.Property("Title").EqualTo("OK Computer").And.Property("Year").EqualTo(1997).And.Property("MainRelease").EqualTo(2317517));
        Assert.That(okComputer.Genres, Is.Not.Empty);
    }

    private static T Parse<T>(string file, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(DiscogsData.Body(file), type) ?? throw new AssertionException(file + " parsed as null");
}
