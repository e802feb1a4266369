using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Matching;

/// <summary>
/// The query plan: asks Discogs as little as it can to decide an album, never more than <see cref="MaxRequests"/>
/// requests. Each call of <see cref="IDiscogsSearch"/> is one request and is recorded in the decision.
/// </summary>
/// <remarks>
/// Order: ids from the tags (release, master; a 404 means carry on, never fail the album), a barcode or catalogue
/// number search, then a <c>type=master</c> search by artist and title — its results carry year, genre, style, format
/// and label, so most albums are decided by that one request — then a <c>type=release</c> search (albums with no
/// master) written as a looser full-text query (punctuation, "and", "the" dropped; its results name their master,
/// so it also rescues albums with a master whose title or artist the fielded search missed), then the title alone
/// (the artist gate still applies) but only when nothing at all was found and the artist's spelling is one a search
/// engine may not match (accents, punctuation). A plan stops as soon as the decision is settled (matched, or two
/// albums too close to call, which no further request would separate).
/// </remarks>
public sealed class AlbumMatcher(IDiscogsSearch search, CandidateScorer scorer, MatchDecider decider, IOptions<MatchingOptions> options)
{
    public const int MaxRequests = 4;

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
            if (Settled(run) is { } decided)
            {
                return decided;
            }
        }

        return decider.Decide(run.Candidates, run.Queries);
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
    /// Whether the title may be a name the searches by title cannot find: a self-titled album's nickname ("Weezer (Blue
    /// Album)", "The Black Album", "S/T"), or a short name for a long title ("Car", "Ziggy Stardust"). Then the artist's
    /// albums alone are asked for, and artist and year decide (a match for a self-titled nickname, a review otherwise).
    /// </summary>
    internal static bool IsNickname(string title, string artist)
    {
        var words = TextNormalizer.Normalize(TitleNormalizer.StripEditionText(title));
        return CandidateScorer.WithoutName(words, ArtistNormalizer.Normalize(artist).Whole) is not null
            || words.Keys.Any(static k => k is "album" or "untitled" or "selftitled" or "debut")
            || (words.Tokens.Count == 2 && words.Tokens[0] == "s" && words.Tokens[1] == "t");
    }

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
    /// engines and tags disagree, and where the title alone can still find the album.
    /// </summary>
    internal static bool IsPlainWords(string artist)
    {
        foreach (var c in artist)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != ' ')
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

        var decision = decider.Decide(run.Candidates, run.Queries);
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

        public PreparedAlbum Album { get; } = album;

        public List<ScoredCandidate> Candidates { get; } = [];

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
