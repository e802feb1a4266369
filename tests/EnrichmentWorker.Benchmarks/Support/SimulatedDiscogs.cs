#if HAS_SIMULATOR
using EnrichmentWorker.DiscogsSimulator;
#endif

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

    public const string PendingReason = "the Discogs simulator (branch simulator) is not in this build yet";

#if HAS_SIMULATOR
    private readonly DiscogsSimulatorServer _server;

    private SimulatedDiscogs(DiscogsSimulatorServer server) => _server = server;

    public static bool Available => true;

    public Uri BaseUrl => _server.BaseUrl;

    public static async Task<SimulatedDiscogs> StartAsync(SimulatorSetup setup, CancellationToken cancellationToken)
    {
        var options = new SimulatorOptions
        {
            RequestsPerWindow = setup.RequestsPerWindow,
            Window = setup.Window,
            RetryAfterSeconds = setup.RetryAfterSeconds,
            RateLimitEnabled = setup.RateLimitEnabled,
            Latency = TimeSpan.Zero,
            DataDirectory = RepoPaths.DiscogsData(),
        };
        return new SimulatedDiscogs(await DiscogsSimulatorServer.StartAsync(options, cancellationToken));
    }

    public IReadOnlyList<SimulatedRequest> Requests() =>
        [.. _server.Requests.Snapshot().Select(r => new SimulatedRequest(r.At, r.PathAndQuery, r.Status))];

    public void ClearRequests() => _server.Requests.Clear();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
#else
    private SimulatedDiscogs()
    {
    }

    public static bool Available => false;

    public Uri BaseUrl => throw new NotSupportedException(PendingReason);

    public static Task<SimulatedDiscogs> StartAsync(SimulatorSetup setup, CancellationToken cancellationToken) =>
        throw new NotSupportedException(PendingReason);

    public IReadOnlyList<SimulatedRequest> Requests() => [];

    public void ClearRequests()
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
#endif

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
