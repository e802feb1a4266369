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
/// master), then a looser full-text query, then the title alone (the artist gate still applies, so this only
/// rescues artists spelled differently in the tags than on Discogs). The looser queries run only while no candidate
/// by the album's artist has turned up: once the artist is found and the album is not, a looser query finds nothing
/// more by that artist, and would only spend budget.
/// </remarks>
public sealed class AlbumMatcher(IDiscogsSearch search, CandidateScorer scorer, MatchDecider decider, IOptions<MatchingOptions> options)
{
    public const int MaxRequests = 4;

    private readonly int pageSize = options.Value.SearchPageSize;

    public async Task<MatchDecision> MatchAsync(AlbumTags tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var run = new Run(CandidateScorer.Prepare(tags), scorer);

        if (await TryIdsFromTagsAsync(run, tags, cancellationToken) is { } fromTags)
        {
            return fromTags;
        }

        var artist = ArtistNormalizer.QueryName(tags.AlbumArtist is { Length: > 0 } albumArtist && !run.Album.IsCompilation ? albumArtist : tags.Artist);
        var title = TitleNormalizer.StripEditionText(tags.Title);
        var searchArtist = run.Album.IsCompilation ? "Various" : artist;

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

        var steps = new (QueryStep Step, CandidateSearch Search, Func<Run, bool> When)[]
        {
            (QueryStep.MasterSearch, new CandidateSearch { Type = CandidateKind.Master, Artist = searchArtist, ReleaseTitle = title, PerPage = pageSize }, static _ => true),
            (QueryStep.ReleaseSearch, new CandidateSearch { Type = CandidateKind.Release, Artist = searchArtist, ReleaseTitle = title, PerPage = pageSize }, static _ => true),
            (QueryStep.LooseSearch, new CandidateSearch { Query = LooseQuery(searchArtist, title), PerPage = pageSize }, static r => !r.ArtistFound),
            (QueryStep.TitleOnlySearch, new CandidateSearch { Query = LooseQuery(null, title), PerPage = pageSize }, static r => !r.ArtistFound && r.LastResults == 0),
        };

        foreach (var (step, candidateSearch, when) in steps)
        {
            if (run.Queries.Count >= MaxRequests || !when(run))
            {
                break;
            }

            await SearchAsync(run, step, candidateSearch, cancellationToken);
            if (Settled(run) is { } decided)
            {
                return decided;
            }
        }

        return decider.Decide(run.Candidates, run.Queries);
    }

    /// <summary>The folded tokens of artist and title as one full-text query: punctuation and accents are no obstacle.</summary>
    internal static string LooseQuery(string? artist, string title)
    {
        var words = new List<string>();
        if (artist is not null)
        {
            words.AddRange(ArtistNormalizer.Normalize(artist).Whole.Tokens);
        }

        words.AddRange(TextNormalizer.Normalize(title).Tokens);
        words.RemoveAll(static w => w is "and" or "the");
        return words.Count == 0 ? title : string.Join(' ', words);
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
