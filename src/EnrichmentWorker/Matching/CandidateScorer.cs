using System.Globalization;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Matching;

/// <summary>An album's tags, normalised once and scored against many candidates.</summary>
public sealed record PreparedAlbum(AlbumTags Tags, TitleText Title, IReadOnlyList<ArtistText> Artists, int? Year)
{
    public bool IsCompilation
    {
        get
        {
            foreach (var artist in Artists)
            {
                if (artist.IsVarious)
                {
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>
/// Scores a candidate against an album: 0.6 title + 0.3 artist + 0.1 year (the users' rule), each field a similarity
/// in [0, 1], plus the artist gate. Pure: no I/O, no state.
/// </summary>
public sealed class CandidateScorer(IOptions<MatchingOptions> options)
{
    public const double TitleWeight = 0.6;
    public const double ArtistWeight = 0.3;
    public const double YearWeight = 0.1;

    /// <summary>What a candidate's shortened title (its subtitle dropped) is worth against a full match.</summary>
    public const double SubtitleDroppedFactor = 0.85;

    /// <summary>What is left of a title score when the album's bracketed qualifier is missing from the candidate's title.</summary>
    public const double QualifierMissingFactor = 0.5;

    /// <summary>The year score when either year is unknown: neither evidence for nor against.</summary>
    public const double UnknownYear = 0.5;

    /// <summary>One year apart: release dates straddling new year, or a master year that differs from the tag.</summary>
    public const double AdjacentYear = 0.8;

    /// <summary>A library year later than the original: plausibly a reissue of it.</summary>
    public const double LaterYear = 0.5;

    private readonly double artistGate = options.Value.ArtistGate;

    public static PreparedAlbum Prepare(AlbumTags tags)
    {
        var artists = new List<ArtistText>(2) { ArtistNormalizer.Normalize(tags.Artist) };
        if (!string.IsNullOrWhiteSpace(tags.AlbumArtist)
            && !string.Equals(tags.AlbumArtist, tags.Artist, StringComparison.OrdinalIgnoreCase))
        {
            artists.Add(ArtistNormalizer.Normalize(tags.AlbumArtist));
        }

        return new PreparedAlbum(tags, TitleNormalizer.Normalize(tags.Title), artists, tags.Year is > 0 ? tags.Year : null);
    }

    public ScoredCandidate Score(PreparedAlbum album, MatchCandidate candidate)
    {
        var (title, titleCompared) = ScoreTitle(album.Title, TitleNormalizer.Normalize(candidate.Title));
        var (artist, artistCompared) = ScoreArtist(album, ArtistNormalizer.Normalize(candidate.Artists));
        var (year, yearCompared) = ScoreYear(album.Year, candidate);
        FieldScore[] fields =
        [
            new(MatchField.Title, title, TitleWeight, titleCompared),
            new(MatchField.Artist, artist, ArtistWeight, artistCompared),
            new(MatchField.Year, year, YearWeight, yearCompared),
        ];
        var total = (TitleWeight * title) + (ArtistWeight * artist) + (YearWeight * year);
        return new ScoredCandidate(candidate, fields, Math.Round(total, 4), artist >= artistGate);
    }

    /// <summary>Best over every pairing of the album's title forms with the candidate's ("A = B" sides).</summary>
    internal static (double Score, string Compared) ScoreTitle(TitleText album, TitleText candidate)
    {
        var best = 0.0;
        NormalizedText? bestAlbum = null;
        NormalizedText? bestCandidate = null;
        foreach (var a in album.Variants)
        {
            foreach (var c in candidate.Variants)
            {
                var score = TokenSimilarity.Title(a, c);
                if (score > best || bestAlbum is null)
                {
                    (best, bestAlbum, bestCandidate) = (score, a, c);
                }
            }

            if (candidate.WithoutSubtitle is { } shortened)
            {
                var score = SubtitleDroppedFactor * TokenSimilarity.Title(a, shortened);
                if (score > best)
                {
                    (best, bestAlbum, bestCandidate) = (score, a, shortened);
                }
            }
        }

        if (album.Qualifier is { } qualifier && bestCandidate is not null && !TokenSimilarity.Contains(bestCandidate, qualifier))
        {
            best *= QualifierMissingFactor;
        }

        return (best, Describe(bestAlbum, bestCandidate));
    }

    private static (double Score, string Compared) ScoreArtist(PreparedAlbum album, ArtistText candidate)
    {
        if (album.IsCompilation && candidate.IsVarious)
        {
            return (1.0, "various = various");
        }

        var best = 0.0;
        NormalizedText? bestAlbum = null;
        NormalizedText? bestCandidate = null;
        foreach (var artist in album.Artists)
        {
            Compare(artist.Whole, candidate, ref best, ref bestAlbum, ref bestCandidate);
            if (artist.Credits.Count > 1)
            {
                foreach (var credit in artist.Credits)
                {
                    Compare(credit, candidate, ref best, ref bestAlbum, ref bestCandidate);
                }
            }
        }

        return (best, Describe(bestAlbum, bestCandidate));

        static void Compare(NormalizedText albumName, ArtistText candidate, ref double best, ref NormalizedText? bestAlbum, ref NormalizedText? bestCandidate)
        {
            var score = TokenSimilarity.Artist(albumName, candidate.Whole);
            if (score > best || bestAlbum is null)
            {
                (best, bestAlbum, bestCandidate) = (score, albumName, candidate.Whole);
            }

            if (candidate.Credits.Count < 2)
            {
                return;
            }

            foreach (var credit in candidate.Credits)
            {
                score = TokenSimilarity.Artist(albumName, credit);
                if (score > best)
                {
                    (best, bestAlbum, bestCandidate) = (score, albumName, credit);
                }
            }
        }
    }

    /// <summary>The year against both the candidate's own year and its original (master) year; the better counts.</summary>
    internal static (double Score, string Compared) ScoreYear(int? albumYear, MatchCandidate candidate)
    {
        var year = candidate.Year is > 0 ? candidate.Year : null;
        var masterYear = candidate.MasterYear is > 0 ? candidate.MasterYear : null;
        if (albumYear is null || (year is null && masterYear is null))
        {
            return (UnknownYear, "year unknown");
        }

        var score = Math.Max(YearScore(albumYear.Value, year), YearScore(albumYear.Value, masterYear));
        var compared = masterYear is null || masterYear == year
            ? string.Create(CultureInfo.InvariantCulture, $"{albumYear} vs {year}")
            : string.Create(CultureInfo.InvariantCulture, $"{albumYear} vs {year} (original {masterYear})");
        return (score, compared);
    }

    private static double YearScore(int albumYear, int? candidateYear)
    {
        if (candidateYear is not { } year)
        {
            return 0;
        }

        var difference = albumYear - year;
        return difference switch
        {
            0 => 1.0,
            1 or -1 => AdjacentYear,
            > 1 => LaterYear,
            _ => 0.0,
        };
    }

    private static string Describe(NormalizedText? album, NormalizedText? candidate) =>
        album is null || candidate is null ? string.Empty : $"'{album}' vs '{candidate}'";
}
