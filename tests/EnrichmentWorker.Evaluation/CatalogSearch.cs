using System.Globalization;
using System.Text;
using EnrichmentWorker.Matching;

namespace EnrichmentWorker.Evaluation;

/// <summary>
/// DEV AID, not the evaluation: an in-memory <see cref="IDiscogsSearch"/> over the catalogue, used until the Discogs
/// simulator and the client's adapter are available (and with <c>--in-memory</c>). It imitates Discogs search
/// loosely: every query word must occur in the field it names (accents folded, punctuation ignored), masters and
/// releases both, releases of a master carry its id, a few one-word artists carry a " (2)" suffix as on Discogs.
/// </summary>
public sealed class CatalogSearch : IDiscogsSearch
{
    /// <summary>Release ids synthesised for a master's main release: master id plus this offset.</summary>
    public const long SyntheticReleaseOffset = 100_000_000;

    // Names Discogs disambiguates; the catalogue's names were read without the suffix.
    private static readonly HashSet<string> Numbered = new(StringComparer.OrdinalIgnoreCase) { "AIR", "Low", "Spoon", "Suicide", "Television", "Free", "Love", "Yes", "Chicago", "Boston", "Ghost" };

    private readonly List<(MatchCandidate Candidate, string[] ArtistWords, string[] TitleWords)> entries = [];

    public CatalogSearch(IEnumerable<CatalogAlbum> catalog)
    {
        foreach (var album in catalog.Where(static a => a.InDiscogs))
        {
            var artist = Numbered.Contains(album.Artist) ? album.Artist + " (2)" : album.Artist;
            var artistWords = Words(album.Artist);
            var titleWords = Words(album.Title);
            if (album.Kind == CandidateKind.Master)
            {
                var master = new MatchCandidate
                {
                    Kind = CandidateKind.Master,
                    Id = album.Id!.Value,
                    MasterId = album.Id,
                    Title = album.Title.Trim(),
                    Artists = [artist],
                    Year = album.Year,
                    Genres = album.Genres,
                    Styles = album.Styles,
                    MainReleaseId = album.Id + SyntheticReleaseOffset,
                };
                entries.Add((master, artistWords, titleWords));
                entries.Add((master with { Kind = CandidateKind.Release, Id = album.Id.Value + SyntheticReleaseOffset, MasterYear = album.Year }, artistWords, titleWords));
            }
            else
            {
                entries.Add((new MatchCandidate
                {
                    Kind = CandidateKind.Release,
                    Id = album.Id!.Value,
                    Title = album.Title.Trim(),
                    Artists = [artist],
                    Year = album.Year,
                    Genres = album.Genres,
                    Styles = album.Styles,
                }, artistWords, titleWords));
            }
        }
    }

    public Task<IReadOnlyList<MatchCandidate>> SearchAsync(CandidateSearch search, CancellationToken cancellationToken)
    {
        var artist = Words(search.Artist);
        var title = Words(search.ReleaseTitle);
        var query = Words(search.Query);
        var results = new List<MatchCandidate>();
        foreach (var (candidate, artistWords, titleWords) in entries)
        {
            if (search.Type is { } type && candidate.Kind != type)
            {
                continue;
            }

            if (All(artist, artistWords) && All(title, titleWords) && All(query, [.. artistWords, .. titleWords])
                && (search.Barcode is null && search.CatalogNumber is null))
            {
                results.Add(candidate);
                if (results.Count == search.PerPage)
                {
                    break;
                }
            }
        }

        return Task.FromResult<IReadOnlyList<MatchCandidate>>(results);
    }

    public Task<MatchCandidate?> GetReleaseAsync(long releaseId, CancellationToken cancellationToken) =>
        Task.FromResult(entries.Select(static e => e.Candidate).FirstOrDefault(c => c.Kind == CandidateKind.Release && c.Id == releaseId));

    public Task<MatchCandidate?> GetMasterAsync(long masterId, CancellationToken cancellationToken) =>
        Task.FromResult(entries.Select(static e => e.Candidate).FirstOrDefault(c => c.Kind == CandidateKind.Master && c.Id == masterId));

    /// <summary>The catalogue holds no artists' other names.</summary>
    public Task<ArtistNames?> GetArtistNamesAsync(long artistId, CancellationToken cancellationToken) => Task.FromResult<ArtistNames?>(null);

    private static bool All(string[] wanted, string[] present) => wanted.All(present.Contains);

    /// <summary>Lower case, accents folded, apostrophes dropped, other punctuation separating, CJK per character.</summary>
    private static string[] Words(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var builder = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormKD).ToLowerInvariant())
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark || c is '\'' or '\u2019')
            {
                continue;
            }

            if (TextNormalizerProbe.IsCjk(c))
            {
                builder.Append(' ').Append(c).Append(' ');
            }
            else
            {
                builder.Append(char.IsLetterOrDigit(c) ? c : ' ');
            }
        }

        return builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
