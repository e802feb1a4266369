using System.Globalization;
using EnrichmentWorker.Library;
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

    /// <summary>What a title match is worth once the artist's name had to be left out of one side.</summary>
    public const double ArtistInTitleFactor = 0.95;

    /// <summary>
    /// The title score of a self-titled album tagged by its nickname, with artist and year exact: 0.51 + 0.3 + 0.1 =
    /// 0.91 in total, a match, and any other album of the artist that year would still compete with it.
    /// </summary>
    public const double SelfTitledNicknameScore = 0.85;

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
        var candidateArtist = ArtistNormalizer.Normalize(candidate.Artists);
        var candidateTitle = TitleNormalizer.Normalize(candidate.Title);
        var (title, titleCompared) = ScoreTitle(album.Title, candidateTitle);
        var (artist, artistCompared) = ScoreArtist(album, candidateArtist);
        var (year, yearCompared) = ScoreYear(album.Year, candidate);
        if (title < 1.0 && !album.IsCompilation && ScoreTitleWithoutArtist(album, candidateTitle, candidateArtist) is { Score: var withoutArtist } better && withoutArtist > title)
        {
            (title, titleCompared) = better;
        }

        if (title < SelfTitledNicknameScore && artist >= 1.0 && year >= 1.0 && IsSelfTitledNickname(album, candidateTitle, candidateArtist))
        {
            (title, titleCompared) = (SelfTitledNicknameScore, $"'{album.Title.Variants[0]}' names the self-titled '{candidateTitle.Variants[0]}' of the same year");
        }
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

    /// <summary>
    /// The title compared with the artist's name taken out of either side: Discogs calls an album "Simon &amp;
    /// Garfunkel's Greatest Hits" that a library tags "Greatest Hits" by Simon &amp; Garfunkel, and the other way round.
    /// The name is only taken out where it is the artist of that side, at <see cref="ArtistInTitleFactor"/> of the score
    /// so that an exact title still wins over one that needed the name taken out.
    /// </summary>
    private static (double Score, string Compared)? ScoreTitleWithoutArtist(PreparedAlbum album, TitleText candidate, ArtistText candidateArtist)
    {
        (double Score, string Compared)? best = null;
        foreach (var candidateForm in Forms(candidate.Variants[0], candidateArtist))
        {
            foreach (var albumArtist in album.Artists)
            {
                foreach (var albumForm in Forms(album.Title.Variants[0], albumArtist))
                {
                    if (ReferenceEquals(albumForm, album.Title.Variants[0]) && ReferenceEquals(candidateForm, candidate.Variants[0]))
                    {
                        continue;
                    }

                    var score = ArtistInTitleFactor * TokenSimilarity.Title(albumForm, candidateForm);
                    if (best is null || score > best.Value.Score)
                    {
                        best = (score, Describe(albumForm, candidateForm) + " (the artist's name left out)");
                    }
                }
            }
        }

        return best;

        static IEnumerable<NormalizedText> Forms(NormalizedText title, ArtistText artist)
        {
            yield return title;
            if (WithoutName(title, artist.Whole) is { } without)
            {
                yield return without;
            }
        }
    }

    /// <summary>
    /// The title without a run of tokens that spells the artist's name (its last token may carry a possessive "s":
    /// "garfunkels"), or null when the name is not in it or is all of it.
    /// </summary>
    internal static NormalizedText? WithoutName(NormalizedText title, NormalizedText name)
    {
        var t = title.Keys;
        var n = name.Keys;
        if (n.Count == 0 || t.Count <= n.Count)
        {
            return null;
        }

        for (var start = 0; start + n.Count <= t.Count; start++)
        {
            var matches = true;
            for (var i = 0; i < n.Count && matches; i++)
            {
                var token = t[start + i];
                matches = token == n[i] || (i == n.Count - 1 && token.Length == n[i].Length + 1 && token.EndsWith('s') && token.StartsWith(n[i], StringComparison.Ordinal));
            }

            if (matches)
            {
                var tokens = new string[title.Tokens.Count - n.Count];
                for (int i = 0, j = 0; i < title.Tokens.Count; i++)
                {
                    if (i < start || i >= start + n.Count)
                    {
                        tokens[j++] = title.Tokens[i];
                    }
                }

                return new NormalizedText(tokens, string.Concat(tokens));
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the library's title is a nickname of a self-titled album: Discogs calls it by the artist's name
    /// ("Weezer", "Metallica", "Peter Gabriel"), the library by its colour, number or cover ("Weezer (Blue Album)",
    /// "The Black Album", "Peter Gabriel 3: Melt", "S/T"). The caller has checked that artist and year agree exactly,
    /// which for an artist with several self-titled albums is what tells them apart. The library title must still say
    /// it is that album, by holding the artist's name or a nickname word, and must not name another recording (a live
    /// or acoustic album of the same year is another album).
    /// </summary>
    private static bool IsSelfTitledNickname(PreparedAlbum album, TitleText candidateTitle, ArtistText candidateArtist)
    {
        var discogs = candidateTitle.Variants[0];
        if (discogs.IsEmpty || !IsName(discogs, candidateArtist.Whole))
        {
            return false;
        }

        var library = album.Title.Variants[0];
        foreach (var key in library.Keys)
        {
            if (key is "live" or "unplugged" or "acoustic" or "demo" or "demos" or "remix" or "remixes" or "instrumental" or "instrumentals" or "karaoke" or "tribute" or "covers" or "version" or "recorded")
            {
                return false;
            }
        }

        if (WithoutName(library, candidateArtist.Whole) is not null)
        {
            return true;
        }

        foreach (var key in library.Keys)
        {
            if (key is "album" or "untitled" or "selftitled" or "self")
            {
                return true;
            }
        }

        // "S/T" and "s.t." read as the two letters s and t.
        return library.Tokens.Count == 2 && library.Tokens[0] == "s" && library.Tokens[1] == "t";

        static bool IsName(NormalizedText title, NormalizedText artist) =>
            title.CompactKey == artist.CompactKey || (title.Keys.Count == artist.Keys.Count + 1 && title.Keys[0] == "the" && title.CompactKey == "the" + artist.CompactKey);
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
