namespace EnrichmentWorker.Discogs;

/// <summary>The shared budget's row, as the policy reads and writes it. Times are UTC.</summary>
internal sealed record BudgetState
{
    public DateTimeOffset? Tat { get; init; }

    /// <summary>Grant times of our most recent requests, oldest first.</summary>
    public IReadOnlyList<DateTimeOffset> RecentGrants { get; init; } = [];

    public DateTimeOffset? BlockedUntil { get; init; }

    public DateTimeOffset? Last429At { get; init; }

    public TimeSpan? LastRetryAfter { get; init; }

    public int ForeignUsed { get; init; }

    public DateTimeOffset? ForeignUntil { get; init; }

    public int? ServerLimit { get; init; }

    public int? ServerUsed { get; init; }

    public int? ServerRemaining { get; init; }

    public DateTimeOffset? ServerSeenAt { get; init; }
}

/// <summary>What one response said about the server's window: the three X-Discogs-Ratelimit headers and a 429's Retry-After.</summary>
public sealed record RateLimitObservation(int? Limit, int? Used, int? Remaining, bool RateLimited, TimeSpan? RetryAfter)
{
    public bool HasHeaders => Used is not null;
}

/// <summary>Either the caller may send now, or it must wait this long and ask again.</summary>
internal readonly record struct BudgetDecision(bool Granted, TimeSpan Wait, BudgetState State);

/// <summary>
/// The budget's arithmetic, pure so it can be tested with any clock. Two rules, both must allow a request:
///
/// 1. GCRA (the generic cell rate algorithm): requests are spaced by the emission interval
///    T = Window × (1 + margin) / allowance. A request may start at or after the theoretical arrival time (TAT); the
///    next TAT is max(TAT, now − τ) + T. The tolerance τ = margin × Window / 2 lets a worker that woke a few
///    milliseconds late keep its slot instead of losing that time for good (without it, timer lateness alone cost
///    ~5% of the rate on a 100 ms interval), yet it is far too small to grant a burst: after any idle time at most
///    one request starts at once. Any N+1 consecutive requests therefore span at least N·T − τ = Window × (1 + margin/2),
///    so the server's moving window never holds more than N of ours, with margin × Window / 2 to spare for network
///    jitter and clock skew between hosts. A token bucket of N would instead hand out N at once after an idle minute and
///    then refill, i.e. up to 2N in one moving window: exactly the "full budget after idle" mistake.
///
/// 2. A sliding log of our own last grants: at most `allowance` of them in any Window + slack. It is what makes the
///    budget exact when the allowance changes (another program on this IP appears or leaves, the server reports a
///    lower limit), and it is how an idle budget still counts what was sent in the last window: the log, not a
///    counter that resets, says what the server's window still holds.
///
/// The allowance is the limit (the smaller of the configured rate and the server's X-Discogs-Ratelimit) less the
/// requests the server counted that were not ours (X-Discogs-Ratelimit-Used minus our grants in the same window).
/// That foreign usage is assumed to stay for a whole window from when it was seen (we cannot know when the other
/// program sent it), which spreads our remaining requests over the rest of that window; every later response
/// refreshes or clears it. A 429 blocks every process until Retry-After has passed.
/// </summary>
internal sealed class BudgetPolicy(int configuredLimit, TimeSpan window, double safetyMargin)
{
    public int ConfiguredLimit { get; } = configuredLimit;

    public TimeSpan Window { get; } = window;

    /// <summary>Extra time counted around the window's edge (and the GCRA tolerance).</summary>
    public TimeSpan Slack { get; } = window * (safetyMargin / 2);

    public int Limit(BudgetState state) =>
        state.ServerLimit is > 0 and var server ? Math.Min(ConfiguredLimit, server) : ConfiguredLimit;

    public int Foreign(BudgetState state, DateTimeOffset now) =>
        state.ForeignUntil is { } until && until > now ? state.ForeignUsed : 0;

    public int Allowance(BudgetState state, DateTimeOffset now) => Limit(state) - Foreign(state, now);

    public TimeSpan EmissionInterval(int allowance) => Window * (1 + safetyMargin) / Math.Max(allowance, 1);

    public int UsedInWindow(BudgetState state, DateTimeOffset now) =>
        state.RecentGrants.Count(g => g > now - Window && g <= now);

    /// <summary>The earliest time a request may start, judged at <paramref name="now"/>.</summary>
    public DateTimeOffset NextSlot(BudgetState state, DateTimeOffset now)
    {
        var earliest = now;
        if (state.BlockedUntil is { } blocked && blocked > earliest)
        {
            earliest = blocked;
        }

        if (state.Tat is { } tat && tat > earliest)
        {
            earliest = tat;
        }

        var allowance = Allowance(state, now);
        if (allowance <= 0)
        {
            // The server's window is full of someone else's requests: wait until that estimate lapses.
            return state.ForeignUntil is { } until && until > earliest ? until : earliest;
        }

        var countedSince = now - Window - Slack;
        var inWindow = state.RecentGrants.Where(g => g > countedSince).ToList();
        if (inWindow.Count >= allowance)
        {
            // The oldest grant that must leave the window before one more fits.
            var mustExpire = inWindow[inWindow.Count - allowance] + Window + Slack;
            if (mustExpire > earliest)
            {
                earliest = mustExpire;
            }
        }

        return earliest;
    }

    public BudgetDecision Decide(BudgetState state, DateTimeOffset now)
    {
        var next = NextSlot(state, now);
        if (next > now)
        {
            return new BudgetDecision(false, next - now, state);
        }

        var interval = EmissionInterval(Allowance(state, now));
        var from = state.Tat is { } tat && tat > now - Slack ? tat : now - Slack;
        var keepSince = now - (2 * Window);
        var grants = state.RecentGrants.Where(g => g > keepSince).Append(now).TakeLast(2 * ConfiguredLimit).ToList();
        return new BudgetDecision(true, TimeSpan.Zero, state with { Tat = from + interval, RecentGrants = grants });
    }

    /// <summary>Folds one response into the state. <paramref name="grantedAt"/> is when that request was granted.</summary>
    public BudgetState Observe(BudgetState state, DateTimeOffset now, DateTimeOffset grantedAt, RateLimitObservation observation, TimeSpan defaultRetryAfter)
    {
        var next = state;
        if (observation.HasHeaders)
        {
            // Our requests the server may have counted for this one: granted within its window, widened by the slack
            // on both sides (arrival order and latency differ a little from grant order), so that only what our own
            // grants cannot explain is called foreign.
            var ours = state.RecentGrants.Count(g => g > grantedAt - Window - Slack && g <= grantedAt + Slack);
            var foreign = Math.Max(0, observation.Used!.Value - ours);
            next = next with
            {
                ServerLimit = observation.Limit ?? next.ServerLimit,
                ServerUsed = observation.Used,
                ServerRemaining = observation.Remaining,
                ServerSeenAt = now,
                ForeignUsed = foreign,
                ForeignUntil = foreign > 0 ? now + Window : null,
            };
        }

        if (observation.RateLimited)
        {
            var retryAfter = observation.RetryAfter ?? defaultRetryAfter;
            var until = now + retryAfter;
            next = next with
            {
                BlockedUntil = next.BlockedUntil is { } blocked && blocked > until ? blocked : until,
                Last429At = now,
                LastRetryAfter = retryAfter,
            };
        }

        return next;
    }
}
