using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnrichmentWorker.Discogs;

/// <summary>
/// The Discogs token, as the identity check last found it: Healthy when connected ("Connected to Discogs as NAME"),
/// Degraded with the reason otherwise.
/// </summary>
/// <remarks>
/// Degraded, not Unhealthy, for a missing or rejected token on purpose. Readiness failures make orchestrators act:
/// Docker marks the container unhealthy (and autoheal or a swarm restarts it), Kubernetes takes the pod out of its
/// Service. Neither fixes a token: a restart comes back with the same configuration and fails again, forever, and an
/// unrouted pod hides the dashboard, which is where a person reads what is wrong and can still add albums. The queue
/// already pauses itself and resumes once a valid token is checked; the status answers 200 with the reason visible.
/// </remarks>
public sealed class DiscogsTokenHealthCheck(DiscogsConnectionStatus status) : IHealthCheck
{
    public const string Name = "discogs-token";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var connection = status.Current;
        var result = connection.State switch
        {
            DiscogsConnectionState.Connected => HealthCheckResult.Healthy($"Connected to Discogs as {connection.Username}."),
            DiscogsConnectionState.Unknown => HealthCheckResult.Degraded("The Discogs token has not been checked yet."),
            _ => HealthCheckResult.Degraded(connection.Reason ?? "Discogs cannot be used with the configured token."),
        };
        return Task.FromResult(result);
    }
}
