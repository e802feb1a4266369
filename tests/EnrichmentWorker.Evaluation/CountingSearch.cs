using EnrichmentWorker.Matching;

namespace EnrichmentWorker.Evaluation;

/// <summary>Counts the requests a matcher really makes, to check what it reports.</summary>
public sealed class CountingSearch(IDiscogsSearch inner) : IDiscogsSearch
{
    public int Requests { get; private set; }

    public int Searches { get; private set; }

    public void Reset() => (Requests, Searches) = (0, 0);

    public Task<IReadOnlyList<MatchCandidate>> SearchAsync(CandidateSearch search, CancellationToken cancellationToken)
    {
        Requests++;
        Searches++;
        return inner.SearchAsync(search, cancellationToken);
    }

    public Task<MatchCandidate?> GetReleaseAsync(long releaseId, CancellationToken cancellationToken)
    {
        Requests++;
        return inner.GetReleaseAsync(releaseId, cancellationToken);
    }

    public Task<MatchCandidate?> GetMasterAsync(long masterId, CancellationToken cancellationToken)
    {
        Requests++;
        return inner.GetMasterAsync(masterId, cancellationToken);
    }

    public Task<ArtistNames?> GetArtistNamesAsync(long artistId, CancellationToken cancellationToken)
    {
        Requests++;
        return inner.GetArtistNamesAsync(artistId, cancellationToken);
    }
}
