using System.ComponentModel.DataAnnotations;

namespace EnrichmentWorker.DiscogsSimulator;

/// <summary>
/// How the simulator behaves. Bound from the "Simulator" configuration section when run as an exe
/// (<c>--Simulator:Window=00:00:10</c>); set directly by tests.
/// </summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>Requests allowed in one moving window with a valid token (Discogs: 60).</summary>
    [Range(1, 100_000)]
    public int RequestsPerWindow { get; set; } = 60;

    /// <summary>Requests allowed in one moving window without a token (Discogs: 25).</summary>
    [Range(1, 100_000)]
    public int UnauthenticatedRequestsPerWindow { get; set; } = 25;

    /// <summary>Length of the moving window (Discogs: 60 s). Shorten it so tests run in seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The Retry-After header value on a 429 (Discogs: 60). Scale it with <see cref="Window"/>.</summary>
    [Range(0, 86_400)]
    public int RetryAfterSeconds { get; set; } = 60;

    /// <summary>Tokens accepted in <c>Authorization: Discogs token=...</c> or <c>?token=</c>.</summary>
    public ISet<string> ValidTokens { get; set; } = new HashSet<string>(StringComparer.Ordinal) { "test-token" };

    /// <summary>The folder holding the real Discogs data (catalog/, dumps/). Default: tests/discogs-data found upward.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Added to every response (a slow API), before the body is written.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>Off: requests are still counted and the headers still sent, but never refused with 429.</summary>
    public bool RateLimitEnabled { get; set; } = true;

    /// <summary>How long a <see cref="FaultKind.Latency"/> fault holds a response when no delay is given.</summary>
    public TimeSpan FaultLatency { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Releases that search returns but <c>/releases/{id}</c> answers with 404 (hidden on Discogs).</summary>
    public ISet<long> HiddenReleaseIds { get; set; } = new HashSet<long>();

    /// <summary>The user name <c>/oauth/identity</c> reports for a valid token.</summary>
    public string IdentityUsername { get; set; } = "simulator_user";

    /// <summary>The clock of the rate window and of delays; tests inject a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
