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

    /// <summary>Requests of the window held back after 429s (see <see cref="BudgetPolicy.Backoff"/>).</summary>
    public int Backoff { get; init; }

    public DateTimeOffset? BackoffAt { get; init; }

    /// <summary>The foreign count the last answer showed, before confirmation (see <see cref="BudgetPolicy.Observe"/>).</summary>
    public int ForeignSample { get; init; }

    public DateTimeOffset? ForeignSampleAt { get; init; }
}

/// <summary>What one response said about the server's window: the three X-Discogs-Ratelimit headers and a 429's Retry-After.</summary>
public sealed record RateLimitObservation(int? Limit, int? Used, int? Remaining, bool RateLimited, TimeSpan? RetryAfter)
{
    public bool HasHeaders => Used is not null;
}

/// <summary>Another program sent <see cref="Size"/> requests at once, after the answer at <see cref="After"/> and by the one at <see cref="By"/>.</summary>
internal readonly record struct ForeignBurst(DateTimeOffset After, DateTimeOffset By, int Size);

/// <summary>Either the caller may send <see cref="Permits"/> requests now (granted), or it must wait this long and ask again.</summary>
internal readonly record struct BudgetDecision(bool Granted, TimeSpan Wait, BudgetState State, int Permits = 1);

/// <summary>
/// The budget's arithmetic, pure so it can be tested with any clock. Two rules, both must allow a request:
///
/// 1. A sliding log of our own recent requests (the hard limit): at most `allowance` of them in any Window + slack,
///    where slack = margin × Window / 2. Each entry is the grant time until the answer comes, then the answer's time:
///    the server counted the request somewhere in between, so it stays counted until it has surely left the server's
///    window. This is what makes an idle budget still respect what was sent in the last window (the log, not a counter
///    that resets, says what the server's window still holds), and what keeps the budget exact when the allowance
///    changes. A token bucket of N would instead hand out N at once after an idle minute and then refill: up to 2N in
///    one moving window, the "full budget after idle" mistake.
///
/// 2. GCRA (the generic cell rate algorithm) to spread requests evenly: they are spaced by the emission interval
///    T = Window × (1 + margin) / allowance, so N requests take Window × (1 + margin) and the server's window never
///    fills before its oldest request leaves (98% of the rate with the default margin of 0.02). A request may start at
///    or after the theoretical arrival time (TAT). A grant at most τ = 4T (T of the full limit) after its TAT moves the TAT on by T, so
///    time lost to a late grant is made up by the next ones rather than lost for good: on a loaded 2-core machine
///    wake-ups and the row lock were tens of milliseconds late, a slow answer holds rule 1 back by as long (answers
///    took up to 300 ms on a 68 ms interval), and a descheduled process stalls everything; losing all lateness
///    beyond T / 2, as this did before, kept two processes near 90% of the rate. Later than τ counts as idle: the
///    next TAT is then now + T / 2, so after idle time only one request starts at once and the next waits at least
///    T / 2. Spacing alone is not the guarantee (late grants can bunch); rule 1 is.
///
/// The allowance is the limit (the smaller of the configured rate and the server's X-Discogs-Ratelimit) less the
/// requests the server counted that were not ours (X-Discogs-Ratelimit-Used minus our requests in the same window).
/// That foreign usage is assumed to stay for a whole window from when it was seen (we cannot know when the other
/// program sent it), which spreads our remaining requests over the rest of that window; every later response
/// refreshes or clears it. A 429 blocks every process until Retry-After has passed.
///
/// Leases: when the rate is so high that several requests are due within <see cref="LeaseHorizon"/> (thousands a
/// second, as with a fast local mirror or the benchmark's unlimited simulator), one decision grants a few permits at
/// once, so a process does not change the shared row for every request. Each permit is logged at its grant time like a
/// single grant and rule 1 counts all of them before granting; the process must send within the horizon or drop the
/// permit. Since the horizon is at most the slack, a request sent at the end of it is still counted for a whole
/// window after it was sent, so the guarantee holds across processes as before. At Discogs' real rates (one request a
/// second) the horizon never holds two and every decision grants exactly one.
/// </summary>
internal sealed class BudgetPolicy(int configuredLimit, TimeSpan window, double safetyMargin)
{
    public int ConfiguredLimit { get; } = configuredLimit;

    public TimeSpan Window { get; } = window;

    /// <summary>Most permits one decision grants (see leases above).</summary>
    public const int MaxLease = 16;

    // Leases start only where two requests are due within a millisecond (2,000 a second and up): far above any real
    // Discogs rate and the test configurations, where every grant stays exactly one logged request.
    private static readonly TimeSpan MaxLeaseHorizon = TimeSpan.FromMilliseconds(1);

    /// <summary>Extra time counted around the window's edge (and the GCRA tolerance).</summary>
    public TimeSpan Slack { get; } = window * (safetyMargin / 2);

    /// <summary>How long after its grant a leased permit may still be used: never more than the slack.</summary>
    public TimeSpan LeaseHorizon => Slack < MaxLeaseHorizon ? Slack : MaxLeaseHorizon;

    public int Limit(BudgetState state) =>
        state.ServerLimit is > 0 and var server ? Math.Min(ConfiguredLimit, server) : ConfiguredLimit;

    public int Foreign(BudgetState state, DateTimeOffset now) =>
        state.ForeignUntil is { } until && until > now ? state.ForeignUsed : 0;

    /// <summary>
    /// The requests of ours the server's window may hold: the limit less the foreign requests, the back-off, and
    /// <paramref name="reserved"/> requests kept free for another program's burst that is due (<see cref="ForeignBurstForecast"/>).
    /// The reserve never takes the last request: a forecast is a guess, and one request a window keeps the headers coming.
    /// </summary>
    public int Allowance(BudgetState state, DateTimeOffset now, int reserved = 0)
    {
        var allowance = Limit(state) - Foreign(state, now) - Backoff(state, now);
        return reserved > 0 ? Math.Max(Math.Min(allowance, 1), allowance - reserved) : allowance;
    }

    /// <summary>
    /// Windows after which the back-off gives one request back. Slow on purpose: a 429 costs the whole IP a wait, so
    /// the room it taught us to leave is kept for long (16 minutes a request at Discogs' 60 s window), while doubling
    /// it on each further 429 finds the room needed within a few.
    /// </summary>
    public const int BackoffDecayWindows = 16;

    /// <summary>A foreign count this small is not taken for another program (see <see cref="Observe"/>).</summary>
    public const int NoiseFloor = 1;

    /// <summary>
    /// A foreign count at least this much above the one before is another program's burst: a tenth of the limit, and
    /// never less than 5. One answer's count is low by as many of our requests as were in flight when it was taken (3
    /// workers a process) and the slack's one: beside a steady 30 % at 30 per window, one count was 4 above the one
    /// before with no burst at all. A steady neighbour's count moves by one or two between answers.
    /// </summary>
    public int BurstThreshold(BudgetState state) => Math.Max(5, Limit(state) / 10);

    /// <summary>
    /// The burst that the answer folded into <paramref name="after"/> showed, if any: the foreign count rose by at least
    /// <see cref="BurstThreshold"/> above both the answer before (less than a window earlier) and the count held for the
    /// window. The other program sent it between the two answers.
    /// </summary>
    public ForeignBurst? BurstSeen(BudgetState before, BudgetState after) =>
        after.ForeignSampleAt is { } to && to != before.ForeignSampleAt && Rise(before, after.ForeignSample, to) is { } rise
            ? new ForeignBurst(before.ForeignSampleAt!.Value, to, rise)
            : null;

    /// <summary>
    /// The held count counts as well as the answer before: a steady neighbour's held count lapses every window (equal
    /// counts do not extend it), and the next count, as high as before, is no burst.
    /// </summary>
    private int? Rise(BudgetState before, int sample, DateTimeOffset now)
    {
        if (before.ForeignSampleAt is not { } since || since <= now - Window)
        {
            return null;
        }

        var rise = sample - Math.Max(before.ForeignSample, Foreign(before, now));
        return rise >= BurstThreshold(before) ? rise : null;
    }

    /// <summary>
    /// Requests of the window left unused after 429s, on top of the foreign requests the headers show: what our
    /// estimate of the other programs' use cannot see (their requests between our answers, our own requests the
    /// server counted later than we did). Each 429 doubles it (from 1, up to a quarter of the limit); it shrinks by
    /// one every <see cref="BackoffDecayWindows"/> windows without a 429. So a neighbour that keeps causing 429s
    /// soon gets the room it needs, and one that left gives it back, never all at once.
    /// </summary>
    public int Backoff(BudgetState state, DateTimeOffset now)
    {
        if (state.Backoff <= 0 || state.BackoffAt is not { } since)
        {
            return 0;
        }

        var given = (int)Math.Floor((now - since) / (Window * BackoffDecayWindows));
        return Math.Max(0, state.Backoff - Math.Max(0, given));
    }

    public TimeSpan EmissionInterval(int allowance) => Window * (1 + safetyMargin) / Math.Max(allowance, 1);

    public int UsedInWindow(BudgetState state, DateTimeOffset now) =>
        state.RecentGrants.Count(g => g > now - Window && g <= now);

    /// <summary>The earliest time a request may start, judged at <paramref name="now"/> (<paramref name="reserved"/>: see <see cref="Allowance"/>).</summary>
    public DateTimeOffset NextSlot(BudgetState state, DateTimeOffset now, int reserved = 0)
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

        var allowance = Allowance(state, now, reserved);
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

    /// <summary>
    /// Grants one request, or up to <paramref name="maxPermits"/> when that many are due within
    /// <see cref="LeaseHorizon"/> and rule 1 has room for all of them; otherwise says how long to wait.
    /// </summary>
    public BudgetDecision Decide(BudgetState state, DateTimeOffset now, int maxPermits = 1, int reserved = 0)
    {
        var next = NextSlot(state, now, reserved);
        if (next > now)
        {
            return new BudgetDecision(false, next - now, state);
        }

        var allowance = Allowance(state, now, reserved);
        var interval = EmissionInterval(allowance);
        var room = allowance - state.RecentGrants.Count(g => g > now - Window - Slack);
        var due = interval > TimeSpan.Zero ? (int)Math.Min(MaxLease, LeaseHorizon.Ticks / interval.Ticks) : MaxLease;
        var permits = Math.Max(1, Math.Min(Math.Min(maxPermits, MaxLease), Math.Min(room, due)));

        // The tolerance is four intervals of the full rate, not of the allowance: while foreign requests shrink the
        // allowance the interval is long, and credit built up then turned into a burst once the allowance came back.
        var tolerance = 4 * EmissionInterval(Limit(state));
        var from = state.Tat is { } tat && tat > now - tolerance ? tat : now - (interval / 2);
        var keepSince = now - (2 * Window);
        var grants = state.RecentGrants.Where(g => g > keepSince).Concat(Enumerable.Repeat(now, permits)).TakeLast(2 * ConfiguredLimit).ToList();
        return new BudgetDecision(true, TimeSpan.Zero, state with { Tat = from + (interval * permits), RecentGrants = grants }, permits);
    }

    /// <summary>
    /// Folds one response (or a failed attempt, with an empty observation) into the state.
    /// <paramref name="grantedAt"/> is when that request was granted, <paramref name="now"/> when its answer came.
    /// </summary>
    public BudgetState Observe(BudgetState state, DateTimeOffset now, DateTimeOffset grantedAt, RateLimitObservation observation, TimeSpan defaultRetryAfter)
    {
        // The server counted the request when it arrived, somewhere between its grant and its answer. The log keeps
        // the latest of those times, so the request stays counted until it has surely left the server's window. This
        // matters when sending is slow to start: measured against the simulator, the first requests of a cold process
        // reached the server ~100 ms after their grants, arrived bunched together, and the 21st request of a 20-per-2-s
        // window was refused while the grant times alone said there was room.
        var grants = state.RecentGrants.ToList();
        var index = grants.IndexOf(grantedAt);
        if (index >= 0 && now > grantedAt)
        {
            grants[index] = now;
            grants.Sort();
        }

        var next = state with { RecentGrants = grants };
        if (observation.HasHeaders)
        {
            // Our requests the server may have counted for this one: those in its window up to this answer (a
            // concurrent request of ours may have arrived first), so that only what our own requests cannot explain
            // is called foreign.
            var ours = grants.Count(g => g > grantedAt - Window - Slack && g <= now);
            var foreign = Math.Max(0, observation.Used!.Value - ours);
            next = next with
            {
                ServerLimit = observation.Limit ?? next.ServerLimit,
                ServerUsed = observation.Used,
                ServerRemaining = observation.Remaining,
                ServerSeenAt = now,
            };

            // The highest count seen holds for a window from when it was first seen: one answer's count is a sample
            // of a moving window that our own concurrent requests blur by one or two either way, and taking the
            // latest each time let a low sample open the whole window to us, then the next request drew a 429.
            // Equal counts do not extend it, so requests that have left the server's window are let go on time.
            // A small count is only taken for another program's once the answer before agrees (a large one, or a 429,
            // at once): one answer's count alone is blurred by our own concurrent requests (two processes answering
            // out of order) by one or two, and such a blip held for a window cost two busy processes without any
            // neighbour a tenth of their rate.
            var held = Foreign(state, now);
            var confirmed = observation.RateLimited || foreign > 2 * NoiseFloor ? foreign
                : state.ForeignSampleAt is { } sampledAt && sampledAt > now - Window ? Math.Min(foreign, state.ForeignSample) : 0;
            next = next with { ForeignSample = foreign, ForeignSampleAt = now };
            foreign = confirmed;
            if (foreign > held && foreign > NoiseFloor)
            {
                next = next with { ForeignUsed = foreign, ForeignUntil = now + Window };
            }
            else if (held == 0)
            {
                next = next with { ForeignUsed = 0, ForeignUntil = null };
            }
        }

        if (observation.RateLimited)
        {
            // A 429 that came with another program's burst (the count rose by a burst since the answer before) does
            // not double the back-off: no room the back-off can leave (a quarter of the limit at most) would have
            // taken a burst that landed on a full window, and a back-off doubled on every burst of a neighbour that
            // bursts every five windows held a quarter of the limit unused within four bursts (measured: 82 % of what
            // it left used). ForeignBurstForecast is what keeps room for the next one. The back-off is still at
            // least one: the burst's count, taken on a full window, is short by the one of our requests that the
            // slack counts as ours, and without it the window after the burst drew a second 429 (on the fake clock).
            var burst = observation.HasHeaders && Rise(state, next.ForeignSample, now) is not null;
            var retryAfter = observation.RetryAfter ?? defaultRetryAfter;
            var wait = observation.HasHeaders ? WaitAfter429(next, now, observation.Used!.Value, retryAfter) : retryAfter;
            var until = now + wait;
            next = next with
            {
                BlockedUntil = next.BlockedUntil is { } blocked && blocked > until ? blocked : until,
                Last429At = now,
                LastRetryAfter = retryAfter,
            };
            var backoff = Backoff(state, now);
            if (!burst || backoff == 0)
            {
                next = next with { Backoff = burst ? 1 : Math.Min(Math.Max(1, Limit(next) / 4), Math.Max(1, 2 * backoff)), BackoffAt = now };
            }
        }

        return next;
    }

    /// <summary>
    /// How long everyone waits after a 429 that carried the rate-limit headers: until enough of our own requests have
    /// left the server's moving window for one more to fit (Used − limit + 1 of them; the other programs' requests
    /// are assumed to stay), never longer than Retry-After. Discogs sends Retry-After: 60, a whole window, whatever
    /// the window holds; waiting it out after a burst by another program cost a window of use each time, while the
    /// window had room again once a few of our oldest requests had left it. When our requests cannot free enough
    /// room (the window is full of someone else's), Retry-After holds.
    /// </summary>
    private TimeSpan WaitAfter429(BudgetState state, DateTimeOffset now, int used, TimeSpan retryAfter)
    {
        var mustLeave = used - Limit(state) + 1;
        if (mustLeave <= 0)
        {
            return TimeSpan.Zero;
        }

        var ours = state.RecentGrants.Where(g => g > now - Window - Slack && g <= now).ToList();
        if (mustLeave > ours.Count)
        {
            return retryAfter;
        }

        var room = ours[mustLeave - 1] + Window + Slack - now;
        return room < TimeSpan.Zero ? TimeSpan.Zero : room < retryAfter ? room : retryAfter;
    }
}
