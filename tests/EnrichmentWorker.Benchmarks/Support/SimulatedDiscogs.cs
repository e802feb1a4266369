using EnrichmentWorker.DiscogsSimulator;

namespace EnrichmentWorker.Benchmarks.Support;

/// <summary>One request the simulator served: when, what, and its status (429 = rate limited, 0 = reset on purpose).</summary>
public sealed record SimulatedRequest(DateTimeOffset At, string PathAndQuery, int Status)
{
    /// <summary>Start-up token checks are not album work.</summary>
    public bool IsAlbumWork => !PathAndQuery.StartsWith("/oauth/", StringComparison.Ordinal);
}

/// <summary>How the simulator is set up for one scenario.</summary>
public sealed record SimulatorSetup(int RequestsPerWindow, TimeSpan Window, int RetryAfterSeconds, bool RateLimitEnabled);

/// <summary>
/// The project's Discogs simulator (tests/EnrichmentWorker.DiscogsSimulator) running in this process on loopback, so
/// its request log is the ground truth for requests sent, their pacing and every 429.
/// </summary>
public sealed class SimulatedDiscogs : IAsyncDisposable
{
    public const string Token = "test-token";

    private readonly DiscogsSimulatorServer _server;

    private SimulatedDiscogs(DiscogsSimulatorServer server) => _server = server;

    public Uri BaseUrl => _server.BaseUrl;

    /// <summary>What the simulator serves: the catalogue, its decoys and the dump samples' records.</summary>
    public SimulatorCatalog Catalog => _server.Catalog;

    public static async Task<SimulatedDiscogs> StartAsync(SimulatorSetup setup, CancellationToken cancellationToken)
    {
        var options = new SimulatorOptions
        {
            RequestsPerWindow = setup.RequestsPerWindow,
            Window = setup.Window,
            RetryAfterSeconds = setup.RetryAfterSeconds,
            RateLimitEnabled = setup.RateLimitEnabled,
            Latency = TimeSpan.Zero,
        };
        return new SimulatedDiscogs(await DiscogsSimulatorServer.StartAsync(options, cancellationToken));
    }

    public IReadOnlyList<SimulatedRequest> Requests() =>
        [.. _server.Requests.Snapshot().Select(r => new SimulatedRequest(r.At, r.PathAndQuery, r.Status))];

    public void ClearRequests() => _server.Requests.Clear();

    /// <summary>Another program on the same IP: its requests count in the service's window (see <see cref="ForeignClient"/>).</summary>
    public ForeignClient StartForeignClient(ForeignTraffic traffic) => _server.StartForeignClient(traffic);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>The service's configuration for this simulator and a budget of <paramref name="requestsPerWindow"/>.</summary>
    public Dictionary<string, string?> ServiceEnvironment(string connectionString, int requestsPerWindow, TimeSpan window, string mode) => new()
    {
        ["ConnectionStrings__Postgres"] = connectionString,
        ["Discogs__BaseUrl"] = BaseUrl.ToString(),
        ["DISCOGS_TOKEN"] = Token,
        ["Discogs__RequestsPerMinute"] = requestsPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Discogs__Window"] = window.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["Discogs__DefaultRetryAfter"] = window.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["Enrichment__Mode"] = mode,
    };
}
