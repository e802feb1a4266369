using System.Globalization;
using EnrichmentWorker.Discogs.Models;
using EnrichmentWorker.Matching;

namespace EnrichmentWorker.Discogs;

/// <summary>
/// <see cref="IDiscogsSearch"/> over the Discogs client: maps search hits, releases and masters into
/// <see cref="MatchCandidate"/>. Each call is one request; 404 becomes null; other errors propagate unchanged.
/// </summary>
public sealed class DiscogsCandidateSearch(DiscogsClient client) : IDiscogsSearch
{
    public async Task<IReadOnlyList<MatchCandidate>> SearchAsync(CandidateSearch search, CancellationToken cancellationToken)
    {
        var page = await client.SearchAsync(new DiscogsSearchQuery
        {
            Type = search.Type switch
            {
                CandidateKind.Master => "master",
                CandidateKind.Release => "release",
                _ => null,
            },
            Query = search.Query,
            Artist = search.Artist,
            ReleaseTitle = search.ReleaseTitle,
            Year = search.Year,
            CatalogNumber = search.CatalogNumber,
            Barcode = search.Barcode,
            PerPage = Math.Clamp(search.PerPage, 1, 100),
        }, cancellationToken);

        return [.. page.Results
            .Where(r => r.Type is "master" or "release")
            .Select(r => FromSearchResult(r, search.Artist))];
    }

    public async Task<MatchCandidate?> GetReleaseAsync(long releaseId, CancellationToken cancellationToken) =>
        await client.GetReleaseAsync(releaseId, cancellationToken) is { } release ? FromRelease(release) : null;

    public async Task<MatchCandidate?> GetMasterAsync(long masterId, CancellationToken cancellationToken) =>
        await client.GetMasterAsync(masterId, cancellationToken) is { } master ? FromMaster(master) : null;

    public async Task<ArtistNames?> GetArtistNamesAsync(long artistId, CancellationToken cancellationToken) =>
        await client.GetArtistAsync(artistId, cancellationToken) is { } artist ? FromArtist(artist) : null;

    internal static ArtistNames FromArtist(DiscogsArtist artist) => new(
        artist.Id,
        artist.Name,
        [.. (artist.Namevariations ?? []).Concat((artist.Aliases ?? []).Select(static a => a.Name)).Where(static n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.Ordinal)]);

    internal static MatchCandidate FromSearchResult(DiscogsSearchResult result, string? searchedArtist)
    {
        var isMaster = result.Type == "master";
        var (artist, title) = SearchTitle.Split(result.Title, searchedArtist);
        return new MatchCandidate
        {
            Kind = isMaster ? CandidateKind.Master : CandidateKind.Release,
            Id = result.Id,
            MasterId = isMaster ? result.Id : result.MasterId is > 0 ? result.MasterId : null,
            Title = title,
            Artists = artist is null ? [] : [artist],
            Year = ParseYear(result.Year),
            Genres = result.Genre ?? [],
            Styles = result.Style ?? [],
            Formats = result.Format ?? [],
            Labels = result.Label ?? [],
            CatalogNumbers = string.IsNullOrWhiteSpace(result.Catno) || result.Catno == "none" ? [] : [result.Catno],
            Barcodes = result.Barcode ?? [],
            Country = NullIfEmpty(result.Country),
            CoverImageUrl = NullIfEmpty(result.CoverImage),
            ThumbnailUrl = NullIfEmpty(result.Thumb),
        };
    }

    internal static MatchCandidate FromRelease(DiscogsRelease release) => new()
    {
        Kind = CandidateKind.Release,
        Id = release.Id,
        MasterId = release.MasterId is > 0 ? release.MasterId : null,
        Title = release.Title,
        Artists = [.. release.Artists.Select(a => a.Name)],
        ArtistIds = [.. release.Artists.Select(a => a.Id)],
        Year = release.Year is > 0 ? release.Year : null,
        Genres = release.Genres ?? [],
        Styles = release.Styles ?? [],
        Formats = [.. (release.Formats ?? []).SelectMany(f => (IEnumerable<string>)[f.Name, .. f.Descriptions ?? []]).Where(f => f.Length > 0).Distinct()],
        Labels = [.. (release.Labels ?? []).Select(l => l.Name).Distinct()],
        CatalogNumbers = [.. (release.Labels ?? []).Select(l => l.Catno).OfType<string>().Where(c => c.Length > 0 && c != "none").Distinct()],
        Barcodes = [.. (release.Identifiers ?? []).Where(i => i.Type == "Barcode").Select(i => i.Value).OfType<string>().Distinct()],
        Country = NullIfEmpty(release.Country),
        CoverImageUrl = PrimaryImage(release.Images)?.Uri is { Length: > 0 } uri ? uri : null,
        ThumbnailUrl = NullIfEmpty(release.Thumb),
    };

    internal static MatchCandidate FromMaster(DiscogsMaster master) => new()
    {
        Kind = CandidateKind.Master,
        Id = master.Id,
        MasterId = master.Id,
        Title = master.Title,
        Artists = [.. master.Artists.Select(a => a.Name)],
        ArtistIds = [.. master.Artists.Select(a => a.Id)],
        Year = master.Year is > 0 ? master.Year : null,
        MasterYear = master.Year is > 0 ? master.Year : null,
        Genres = master.Genres ?? [],
        Styles = master.Styles ?? [],
        CoverImageUrl = PrimaryImage(master.Images)?.Uri is { Length: > 0 } uri ? uri : null,
        ThumbnailUrl = PrimaryImage(master.Images)?.Uri150 is { Length: > 0 } thumb ? thumb : null,
        MainReleaseId = master.MainRelease is > 0 ? master.MainRelease : null,
    };

    private static DiscogsImage? PrimaryImage(IReadOnlyList<DiscogsImage>? images) =>
        images?.FirstOrDefault(i => i.Type == "primary") ?? images?.FirstOrDefault();

    private static int? ParseYear(string? year) =>
        int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>Splits a search hit's "Artist - Title".</summary>
internal static class SearchTitle
{
    private const string Separator = " - ";

    /// <summary>
    /// Search hits have no artist field: the title reads "Artist - Title", and either side may contain " - " itself
    /// ("Official Bootleg - Live", an artist called "X - Y"). When the searched artist is a prefix (ignoring case,
    /// Discogs' " (N)" suffix and the "*" of a name variation), split right after it; otherwise split on the first
    /// " - ", which is right far more often than the last (titles carry dashes more often than artist names do).
    /// </summary>
    public static (string? Artist, string Title) Split(string title, string? searchedArtist)
    {
        if (!string.IsNullOrWhiteSpace(searchedArtist))
        {
            var wanted = searchedArtist.Trim();
            for (var at = title.IndexOf(Separator, StringComparison.Ordinal); at > 0; at = title.IndexOf(Separator, at + 1, StringComparison.Ordinal))
            {
                if (string.Equals(Plain(title[..at]), Plain(wanted), StringComparison.OrdinalIgnoreCase))
                {
                    return (title[..at], title[(at + Separator.Length)..]);
                }
            }
        }

        var first = title.IndexOf(Separator, StringComparison.Ordinal);
        return first > 0 ? (title[..first], title[(first + Separator.Length)..]) : (null, title);
    }

    /// <summary>"Air (2)*" → "Air": the decorations Discogs adds to a name.</summary>
    private static string Plain(string artist)
    {
        var name = artist.Trim().TrimEnd('*').TrimEnd();
        if (name.EndsWith(')'))
        {
            var open = name.LastIndexOf(" (", StringComparison.Ordinal);
            if (open > 0 && name[(open + 2)..^1].All(char.IsAsciiDigit) && name.Length - open > 3)
            {
                name = name[..open];
            }
        }

        return name;
    }
}
