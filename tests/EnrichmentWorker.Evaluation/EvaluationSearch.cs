using EnrichmentWorker.Discogs;
using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.Matching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Evaluation;

/// <summary>
/// Where the evaluation's searches go: by default the Discogs simulator (in-process, loopback, a free port) through
/// the real <see cref="DiscogsClient"/> and its <see cref="DiscogsCandidateSearch"/> adapter, so the matcher sees
/// search results exactly as the service would. <c>--in-memory</c> swaps in the catalogue dev aid.
/// </summary>
public sealed class EvaluationSearch : IAsyncDisposable
{
    private const string Token = "evaluation-token";

    private readonly DiscogsSimulatorServer? simulator;
    private readonly HttpClient? http;

    private EvaluationSearch(IDiscogsSearch search, string description, DiscogsSimulatorServer? simulator = null, HttpClient? http = null)
    {
        Search = search;
        Description = description;
        this.simulator = simulator;
        this.http = http;
    }

    public IDiscogsSearch Search { get; }

    public string Description { get; }

    /// <summary>Requests the simulator answered, when the simulator is the source (a cross-check of the counts).</summary>
    public int? SimulatorRequests => simulator?.Requests.Count;

    public static async Task<EvaluationSearch> CreateAsync(IReadOnlyList<CatalogAlbum> catalog, bool inMemory, CancellationToken cancellationToken)
    {
        if (inMemory)
        {
            return new EvaluationSearch(new CatalogSearch(catalog), "the IN-MEMORY catalogue search (a dev aid, not the evaluation)");
        }

        // The rate limit is the client's and the budget's concern, tested there; here it would only make the run slow.
        var simulator = await DiscogsSimulatorServer.StartAsync(
            new SimulatorOptions
            {
                RateLimitEnabled = false,
                ValidTokens = new HashSet<string>(StringComparer.Ordinal) { Token },
            },
            cancellationToken);

        // The client without the service's handler chain: no PostgreSQL budget (there is no rate limit to share), the
        // token and User-Agent set once here instead of per request by the auth handler.
        var http = new HttpClient { BaseAddress = simulator.BaseUrl };
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Discogs token=" + Token);
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", DiscogsOptions.UserAgent);
        var resilience = new DiscogsResilience(Options.Create(new DiscogsOptions { BaseUrl = simulator.BaseUrl }), TimeProvider.System, new RateLimitWaits(), NullLogger<DiscogsResilience>.Instance, new DiscogsConnectionStatus());
        var search = new DiscogsCandidateSearch(new DiscogsClient(http, resilience));
        return new EvaluationSearch(search, $"the Discogs simulator at {simulator.BaseUrl} through DiscogsClient and DiscogsCandidateSearch", simulator, http);
    }

    /// <summary>The catalogue artist names the simulator serves with a Discogs " (N)" suffix.</summary>
    public static async Task<IReadOnlySet<string>> NumberedArtistsAsync(CancellationToken cancellationToken)
    {
        await using var simulator = await DiscogsSimulatorServer.StartAsync(
            new SimulatorOptions(),
            cancellationToken);
        return simulator.Catalog.Albums
            .Where(static a => a.DiscogsArtistNames.Count == 1 && a.DiscogsArtistNames[0].EndsWith(')') && a.DiscogsArtistNames[0] != a.Artist)
            .Select(static a => a.Artist)
            .ToHashSet(StringComparer.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        http?.Dispose();
        if (simulator is not null)
        {
            await simulator.DisposeAsync();
        }
    }
}
