using EnrichmentWorker.Matching;

namespace EnrichmentWorker.Evaluation;

/// <summary>
/// Where the evaluation's searches go. The evaluation proper runs against the Discogs simulator through the real
/// client's adapter; until those land, the in-memory catalogue search stands in (a dev aid, and said so in the output).
/// </summary>
public sealed class EvaluationSearch : IAsyncDisposable
{
    private EvaluationSearch(IDiscogsSearch search, string description)
    {
        Search = search;
        Description = description;
    }

    public IDiscogsSearch Search { get; }

    public string Description { get; }

    public static Task<EvaluationSearch> CreateAsync(IReadOnlyList<CatalogAlbum> catalog, bool inMemory, CancellationToken cancellationToken)
    {
        _ = inMemory;
        _ = cancellationToken;
        return Task.FromResult(new EvaluationSearch(
            new CatalogSearch(catalog),
            "the IN-MEMORY catalogue search (a dev aid: the simulator and the client's adapter are not merged yet)"));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
