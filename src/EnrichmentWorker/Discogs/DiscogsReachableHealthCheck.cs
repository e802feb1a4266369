using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnrichmentWorker.Discogs;

/// <summary>
/// Degraded while Discogs keeps failing and the circuit breaker holds calls back, with since when and why; Healthy
/// otherwise. Degraded, not Unhealthy, for the same reason as the token: a restart cannot bring Discogs back, and the
/// albums simply wait in the queue until it answers.
/// </summary>
public sealed class DiscogsReachableHealthCheck(DiscogsConnectionStatus status) : IHealthCheck
{
    public const string Name = "discogs-reachable";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.Outage is { } outage
            ? HealthCheckResult.Degraded(Describe(outage))
            : HealthCheckResult.Healthy(Healthy(status.Current)));

    // Healthy says only what is known: without a token nothing has been sent, so "Discogs answers" would be a guess.
    private static string Healthy(DiscogsConnection connection) => connection.State switch
    {
        DiscogsConnectionState.Connected or DiscogsConnectionState.Invalid => "Discogs answers.",
        DiscogsConnectionState.Unreachable => $"No outage yet; the last token check did not reach Discogs: {connection.Reason}",
        _ => "No outage seen; Discogs has not been asked yet.",
    };

    /// <summary>"Discogs unreachable since 2026-12-05 02:40:11 UTC: REASON"; also the service status line's text.</summary>
    public static string Describe(DiscogsOutage outage)
    {
        ArgumentNullException.ThrowIfNull(outage);
        return string.Create(CultureInfo.InvariantCulture,
            $"Discogs unreachable since {outage.Since.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC: {outage.Reason.TrimEnd('.')}. Albums wait in the queue until it answers.");
    }
}
