namespace EnrichmentWorker.Discogs;

public enum DiscogsConnectionState
{
    Unknown,
    MissingToken,
    Invalid,
    Connected,
    Unreachable,
}

/// <summary>What the last token check found. <see cref="Reason"/> is safe to show (it never holds the token).</summary>
public sealed record DiscogsConnection(DiscogsConnectionState State, string? Username, string? Reason, DateTimeOffset? CheckedAt)
{
    public bool CanWork => State == DiscogsConnectionState.Connected;
}

/// <summary>
/// Discogs stopped answering (the circuit breaker opened): since the first failure of the streak that opened it, and
/// the latest error. Safe to show: client errors never hold the token.
/// </summary>
public sealed record DiscogsOutage(DateTimeOffset Since, string Reason);

/// <summary>
/// The Discogs connection as the identity check (and any 401 on the way) last saw it. One per process; the queue
/// reads it to pause and resume, the dashboard and health checks to say why nothing runs.
/// </summary>
public sealed class DiscogsConnectionStatus
{
    private readonly Lock gate = new();
    private DiscogsConnection current = new(DiscogsConnectionState.Unknown, null, "Not checked yet.", null);
    private DiscogsOutage? outage;
    private TaskCompletionSource recheck = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DiscogsConnection Current
    {
        get
        {
            lock (gate)
            {
                return current;
            }
        }
    }

    /// <summary>
    /// Set while the circuit breaker holds calls back because Discogs keeps failing, whatever the token's state: a
    /// valid token with an unreachable Discogs is still an outage.
    /// </summary>
    public DiscogsOutage? Outage
    {
        get
        {
            lock (gate)
            {
                return outage;
            }
        }
    }

    /// <summary>Raised after every change of state (not on every check).</summary>
    public event Action<DiscogsConnection>? Changed;

    internal void Set(DiscogsConnection connection)
    {
        bool changed;
        lock (gate)
        {
            changed = current.State != connection.State || current.Username != connection.Username || current.Reason != connection.Reason;
            current = connection;
        }

        if (changed)
        {
            Changed?.Invoke(connection);
        }
    }

    /// <summary>The circuit opened (again): keeps the first <paramref name="since"/> of an outage, takes the latest reason.</summary>
    internal void ReportUnreachable(DateTimeOffset since, string reason)
    {
        lock (gate)
        {
            outage = new DiscogsOutage(outage?.Since ?? since, reason);
        }
    }

    /// <summary>The circuit closed: Discogs answers again.</summary>
    internal void ReportReachable()
    {
        lock (gate)
        {
            outage = null;
        }
    }

    /// <summary>
    /// A request was answered 401: the token stopped working; a job's request asks the identity check to look again,
    /// the identity check's own does not (it would wake itself and re-check as fast as the budget allows).
    /// </summary>
    internal void ReportUnauthorized(string reason, DateTimeOffset at, bool byIdentityCheck)
    {
        Set(new DiscogsConnection(DiscogsConnectionState.Invalid, null, reason, at));
        if (!byIdentityCheck)
        {
            RequestRecheck();
        }
    }

    /// <summary>Wakes the identity check now (a configuration change, a 401).</summary>
    public void RequestRecheck()
    {
        TaskCompletionSource signal;
        lock (gate)
        {
            signal = recheck;
            recheck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }

    internal Task RecheckRequested
    {
        get
        {
            lock (gate)
            {
                return recheck.Task;
            }
        }
    }
}
