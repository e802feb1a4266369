namespace EnrichmentWorker.DiscogsSimulator;

/// <summary>What a catalogue entry is on the simulated Discogs.</summary>
public enum CatalogAlbumKind
{
    /// <summary>A master with a few releases (catalogue rows with /master/N).</summary>
    Master,

    /// <summary>A release without a master (catalogue rows with /release/N): no master_id in /releases, 0 in search.</summary>
    ReleaseWithoutMaster,

    /// <summary>An album Discogs lacks (catalogue rows with no URL): nothing is served for it.</summary>
    Missing,

    /// <summary>A decoy: a "Various" tribute compilation named after a catalogue album.</summary>
    Tribute,

    /// <summary>A decoy: a cover/karaoke act's album with exactly the same title as a catalogue album.</summary>
    Cover,

    /// <summary>A decoy: an unrelated artist with the plain name of a catalogue artist who carries a " (N)" suffix.</summary>
    Namesake,
}

/// <summary>One album the simulator serves (or, for <see cref="CatalogAlbumKind.Missing"/>, deliberately does not).</summary>
/// <param name="Title">The title as Discogs holds it.</param>
/// <param name="Artist">The artist as the catalogue (albums.csv) writes it, without Discogs' " (N)" suffix.</param>
/// <param name="DiscogsArtistNames">The credited artists as the API names them, suffix included ("Air (2)").</param>
/// <param name="MasterId">The master id, or null for a release without master and for missing albums.</param>
/// <param name="MainReleaseId">The main release (for a release without master: the release itself).</param>
/// <param name="ReleaseIds">Every release served for this album, the main one first.</param>
public sealed record CatalogAlbum(
    CatalogAlbumKind Kind,
    string Title,
    string Artist,
    int? Year,
    long? MasterId,
    long? MainReleaseId,
    IReadOnlyList<long> ReleaseIds,
    IReadOnlyList<long> ArtistIds,
    IReadOnlyList<string> DiscogsArtistNames,
    IReadOnlyList<string> Genres,
    IReadOnlyList<string> Styles)
{
    /// <summary>For a decoy, the catalogue album it imitates.</summary>
    public CatalogAlbum? Imitates { get; init; }
}

/// <summary>The albums the simulator serves, for tests: the catalogue rows, the decoys and the artist name mapping.</summary>
public sealed class SimulatorCatalog
{
    internal SimulatorCatalog(
        IReadOnlyList<CatalogAlbum> albums,
        IReadOnlyList<CatalogAlbum> decoys,
        IReadOnlyDictionary<long, SimMaster> masters,
        IReadOnlyDictionary<long, SimRelease> releases,
        IReadOnlyDictionary<long, SimArtist> artists,
        IReadOnlyDictionary<long, SimLabel> labels,
        SearchIndex search)
    {
        Albums = albums;
        Decoys = decoys;
        Masters = masters;
        Releases = releases;
        ArtistsById = artists;
        LabelsById = labels;
        Search = search;
    }

    /// <summary>Every row of catalog/albums.csv, in file order (missing albums included, with Kind Missing).</summary>
    public IReadOnlyList<CatalogAlbum> Albums { get; }

    /// <summary>The tribute, cover and namesake entries added so that matching faces real ambiguity.</summary>
    public IReadOnlyList<CatalogAlbum> Decoys { get; }

    public int MasterCount => Masters.Count;

    public int ReleaseCount => Releases.Count;

    internal IReadOnlyDictionary<long, SimMaster> Masters { get; }

    internal IReadOnlyDictionary<long, SimRelease> Releases { get; }

    internal IReadOnlyDictionary<long, SimArtist> ArtistsById { get; }

    internal IReadOnlyDictionary<long, SimLabel> LabelsById { get; }

    internal SearchIndex Search { get; }

    /// <summary>The name the API gives an artist, " (N)" suffix included; null for an unknown id.</summary>
    public string? DiscogsArtistName(long artistId) => ArtistsById.TryGetValue(artistId, out var a) ? a.Name : null;

    /// <summary>The first served catalogue album with this artist (as in albums.csv) and title, case-insensitive.</summary>
    public CatalogAlbum? Find(string artist, string title) =>
        Albums.FirstOrDefault(a => a.Kind != CatalogAlbumKind.Missing
            && string.Equals(a.Artist, artist, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.Title, title, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether <c>/releases/{id}</c> would find this release (hidden releases aside).</summary>
    public bool HasRelease(long releaseId) => Releases.ContainsKey(releaseId);

    public bool HasMaster(long masterId) => Masters.ContainsKey(masterId);

    /// <summary>A release's year, country and format names, for tests that check what a client picked.</summary>
    public (int Year, string Country, IReadOnlyList<string> Formats)? DescribeRelease(long releaseId) =>
        Releases.TryGetValue(releaseId, out var r) ? (r.Year, r.Country, [.. r.Formats.Select(f => f.Name)]) : null;
}
