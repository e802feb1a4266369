using EnrichmentWorker.Library;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Matching;

/// <summary>
/// The query plan: asks Discogs as little as it can to decide an album, never more than <see cref="MaxRequests"/>
/// requests. Each call of <see cref="IDiscogsSearch"/> is one request and is recorded in the decision.
/// </summary>
/// <remarks>
/// Order: ids from the tags (release, master; a 404 means carry on, never fail the album), a barcode or catalogue
/// number search, then a fielded <c>type=release</c> search by artist and title — its results carry their master's id,
/// year, genre, style, format and label, so most albums, with a master or without, are decided by that one request —
/// then the masters by the same fields when releases by the artist were found but did not settle it (masters carry the
/// original year), the artist's masters for a self-titled album's nickname, a release search without transliterated
/// words, a looser full-text release query when its words differ, the title alone for an artist a search engine may
/// not find as written, and the artist's masters for a short title that may be a near miss. When the artist gate alone
/// rejected a candidate whose title and year agree, the candidate artist's other names (<c>/artists/{id}</c>) are
/// asked for once per artist. A plan stops as soon as the decision is settled (matched, or two albums too close to
/// call, which no further request would separate). The README's "The query plan" gives each step's reason.
/// </remarks>
public sealed class AlbumMatcher(IDiscogsSearch search, CandidateScorer scorer, MatchDecider decider, IArtistNamesCache artistNames, IOptions<MatchingOptions> options)
{
    public const int MaxRequests = 4;

    /// <summary>The title similarity a candidate the artist gate alone rejected needs before its artist's other names are asked for.</summary>
    public const double StrongTitle = 0.9;

    private readonly int pageSize = options.Value.SearchPageSize;
    private readonly double reviewThreshold = options.Value.ReviewThreshold;

    public async Task<MatchDecision> MatchAsync(AlbumTags tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var run = new Run(CandidateScorer.Prepare(tags), scorer);

        if (await TryIdsFromTagsAsync(run, tags, cancellationToken) is { } fromTags)
        {
            return fromTags;
        }

        var taggedArtist = tags.AlbumArtist is { Length: > 0 } albumArtist && !run.Album.IsCompilation ? albumArtist : tags.Artist;
        var artist = ArtistNormalizer.QueryName(taggedArtist);
        var title = TitleNormalizer.StripEditionText(tags.Title);
        var searchArtist = run.Album.IsCompilation ? "Various" : artist;
        var fieldArtist = FieldQuery(searchArtist, dropLeadingThe: true);
        var fieldTitle = FieldQuery(title, dropLeadingThe: false);

        if (!string.IsNullOrWhiteSpace(tags.Barcode))
        {
            await SearchAsync(run, QueryStep.BarcodeSearch, new CandidateSearch { Type = CandidateKind.Release, Barcode = tags.Barcode, PerPage = pageSize }, cancellationToken);
        }
        else if (!string.IsNullOrWhiteSpace(tags.CatalogNumber))
        {
            await SearchAsync(run, QueryStep.CatalogNumberSearch, new CandidateSearch { Type = CandidateKind.Release, CatalogNumber = tags.CatalogNumber, Artist = searchArtist, PerPage = pageSize }, cancellationToken);
        }

        if (Settled(run) is { } byIdentifier)
        {
            return byIdentifier;
        }

        var loose = LooseQuery(searchArtist, title);
        var withoutTransliterations = WithoutTransliterations(LooseQuery(null, searchArtist + " " + title));
        var strongNickname = !run.Album.IsCompilation && IsNickname(tags.Title, artist);
        var steps = new (QueryStep Step, CandidateSearch Search, Func<Run, bool> When)[]
        {
            (QueryStep.ReleaseSearch, new CandidateSearch { Type = CandidateKind.Release, Artist = fieldArtist, ReleaseTitle = fieldTitle, PerPage = pageSize }, static _ => true),
            (QueryStep.MasterSearch, new CandidateSearch { Type = CandidateKind.Master, Artist = fieldArtist, ReleaseTitle = fieldTitle, PerPage = pageSize }, static r => r.ArtistFound),
            (QueryStep.ArtistOnlySearch, new CandidateSearch { Type = CandidateKind.Master, Artist = fieldArtist, PerPage = pageSize }, r => strongNickname && !r.HasPlausible(reviewThreshold)),
            (QueryStep.TransliterationSearch, new CandidateSearch { Type = CandidateKind.Release, Query = withoutTransliterations ?? string.Empty, PerPage = pageSize }, r => withoutTransliterations is not null && !r.HasPlausible(reviewThreshold)),
            (QueryStep.LooseReleaseSearch, new CandidateSearch { Type = CandidateKind.Release, Query = loose, PerPage = pageSize }, _ => !SearchWords(fieldArtist + " " + fieldTitle).SetEquals(SearchWords(loose))),
            (QueryStep.TitleOnlySearch, new CandidateSearch { Type = CandidateKind.Master, Query = LooseQuery(null, title), PerPage = pageSize }, r => r.Candidates.Count == 0 && !IsPlainWords(taggedArtist)),
            (QueryStep.ArtistOnlySearch, new CandidateSearch { Type = CandidateKind.Master, Artist = fieldArtist, PerPage = pageSize }, r => !strongNickname && !run.Album.IsCompilation && !r.HasPlausible(reviewThreshold) && MayBeNickname(tags.Title, artist)),
        };

        foreach (var (step, candidateSearch, when) in steps)
        {
            if (run.Queries.Count >= MaxRequests)
            {
                break;
            }

            if (!when(run))
            {
                continue;
            }

            await SearchAsync(run, step, candidateSearch, cancellationToken);
            await TryOtherArtistNamesAsync(run, cancellationToken);
            if (Settled(run) is { } decided)
            {
                return decided;
            }
        }

        return Decide(run);
    }

    /// <summary>
    /// When the artist gate alone rejected a candidate whose title and year agree (the tags write the artist in another
    /// script or by an alias: "デヴィッド・ボウイ", "Slim Shady"), asks whether Discogs knows the tagged artist as one of
    /// the candidate artist's other names (<c>/artists/{id}</c>: name variations and aliases). What is learned is kept per
    /// artist (<see cref="IArtistNamesCache"/>), so an artist costs at most one entity fetch (search hits carry no artist
    /// id) and one /artists request, ever. When the tagged artist is among the names, the album's artist counts as the
    /// Discogs name for every candidate, and the decision says why.
    /// </summary>
    private async Task TryOtherArtistNamesAsync(Run run, CancellationToken cancellationToken)
    {
        if (run.Album.IsCompilation || run.KnownAs is not null)
        {
            return;
        }

        var strong = run.Candidates
            .Where(static c => !c.PassedArtistGate && c.Candidate.Artists.Count == 1
                && c.Similarity(MatchField.Title) >= StrongTitle && c.Similarity(MatchField.Year) >= CandidateScorer.AdjacentYear)
            .OrderByDescending(static c => c.Total)
            .FirstOrDefault(c => !run.ArtistsAsked.Contains(c.Candidate.Artists[0]));
        if (strong is null)
        {
            return;
        }

        var credit = strong.Candidate.Artists[0];
        run.ArtistsAsked.Add(credit);
        var names = await artistNames.FindAsync(credit, cancellationToken);
        if (names is null)
        {
            var artistId = strong.Candidate.ArtistIds.Count == 1 ? strong.Candidate.ArtistIds[0] : 0;
            if (artistId <= 0 && run.Queries.Count + 2 <= MaxRequests)
            {
                var entity = strong.Candidate.Kind == CandidateKind.Master
                    ? await search.GetMasterAsync(strong.Candidate.Id, cancellationToken)
                    : await search.GetReleaseAsync(strong.Candidate.Id, cancellationToken);
                run.Queries.Add(new QueryAttempt(QueryStep.ArtistIdLookup, $"/{strong.Candidate.Kind.ToString().ToLowerInvariant()}s/{strong.Candidate.Id}", entity is null ? 0 : 1));
                artistId = entity is { ArtistIds.Count: 1 } ? entity.ArtistIds[0] : 0;
            }

            if (artistId <= 0 || run.Queries.Count >= MaxRequests)
            {
                return;
            }

            names = await search.GetArtistNamesAsync(artistId, cancellationToken);
            run.Queries.Add(new QueryAttempt(QueryStep.ArtistNamesLookup, $"/artists/{artistId}", names is null ? 0 : 1));
            if (names is null)
            {
                return;
            }

            // Stored under the name the search hit wrote, which is the one later lookups have in hand.
            names = names with { Name = credit };
            await artistNames.StoreAsync(names, cancellationToken);
        }

        var tagged = run.Album.Artists.SelectMany(static a => a.Credits.Prepend(a.Whole)).Select(static n => n.CompactKey).Where(static k => k.Length > 0).ToHashSet(StringComparer.Ordinal);
        var other = names.OtherNames.FirstOrDefault(n => tagged.Contains(ArtistNormalizer.Normalize(n).Whole.CompactKey));
        if (other is not null)
        {
            run.KnowAs(credit, other);
        }
    }

    private MatchDecision Decide(Run run)
    {
        var decision = decider.Decide(run.Candidates, run.Queries);
        return run.KnownAs is { } knownAs && decision.Outcome != MatchOutcome.NoMatch
            ? decision with { Explanation = $"{decision.Explanation} Discogs lists '{knownAs.Other}' among the names of {knownAs.Credit}." }
            : decision;
    }

    /// <summary>
    /// A fielded search value as the tags write it, minus the words a search engine matches one way and tags write
    /// another: "&amp;", "+" and "and" ("Black Holes And Revelations" vs "Black Holes &amp; Revelations"), and for an
    /// artist a leading "The". Leaving words out only widens a word-by-word search, and the scorer judges what comes back.
    /// </summary>
    internal static string FieldQuery(string text, bool dropLeadingThe)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(static w => w is not ("&" or "+") && !w.Equals("and", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (dropLeadingThe && words.Count > 1 && words[0].Equals("the", StringComparison.OrdinalIgnoreCase))
        {
            words.RemoveAt(0);
        }

        return words.Count == 0 ? text : string.Join(' ', words);
    }

    /// <summary>
    /// Artist and title as one full-text query: apostrophes dropped, punctuation as spaces, "and"/"the" left out (so
    /// "Simon and Garfunkel" finds "Simon &amp; Garfunkel" and "Beatles" finds "The Beatles"). Letters keep their accents
    /// and CJK runs stay whole: folding is the search engine's business, and splitting CJK would break phrase matching.
    /// </summary>
    internal static string LooseQuery(string? artist, string title)
    {
        var text = ((artist is null ? string.Empty : SpellOutInitialisms(artist) + " ") + title).Normalize(System.Text.NormalizationForm.FormKC);
        var builder = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\'' or '\u2019' or '`')
            {
                continue;
            }

            builder.Append(char.IsLetterOrDigit(c) ? c : ' ');
        }

        var words = builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(static w => !w.Equals("and", StringComparison.OrdinalIgnoreCase) && !w.Equals("the", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        return words.Length == 0 ? title : string.Join(' ', words);
    }

    /// <summary>
    /// "REM" → "R E M", "BB King" → "B B King": a short all-capitals word in tags is usually an initialism that
    /// Discogs writes with dots ("R.E.M.", "B.B. King"), which a search splits into letters. The fielded search has
    /// already tried the word as written (it finds "ABBA"), so the looser query tries the letters.
    /// </summary>
    internal static string SpellOutInitialisms(string artist)
    {
        var words = artist.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            if (words[i].Length is >= 2 and <= 5 && words[i].All(char.IsAsciiLetterUpper))
            {
                words[i] = string.Join(' ', words[i].ToCharArray());
            }
        }

        return string.Join(' ', words);
    }

    /// <summary>
    /// The loose query without its words that look transliterated ("Motoerhead", "Huesker", "Koeln": ö, ü written oe,
    /// ue), or null when it has none or nothing else. A search engine folds "Motörhead" to "motorhead", never to
    /// "motoerhead", so such a word can only make a search find nothing; the other words still find the album, and
    /// the scorer reads "oe" as "ö" (<see cref="NormalizedText.Keys"/>). "ue" after q or g and at a word's end is
    /// English ("queen", "league", "blue"), not a fallback.
    /// </summary>
    internal static string? WithoutTransliterations(string query)
    {
        var words = query.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!words.Any(static w => Transliterated(w) == Likelihood.Likely))
        {
            return null;
        }

        // Once one word is surely a fallback, the doubtful ones go too: "Huesker Due" is Hüsker Dü.
        var kept = words.Where(static w => Transliterated(w) == Likelihood.None).ToArray();
        return kept.Length == 0 ? null : string.Join(' ', kept);

        static Likelihood Transliterated(string word)
        {
            var lower = word.ToLowerInvariant();
            if (lower is "ue" or "oe" or "ae")
            {
                return Likelihood.Likely;
            }

            var found = Likelihood.None;
            for (var i = 1; i < lower.Length; i++)
            {
                var (previous, c) = (lower[i - 1], lower[i]);
                if ((c == 'e' && previous is 'a' or 'o') || (c == 'a' && previous == 'a'))
                {
                    return Likelihood.Likely;
                }

                if (c == 'e' && previous == 'u' && (i < 2 || lower[i - 2] is not ('q' or 'g')))
                {
                    found = i < lower.Length - 1 ? Likelihood.Likely : Likelihood.Doubtful;
                }
            }

            return found;
        }
    }

    private enum Likelihood
    {
        None,
        Doubtful,
        Likely,
    }

    /// <summary>
    /// Whether the title is plainly a self-titled album's nickname: the artist's name and more ("Weezer (Blue Album)",
    /// "Peter Gabriel 3: Melt"), a nickname word ("The Black Album", "[Debut]", "Self-Titled") or "S/T". No release is
    /// called that, so the artist's masters are asked for second, before the searches that could only fail.
    /// </summary>
    internal static bool IsNickname(string title, string artist)
    {
        var words = TextNormalizer.Normalize(TitleNormalizer.StripEditionText(title));
        return CandidateScorer.WithoutName(words, ArtistNormalizer.Normalize(artist).Whole) is not null
            || words.Keys.Any(static k => k is "album" or "untitled" or "selftitled" or "debut")
            || (words.Tokens.Count == 2 && words.Tokens[0] == "s" && words.Tokens[1] == "t");
    }

    /// <summary>
    /// Whether the title may be a name the searches by title cannot find: a self-titled album's nickname, or a short
    /// name for a long title ("Car", "Ziggy Stardust"); never a title naming another recording ("(Live)", "(Taylor's
    /// Version)"). Then the artist's albums alone are asked for, and artist and year decide (a review for a near miss).
    /// </summary>
    internal static bool MayBeNickname(string title, string artist)
    {
        var words = TextNormalizer.Normalize(TitleNormalizer.StripEditionText(title));
        if (words.Keys.Any(static k => k is "live" or "unplugged" or "acoustic" or "demo" or "demos" or "remix" or "remixes" or "instrumental" or "instrumentals" or "karaoke" or "tribute" or "covers" or "version" or "recorded"))
        {
            // Another recording of an album is never its nickname (the scorer would not take it as one).
            return false;
        }

        if (words.Tokens.Count <= 2 || title.AsSpan().IndexOfAny("([") >= 0)
        {
            return true;
        }

        return CandidateScorer.WithoutName(words, ArtistNormalizer.Normalize(artist).Whole) is not null
            || words.Keys.Any(static k => k is "album" or "untitled" or "selftitled");
    }

    /// <summary>
    /// The words a search engine indexes a query by: letters and digits, lower-cased, "the" and "and" left out. Two
    /// queries with the same words find the same albums, so the looser query is only worth a request when its words
    /// differ from the fielded ones' (an initialism spelled out, an apostrophe dropped).
    /// </summary>
    internal static HashSet<string> SearchWords(string query)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        var builder = new System.Text.StringBuilder(query.Length);
        foreach (var c in query.ToLowerInvariant().Append(' '))
        {
            if (c is '\'' or '\u2019' or '`')
            {
                // The looser query drops apostrophes; a word that differs only by one is the same word to a search.
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                builder.Append(c);
                continue;
            }

            if (builder.Length > 0 && builder.ToString() is var word && word is not ("the" or "and"))
            {
                words.Add(word);
            }

            builder.Clear();
        }

        return words;
    }

    /// <summary>
    /// Whether the artist is plain ASCII words. Then a search by it that found nothing at all means the album is not on
    /// Discogs under that artist, and a title-only query could only return other artists' albums, which the gate
    /// rejects: it would spend a request for nothing. Accents, punctuation or "Last, First" forms are where search
    /// engines and tags disagree, and where the title alone can still find the album; "&amp;" and "+" are not, the
    /// fielded query leaves them out.
    /// </summary>
    internal static bool IsPlainWords(string artist)
    {
        foreach (var c in artist)
        {
            // "&" and "+" are left out of the fielded query (FieldQuery), so they cannot make the artist unsearchable.
            if (!char.IsAsciiLetterOrDigit(c) && c is not (' ' or '&' or '+'))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<MatchDecision?> TryIdsFromTagsAsync(Run run, AlbumTags tags, CancellationToken cancellationToken)
    {
        if (tags.DiscogsReleaseId is > 0 and var releaseId)
        {
            var release = await search.GetReleaseAsync(releaseId, cancellationToken);
            run.Queries.Add(new QueryAttempt(QueryStep.ReleaseIdFromTags, $"/releases/{releaseId}", release is null ? 0 : 1));
            if (release is not null && run.Add(release) is { } scored && AgreesWithTags(scored))
            {
                return FromTags(run, scored);
            }
        }

        if (tags.DiscogsMasterId is > 0 and var masterId)
        {
            var master = await search.GetMasterAsync(masterId, cancellationToken);
            run.Queries.Add(new QueryAttempt(QueryStep.MasterIdFromTags, $"/masters/{masterId}", master is null ? 0 : 1));
            if (master is not null && run.Add(master) is { } scored && AgreesWithTags(scored))
            {
                return FromTags(run, scored);
            }
        }

        return null;
    }

    /// <summary>A tagged id is trusted when the entity is by the tagged artist and its title is recognisably the album's.</summary>
    private static bool AgreesWithTags(ScoredCandidate scored) =>
        scored.PassedArtistGate && scored.Similarity(MatchField.Title) >= 0.5;

    private MatchDecision FromTags(Run run, ScoredCandidate scored)
    {
        var decision = decider.Decide(run.Candidates, run.Queries);
        return decision with
        {
            Outcome = MatchOutcome.Matched,
            Reason = MatchReason.IdFromTags,
            Explanation = $"The tags name Discogs {scored.Candidate.Kind.ToString().ToLowerInvariant()} {scored.Candidate.Id}, and it agrees with them (score {scored.Total:0.###}).",
            Best = scored,
            MasterId = scored.Candidate.Kind == CandidateKind.Master ? scored.Candidate.Id : scored.Candidate.MasterId is > 0 ? scored.Candidate.MasterId : null,
            ReleaseId = scored.Candidate.Kind == CandidateKind.Release ? scored.Candidate.Id : null,
            Score = scored.Total,
        };
    }

    private async Task SearchAsync(Run run, QueryStep step, CandidateSearch candidateSearch, CancellationToken cancellationToken)
    {
        var results = await search.SearchAsync(candidateSearch, cancellationToken);
        run.Queries.Add(new QueryAttempt(step, Describe(candidateSearch), results.Count));
        run.LastResults = results.Count;
        foreach (var result in results)
        {
            run.Add(result);
        }
    }

    private MatchDecision? Settled(Run run)
    {
        if (run.Candidates.Count == 0)
        {
            return null;
        }

        var decision = Decide(run);
        if (decision.Reason == MatchReason.Ambiguous && decision.Best?.Candidate.Kind == CandidateKind.Release
            && !run.Queries.Exists(static q => q.Step == QueryStep.MasterSearch))
        {
            // Release hits carry the release's year, not the album's original one: masters do, and that is what
            // tells an artist's albums of one title apart (Weezer's self-titled albums).
            return null;
        }

        return MatchDecider.IsSettled(decision) ? decision : null;
    }

    private static string Describe(CandidateSearch s)
    {
        var parts = new List<string>(4);
        if (s.Type is { } type)
        {
            parts.Add("type=" + type.ToString().ToLowerInvariant());
        }

        Add("q", s.Query);
        Add("artist", s.Artist);
        Add("release_title", s.ReleaseTitle);
        Add("barcode", s.Barcode);
        Add("catno", s.CatalogNumber);
        return string.Join('&', parts);

        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add(name + "=" + value);
            }
        }
    }

    /// <summary>The state of one album's plan: what was asked, what was found.</summary>
    private sealed class Run(PreparedAlbum album, CandidateScorer scorer)
    {
        private readonly HashSet<(CandidateKind, long)> seen = [];

        public PreparedAlbum Album { get; private set; } = album;

        public List<ScoredCandidate> Candidates { get; } = [];

        /// <summary>Discogs artist names whose other names were already looked at for this album.</summary>
        public HashSet<string> ArtistsAsked { get; } = new(StringComparer.Ordinal);

        /// <summary>The Discogs artist the tagged artist turned out to be another name of.</summary>
        public (string Credit, string Other)? KnownAs { get; private set; }

        /// <summary>From now on the album's artist is also <paramref name="credit"/>: every candidate is scored again.</summary>
        public void KnowAs(string credit, string other)
        {
            KnownAs = (credit, other);
            Album = Album with { Artists = [.. Album.Artists, ArtistNormalizer.Normalize(credit)] };
            for (var i = 0; i < Candidates.Count; i++)
            {
                Candidates[i] = scorer.Score(Album, Candidates[i].Candidate);
                ArtistFound |= Candidates[i].PassedArtistGate;
            }
        }

        public List<QueryAttempt> Queries { get; } = [];

        public int LastResults { get; set; }

        public bool ArtistFound { get; private set; }

        /// <summary>Whether a candidate by the artist already scored high enough for a person to look at it.</summary>
        public bool HasPlausible(double reviewThreshold) =>
            Candidates.Any(c => c.PassedArtistGate && c.Total >= reviewThreshold);

        public ScoredCandidate? Add(MatchCandidate candidate)
        {
            if (!seen.Add((candidate.Kind, candidate.Id)))
            {
                return null;
            }

            var scored = scorer.Score(Album, candidate);
            Candidates.Add(scored);
            ArtistFound |= scored.PassedArtistGate;
            return scored;
        }
    }
}
