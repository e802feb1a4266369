using EnrichmentWorker.DiscogsSimulator;

namespace EnrichmentWorker.Tests.Simulator;

/// <summary>The catalogue built from albums.csv: counts, id ranges, " (N)" suffixes and decoys.</summary>
[TestFixture]
public sealed class SimulatorCatalogTests
{
    private DiscogsSimulatorServer _server = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions());

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    [Test]
    public void Every_catalogue_row_is_an_album_of_its_kind()
    {
        var albums = _server.Catalog.Albums;
        var lines = File.ReadAllLines(SimulatorTestKit.DataPath("catalog", "albums.csv")).Count(l => l.Length > 0);

        Assert.That(albums, Has.Count.EqualTo(lines));
        Assert.That(albums.Count(a => a.Kind == CatalogAlbumKind.Master), Is.GreaterThan(3_000));
        Assert.That(albums.Count(a => a.Kind == CatalogAlbumKind.ReleaseWithoutMaster), Is.GreaterThan(100));
        Assert.That(albums.Where(a => a.Kind == CatalogAlbumKind.Missing).All(a => a.ReleaseIds.Count == 0 && a.MasterId is null), Is.True);
    }

    [Test]
    public void Generated_release_ids_are_deterministic_and_far_from_real_ids()
    {
        var album = _server.Catalog.Find("Radiohead", "OK Computer")!;

        Assert.That(album.MasterId, Is.EqualTo(21491));
        Assert.That(album.MainReleaseId, Is.EqualTo(900_000_000 + (21491 * 8)));
        Assert.That(album.ReleaseIds, Has.Count.InRange(2, 4));
        var years = album.ReleaseIds.Select(id => _server.Catalog.DescribeRelease(id)!.Value.Year).ToList();
        Assert.That(years[0], Is.EqualTo(1997));
        Assert.That(years.Skip(1).Any(y => y > 1997), Is.True, "a later reissue exists");
    }

    [Test]
    public void Some_artists_carry_a_discogs_number_suffix_and_a_namesake_exists()
    {
        var suffixed = _server.Catalog.Albums.Where(a => a.DiscogsArtistNames.Any(n => n.EndsWith(" (2)", StringComparison.Ordinal))).ToList();
        var namesakes = _server.Catalog.Decoys.Where(d => d.Kind == CatalogAlbumKind.Namesake).ToList();

        Assert.That(suffixed, Is.Not.Empty);
        Assert.That(namesakes, Is.Not.Empty);
        var namesake = namesakes[0];
        Assert.That(namesake.Imitates!.DiscogsArtistNames, Does.Contain($"{namesake.Artist} (2)"));
    }

    [Test]
    public void Popular_albums_have_tribute_and_cover_decoys()
    {
        var decoys = _server.Catalog.Decoys;

        Assert.That(decoys.Count(d => d.Kind == CatalogAlbumKind.Tribute), Is.GreaterThan(50));
        Assert.That(decoys.Count(d => d.Kind == CatalogAlbumKind.Cover), Is.GreaterThan(50));
        Assert.That(decoys.Where(d => d.Kind == CatalogAlbumKind.Tribute).All(d => d.DiscogsArtistNames.SequenceEqual(["Various"])), Is.True);
        Assert.That(decoys.Where(d => d.Kind == CatalogAlbumKind.Cover).All(d => d.Title == d.Imitates!.Title), Is.True);
    }
}
