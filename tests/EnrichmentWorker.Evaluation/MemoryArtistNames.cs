using System.Collections.Concurrent;
using EnrichmentWorker.Matching;

namespace EnrichmentWorker.Evaluation;

/// <summary>
/// The artist-names cache for a run without PostgreSQL (the evaluation): kept for the run, shared by its albums as the
/// service's table is, so an artist's /artists request is counted once, on the first album that needs it.
/// </summary>
public sealed class MemoryArtistNames : IArtistNamesCache
{
    private readonly ConcurrentDictionary<string, ArtistNames> byName = new(StringComparer.Ordinal);

    public Task<ArtistNames?> FindAsync(string discogsName, CancellationToken cancellationToken) =>
        Task.FromResult(byName.TryGetValue(discogsName, out var names) ? names : null);

    public Task StoreAsync(ArtistNames names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        byName[names.Name] = names;
        return Task.CompletedTask;
    }
}
