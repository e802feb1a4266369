using EnrichmentWorker.Discogs;

namespace EnrichmentWorker.Dashboard;

/// <summary>The overview's view of the Discogs client: its shared budget and what the last identity check found.</summary>
internal sealed class DiscogsDashboardStatus(DiscogsRequestBudget budget, DiscogsConnectionStatus connection, DiscogsIdentityMonitor identity) : IDashboardDiscogsStatus
{
    public async Task<BudgetView?> GetBudgetAsync(CancellationToken cancellationToken)
    {
        var s = await budget.GetSnapshotAsync(cancellationToken);
        return new BudgetView(s.Limit, s.Window, s.UsedInWindow, s.RemainingInWindow, s.NextFreeSlot, s.BlockedUntil, s.Last429At, s.LastRetryAfter);
    }

    /// <summary>The reason text comes from the client, which never puts the token in it.</summary>
    public Task<DiscogsStatusView> GetStatusAsync(CancellationToken cancellationToken)
    {
        var c = connection.Current;
        if (connection.Outage is { } outage)
        {
            return Task.FromResult(new DiscogsStatusView(false, outage.Reason, outage.Since));
        }

        return Task.FromResult(c.State switch
        {
            DiscogsConnectionState.Connected => new DiscogsStatusView(true, $"Connected as {c.Username}."),
            DiscogsConnectionState.MissingToken => new DiscogsStatusView(false, c.Reason ?? "No Discogs token is configured (DISCOGS_TOKEN or Discogs:Token)."),
            DiscogsConnectionState.Invalid => new DiscogsStatusView(false, c.Reason ?? "Discogs token invalid."),
            DiscogsConnectionState.Unreachable => new DiscogsStatusView(false, c.Reason ?? "Discogs cannot be reached."),
            _ => new DiscogsStatusView(false, c.Reason ?? "Not checked yet."),
        });
    }

    public async Task<string?> RecheckBadTokenAsync(CancellationToken cancellationToken)
    {
        if (connection.Current.State is not (DiscogsConnectionState.Invalid or DiscogsConnectionState.MissingToken))
        {
            return null;
        }

        // An unreachable Discogs is not a bad token: the jobs wait for it on their own.
        var checkedNow = await identity.CheckOnceAsync(cancellationToken);
        return checkedNow.State is DiscogsConnectionState.Invalid or DiscogsConnectionState.MissingToken ? checkedNow.Reason ?? "Discogs rejects the token." : null;
    }
}
