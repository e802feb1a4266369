using EnrichmentWorker.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Discogs;

/// <summary>A granted request slot; pass it back with what the response said.</summary>
public readonly record struct BudgetGrant(DateTimeOffset GrantedAt);

/// <summary>The budget as the dashboard shows it.</summary>
public sealed record DiscogsBudgetSnapshot(
    int Limit,
    TimeSpan Window,
    int UsedInWindow,
    int RemainingInWindow,
    DateTimeOffset NextFreeSlot,
    DateTimeOffset? BlockedUntil,
    DateTimeOffset? Last429At,
    TimeSpan? LastRetryAfter,
    int ForeignUsed,
    int? ServerLimit,
    int? ServerUsed,
    int? ServerRemaining,
    DateTimeOffset? ServerSeenAt);

/// <summary>
/// The one request budget for every worker in every process on the same database (see <see cref="BudgetPolicy"/> for
/// the algorithm and why). Its state is a row in PostgreSQL, changed by compare-and-swap (<see cref="DiscogsBudgetStore"/>),
/// so two processes on one database send at most N requests in any moving window together. Waiting uses the
/// <see cref="TimeProvider"/>.
/// </summary>
public sealed class DiscogsRequestBudget : IDisposable
{
    private readonly DiscogsBudgetStore store;
    private readonly IOptionsMonitor<DiscogsOptions> options;
    private readonly TimeProvider time;
    private readonly EnrichmentTelemetry telemetry;
    private readonly ILogger<DiscogsRequestBudget> logger;
    private readonly IDisposable remainingGauge;
    private readonly SemaphoreSlim waiter = new(1, 1);
    private readonly ForeignBurstForecast bursts = new();

    // The row as this process last read or wrote it, for the remaining-requests gauge: the metrics exporter calls the
    // gauge on its own thread, which must not query the database.
    private BudgetState? lastState;

    // Permits granted by a lease (BudgetPolicy) and not yet used, by grant time: this process's alone.
    private readonly Queue<DateTimeOffset> leased = new();

    // How many permits the next decision may ask for, sized by what the last lease showed this process can use (under
    // the lock on leased): all of it used → twice as many, some gone stale → as many as were used. Every permit is
    // logged in the shared row until it has left the window, so permits that go stale are not only wasted room: at a
    // high rate with few callers (the benchmark's unlimited simulator and four workers) a fixed lease of 16 logged
    // 15 unused permits per request, and the row (written twice per request) grew sixteen-fold.
    private int leaseSize = 1;
    private int leaseUsed;
    private bool leaseWentStale;

    public DiscogsRequestBudget(NpgsqlDataSource dataSource, IOptionsMonitor<DiscogsOptions> options, TimeProvider time, EnrichmentTelemetry telemetry, ILogger<DiscogsRequestBudget> logger)
    {
        store = new DiscogsBudgetStore(dataSource);
        this.options = options;
        this.time = time;
        this.telemetry = telemetry;
        this.logger = logger;
        remainingGauge = telemetry.ObserveBudget(RemainingInWindow);
    }

    private string Name => options.CurrentValue.BudgetName;

    private BudgetPolicy Policy
    {
        get
        {
            var current = options.CurrentValue;
            return new BudgetPolicy(current.EffectiveRequestsPerWindow, current.Window, current.SafetyMargin);
        }
    }

    /// <summary>
    /// Waits until this process may send one request, and takes that slot for it. One worker of the process waits for
    /// the next slot at a time; the others queue here in memory. Without this every waiting worker woke at the same
    /// instant and queued on the budget's row lock, so the one that got the slot often got it late, and lateness
    /// beyond the GCRA tolerance is time lost for good. Measured with two real processes of three workers on a
    /// loaded 2-core machine (30 requests per 2 s): 89-92% of the rate before, 93% with this alone, 98% with the
    /// wider tolerance of <see cref="BudgetPolicy"/> as well. The one waiter looks again at least once per emission
    /// interval of the full rate, so a wait computed before the state changed (the foreign requests left the window,
    /// the other process took the slot) never holds the whole process back.
    /// </summary>
    public async Task<BudgetGrant> AcquireAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        await waiter.WaitAsync(cancellationToken);
        try
        {
            var logged = false;
            while (true)
            {
                var decision = await TryAcquireAsync(cancellationToken);
                if (decision.Granted)
                {
                    telemetry.RecordLimiterWait(time.GetElapsedTime(started));
                    return new BudgetGrant(decision.At);
                }

                if (decision.Wait > TimeSpan.FromSeconds(5) && !logged)
                {
                    logger.LogInformation("Discogs request budget: waiting {Seconds:0.#} s for the next free slot", decision.Wait.TotalSeconds);
                    logged = true;
                }

                var recheck = Policy.EmissionInterval(Policy.ConfiguredLimit);
                await Task.Delay(decision.Wait < recheck ? decision.Wait : recheck, time, cancellationToken);
            }
        }
        finally
        {
            waiter.Release();
        }
    }

    /// <summary>
    /// One attempt: uses a leased permit if one is still fresh, else takes a slot (or a lease of a few when the rate is
    /// very high) if one is free now, otherwise says how long until the next one. The returned time is the grant time
    /// the shared log holds for this request.
    /// </summary>
    internal async Task<(bool Granted, DateTimeOffset At, TimeSpan Wait)> TryAcquireAsync(CancellationToken cancellationToken)
    {
        var policy = Policy;
        if (TryTakeLeased(policy.LeaseHorizon) is { } leasedAt)
        {
            return (true, leasedAt, TimeSpan.Zero);
        }

        var maxPermits = NextLeaseSize();
        var (granted, at, wait, permits) = await store.UpdateAsync(Name, state =>
        {
            var now = Now();
            var decision = policy.Decide(state, now, maxPermits, bursts.Reserve(now, policy.Window));
            Volatile.Write(ref lastState, decision.State);
            return (decision.State, (decision.Granted, now, decision.Wait, decision.Permits));
        }, cancellationToken);

        if (granted)
        {
            lock (leased)
            {
                leaseUsed = 1;
                leaseWentStale = false;
                for (var i = 1; i < permits; i++)
                {
                    leased.Enqueue(at);
                }
            }
        }

        return (granted, at, wait);
    }

    /// <summary>A leased permit still inside its horizon; stale ones are dropped (they stay counted as sent).</summary>
    private DateTimeOffset? TryTakeLeased(TimeSpan horizon)
    {
        lock (leased)
        {
            var now = time.GetUtcNow();
            while (leased.TryDequeue(out var grantedAt))
            {
                if (now - grantedAt <= horizon)
                {
                    leaseUsed++;
                    return grantedAt;
                }

                leaseWentStale = true;
            }

            return null;
        }
    }

    /// <summary>The permits the next decision may grant: see <see cref="leaseSize"/>.</summary>
    private int NextLeaseSize()
    {
        lock (leased)
        {
            if (leaseUsed > 0)
            {
                leaseSize = leaseWentStale ? leaseUsed : Math.Min(BudgetPolicy.MaxLease, 2 * leaseUsed);
                leaseUsed = 0;
            }

            return leaseSize;
        }
    }

    /// <summary>Feeds one response's rate-limit headers (and a 429) into the shared state; call it for failed attempts too, with an empty observation.</summary>
    public Task ObserveAsync(BudgetGrant grant, RateLimitObservation observation, CancellationToken cancellationToken) =>
        ObserveAsync(grant, observation, time.GetUtcNow(), cancellationToken);

    /// <summary>
    /// As above, with the time the answer came (<paramref name="answeredAt"/>), taken by the caller before this call
    /// waits to change the budget's row: the request stays counted until then plus a window, so a wait counted
    /// as part of the request would hold the next requests back by as long, for nothing.
    /// </summary>
    public async Task ObserveAsync(BudgetGrant grant, RateLimitObservation observation, DateTimeOffset answeredAt, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        var policy = Policy;
        var at = AtDatabasePrecision(answeredAt);
        var (foreignBefore, foreignAfter, blockedUntil, burst) = await store.UpdateAsync(Name, state =>
        {
            var now = Now();
            var next = policy.Observe(state, at < now ? at : now, grant.GrantedAt, observation, current.DefaultRetryAfter);
            Volatile.Write(ref lastState, next);
            return (next, (policy.Foreign(state, now), policy.Foreign(next, now), next.BlockedUntil, policy.BurstSeen(state, next)));
        }, cancellationToken);

        if (burst is { } seen)
        {
            bursts.Seen(seen, policy.Window);
            logger.LogInformation(
                "Discogs counts {Size} requests more in its window since the answer before: another program on this IP sent them at once; room is kept for its next burst if they come at a steady pace",
                seen.Size);
        }

        if (observation.RateLimited)
        {
            // A 429 holds back every request from now on, including those this process had leased.
            lock (leased)
            {
                leased.Clear();
            }

            logger.LogWarning(
                "Discogs answered 429 (rate limited); every worker waits until {BlockedUntil:u} (Retry-After {RetryAfter:0.#} s)",
                blockedUntil, (observation.RetryAfter ?? current.DefaultRetryAfter).TotalSeconds);
        }

        if (foreignAfter > 0 && foreignBefore == 0)
        {
            logger.LogInformation(
                "Discogs counts {Foreign} requests in its window that this service did not send (another program on this IP?); slowing down to share the window",
                foreignAfter);
        }
    }

    /// <summary>
    /// The clock, at PostgreSQL's precision (microseconds), so a grant time read back from the row equals the one the
    /// caller holds and <see cref="ObserveAsync"/> finds its entry.
    /// </summary>
    private DateTimeOffset Now() => AtDatabasePrecision(time.GetUtcNow());

    private static DateTimeOffset AtDatabasePrecision(DateTimeOffset at) => at.AddTicks(-(at.UtcTicks % 10));

    /// <summary>
    /// Requests this service may still send in the current window, as the dashboard counts them (the limit, less
    /// requests other programs used as Discogs' headers reported, less ours), from the last state this process saw.
    /// Null until this process has used the budget.
    /// </summary>
    private int? RemainingInWindow()
    {
        if (Volatile.Read(ref lastState) is not { } state)
        {
            return null;
        }

        var policy = Policy;
        var now = time.GetUtcNow();
        return Math.Max(0, policy.Allowance(state, now) - policy.UsedInWindow(state, now));
    }

    // The waiter is not disposed: a request still leaving at shutdown releases it, and a SemaphoreSlim whose wait
    // handle was never asked for holds nothing to free.
    public void Dispose() => remainingGauge.Dispose();

    /// <summary>The budget's state for the dashboard and the status command.</summary>
    public async Task<DiscogsBudgetSnapshot> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        var state = await store.ReadAsync(Name, cancellationToken);
        var policy = Policy;
        var now = time.GetUtcNow();
        var limit = policy.Limit(state);
        var used = policy.UsedInWindow(state, now);
        return new DiscogsBudgetSnapshot(
            limit,
            policy.Window,
            used,
            Math.Max(0, policy.Allowance(state, now) - used),
            policy.NextSlot(state, now),
            state.BlockedUntil,
            state.Last429At,
            state.LastRetryAfter,
            policy.Foreign(state, now),
            state.ServerLimit,
            state.ServerUsed,
            state.ServerRemaining,
            state.ServerSeenAt);
    }
}
