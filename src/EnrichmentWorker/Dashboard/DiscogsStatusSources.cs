namespace EnrichmentWorker.Dashboard;

/// <summary>The Discogs request budget as the overview shows it.</summary>
public sealed record BudgetView(
    int Limit, TimeSpan Window, int UsedInWindow, int RemainingInWindow, DateTimeOffset? NextFreeSlot, DateTimeOffset? BlockedUntil,
    DateTimeOffset? Last429At, TimeSpan? LastRetryAfter);

/// <summary>
/// Whether the service can talk to Discogs: "connected as NAME", or why not; <see cref="UnreachableSince"/> while
/// Discogs keeps failing (the circuit breaker is open).
/// </summary>
public sealed record DiscogsStatusView(bool Connected, string Summary, DateTimeOffset? UnreachableSince = null);

/// <summary>
/// Where the overview gets the budget and the Discogs identity. The Discogs client provides them; until it is
/// registered the dashboard says so instead of failing.
/// </summary>
public interface IDashboardDiscogsStatus
{
    Task<BudgetView?> GetBudgetAsync(CancellationToken cancellationToken);

    Task<DiscogsStatusView> GetStatusAsync(CancellationToken cancellationToken);

    /// <summary>
    /// While the token is known to be missing or rejected, checks it once more (one request, through the budget) and
    /// says why Discogs still cannot be used, or null when it can (or was never known bad).
    /// </summary>
    Task<string?> RecheckBadTokenAsync(CancellationToken cancellationToken);
}

internal sealed class UnavailableDiscogsStatus : IDashboardDiscogsStatus
{
    public Task<BudgetView?> GetBudgetAsync(CancellationToken cancellationToken) => Task.FromResult<BudgetView?>(null);

    public Task<DiscogsStatusView> GetStatusAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new DiscogsStatusView(false, "The Discogs client is not part of this build."));

    public Task<string?> RecheckBadTokenAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
