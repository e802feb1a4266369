using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace EnrichmentWorker.Discogs;

/// <summary>The Discogs client and its request budget. Section "Discogs"; the token may also come from DISCOGS_TOKEN (which wins).</summary>
public sealed class DiscogsOptions : IValidatableObject
{
    public const string SectionName = "Discogs";

    /// <summary>The environment variable that overrides <c>Discogs:Token</c>.</summary>
    public const string TokenEnvironmentVariable = "DISCOGS_TOKEN";

    public const string ProjectUrl = "https://github.com/enrichment-worker/enrichment-worker";

    [Required]
    public Uri BaseUrl { get; set; } = new("https://api.discogs.com");

    /// <summary>A personal access token (https://www.discogs.com/settings/developers). Never logged.</summary>
    public string? Token { get; set; }

    /// <summary>Requests allowed per <see cref="Window"/> for every process together; default 60 with a token, 25 without.</summary>
    [Range(1, 100_000)]
    public int? RequestsPerMinute { get; set; }

    /// <summary>The length of Discogs' moving window (60 s); shorter only for tests and benchmarks against the simulator.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Fraction of the window kept free as slack: N requests are spread over Window × (1 + margin), so network jitter
    /// and clock skew between hosts cannot push an (N+1)th request into the server's window. 0.02 = 98% of the rate.
    /// </summary>
    [Range(0.0, 0.5)]
    public double SafetyMargin { get; set; } = 0.02;

    /// <summary>The row of the shared budget table; processes with the same name on one database share one budget.</summary>
    [Required]
    [MinLength(1)]
    public string BudgetName { get; set; } = "discogs";

    /// <summary>How long to wait after a 429 whose response has no Retry-After header.</summary>
    public TimeSpan DefaultRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time for one HTTP attempt (send and read the body); budget waits are not counted.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of transient failures (5xx, timeouts, resets, malformed bodies) inside one call.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>429s in a row one call waits out in place before it gives up (each waits Retry-After).</summary>
    [Range(0, 1000)]
    public int MaxRateLimitWaits { get; set; } = 30;

    /// <summary>First retry delay; doubled each attempt with jitter, capped at <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The circuit opens when this fraction of calls in the sampling period failed transiently.</summary>
    [Range(0.01, 1.0)]
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    [Range(2, 10_000)]
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the token is checked again while it is missing, invalid or Discogs is unreachable.</summary>
    public TimeSpan IdentityRecheckInterval { get; set; } = TimeSpan.FromSeconds(60);

    public bool HasToken => !string.IsNullOrWhiteSpace(Token);

    /// <summary>The configured rate, or Discogs' own limit for the kind of access (60 authenticated, 25 not).</summary>
    public int EffectiveRequestsPerWindow => RequestsPerMinute ?? (HasToken ? 60 : 25);

    /// <summary><c>EnrichmentWorker/0.1.0 +https://github.com/...</c>: Discogs asks for a unique agent with a contact URL.</summary>
    public static string UserAgent { get; } = BuildUserAgent();

    private static string BuildUserAgent()
    {
        var assembly = typeof(DiscogsOptions).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        // The informational version may carry "+<commit>" build metadata; the agent keeps the plain version.
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return $"EnrichmentWorker/{(plus < 0 ? version : version[..plus])} +{ProjectUrl}";
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult("Discogs:BaseUrl must be an absolute http(s) URL.", [nameof(BaseUrl)]);
        }

        // The value itself is never echoed: it is a secret.
        if (HasToken && Token!.Trim().Any(c => c < '!' || c > '~'))
        {
            yield return new ValidationResult(
                "The Discogs token contains spaces or characters that are not printable ASCII; copy it again from https://www.discogs.com/settings/developers.",
                [nameof(Token)]);
        }

        foreach (var (name, value, min) in new[]
                 {
                     (nameof(Window), Window, TimeSpan.FromMilliseconds(100)),
                     (nameof(RequestTimeout), RequestTimeout, TimeSpan.FromMilliseconds(10)),
                     (nameof(DefaultRetryAfter), DefaultRetryAfter, TimeSpan.Zero),
                     (nameof(RetryBaseDelay), RetryBaseDelay, TimeSpan.Zero),
                     (nameof(RetryMaxDelay), RetryMaxDelay, TimeSpan.Zero),
                     (nameof(CircuitBreakerSamplingDuration), CircuitBreakerSamplingDuration, TimeSpan.FromMilliseconds(500)),
                     (nameof(CircuitBreakerBreakDuration), CircuitBreakerBreakDuration, TimeSpan.FromMilliseconds(500)),
                     (nameof(IdentityRecheckInterval), IdentityRecheckInterval, TimeSpan.FromMilliseconds(100)),
                 })
        {
            if (value < min)
            {
                yield return new ValidationResult($"Discogs:{name} must be at least {min}.", [name]);
            }
        }
    }
}
