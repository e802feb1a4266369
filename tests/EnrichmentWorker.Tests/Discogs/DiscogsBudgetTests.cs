using EnrichmentWorker.Discogs;
using EnrichmentWorker.Telemetry;
using EnrichmentWorker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Tests.Discogs;

/// <summary>
/// The shared budget on a real PostgreSQL: separate budget instances with separate data sources stand for separate
/// processes; the row in the database is all they share.
/// </summary>
public sealed class DiscogsBudgetTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task Two_processes_on_one_database_never_exceed_the_limit_in_any_moving_window_and_use_nearly_all_of_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        var clock = new ManualClock(Start);
        var options = Options(limit: 10, window: TimeSpan.FromSeconds(60));
        await using var sourceA = NpgsqlDataSource.Create(db.ConnectionString);
        await using var sourceB = NpgsqlDataSource.Create(db.ConnectionString);
        var processes = new[] { Budget(sourceA, options, clock), Budget(sourceB, options, clock) };

        // Both processes ask all the time; the clock jumps to the earliest time either was told to come back.
        var grants = new List<DateTimeOffset>();
        var end = Start + TimeSpan.FromMinutes(5);
        while (clock.GetUtcNow() < end)
        {
            var waits = new List<TimeSpan>();
            foreach (var process in processes)
            {
                var (granted, at, wait) = await process.TryAcquireAsync(CancellationToken.None);
                if (granted)
                {
                    grants.Add(at);
                }
                else
                {
                    waits.Add(wait);
                }
            }

            if (waits.Count == processes.Length)
            {
                clock.Advance(waits.Min());
            }
        }

        Assert.That(MaxInAnyWindow(grants, TimeSpan.FromSeconds(60)), Is.LessThanOrEqualTo(10));
        Assert.That(grants, Has.Count.GreaterThanOrEqualTo(48), "5 minutes at 10 a minute, less the 2% safety margin");
        Assert.That(grants.Zip(grants.Skip(1), (a, b) => b - a).Min(), Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(3)), "spread out (at least half the 6.12 s interval), never a burst");
    }

    [Test]
    public async Task An_idle_budget_grants_one_request_at_once_not_a_burst()
    {
        await using var db = await TestDatabase.CreateAsync();
        var clock = new ManualClock(Start);
        var budget = Budget(db.DataSource, Options(limit: 60, window: TimeSpan.FromSeconds(60)), clock);

        clock.Advance(TimeSpan.FromHours(1));
        var immediately = 0;
        for (var i = 0; i < 10; i++)
        {
            if ((await budget.TryAcquireAsync(CancellationToken.None)).Granted)
            {
                immediately++;
            }
        }

        Assert.That(immediately, Is.EqualTo(1));
    }

    [Test]
    public async Task Requests_sent_in_the_last_window_still_count_after_a_pause()
    {
        await using var db = await TestDatabase.CreateAsync();
        var clock = new ManualClock(Start);
        var budget = Budget(db.DataSource, Options(limit: 10, window: TimeSpan.FromSeconds(60)), clock);
        var grants = new List<DateTimeOffset>();

        // Full rate for 50 s, a 20 s pause (long enough for a fresh token bucket to think it has room), then full rate again.
        await TakeWhileAsync(budget, clock, grants, Start + TimeSpan.FromSeconds(50));
        clock.Advance(TimeSpan.FromSeconds(20));
        await TakeWhileAsync(budget, clock, grants, Start + TimeSpan.FromSeconds(200));

        Assert.That(MaxInAnyWindow(grants, TimeSpan.FromSeconds(60)), Is.LessThanOrEqualTo(10));
    }

    [Test]
    public async Task Foreign_usage_reported_by_the_server_slows_every_process_down()
    {
        await using var db = await TestDatabase.CreateAsync();
        var clock = new ManualClock(Start);
        var options = Options(limit: 10, window: TimeSpan.FromSeconds(60));
        await using var sourceB = NpgsqlDataSource.Create(db.ConnectionString);
        var a = Budget(db.DataSource, options, clock);
        var b = Budget(sourceB, options, clock);

        // A sends one request; the server says 7 are used: 6 were someone else's.
        var first = await a.TryAcquireAsync(CancellationToken.None);
        await a.ObserveAsync(new BudgetGrant(first.At), new RateLimitObservation(10, 7, 3, false, null), CancellationToken.None);

        var snapshot = await b.GetSnapshotAsync(CancellationToken.None);
        Assert.That(snapshot.ForeignUsed, Is.EqualTo(6));
        Assert.That(snapshot.RemainingInWindow, Is.EqualTo(3));

        // B may send only what is left of the window: 4 - 1 = 3 more in the next 60 s, spread out.
        var grants = new List<DateTimeOffset> { first.At };
        await TakeWhileAsync(b, clock, grants, Start + TimeSpan.FromSeconds(59));
        Assert.That(grants, Has.Count.EqualTo(4));
    }

    [Test]
    public async Task The_server_reporting_only_our_own_requests_does_not_slow_us_down()
    {
        await using var db = await TestDatabase.CreateAsync();
        var clock = new ManualClock(Start);
        var budget = Budget(db.DataSource, Options(limit: 10, window: TimeSpan.FromSeconds(60)), clock);

        var grants = new List<DateTimeOffset>();
        for (var used = 1; used <= 5; used++)
        {
            var (granted, at, wait) = await budget.TryAcquireAsync(CancellationToken.None);
            if (!granted)
            {
                clock.Advance(wait);
                used--;
                continue;
            }

            grants.Add(at);
            await budget.ObserveAsync(new BudgetGrant(at), new RateLimitObservation(10, used, 10 - used, false, null), CancellationToken.None);
        }

        var snapshot = await budget.GetSnapshotAsync(CancellationToken.None);
        Assert.That(snapshot.ForeignUsed, Is.Zero);
        Assert.That(snapshot.UsedInWindow, Is.EqualTo(5));
        Assert.That(snapshot.RemainingInWindow, Is.EqualTo(5));
    }

    [Test]
    public async Task A_429_seen_by_one_process_holds_back_every_process_for_Retry_After()
    {
        await using var db = await TestDatabase.CreateAsync();
        var clock = new ManualClock(Start);
        var options = Options(limit: 60, window: TimeSpan.FromSeconds(60));
        await using var sourceB = NpgsqlDataSource.Create(db.ConnectionString);
        var a = Budget(db.DataSource, options, clock);
        var b = Budget(sourceB, options, clock);

        // A 429 without rate-limit headers: only Retry-After decides (with Used = 61 the foreign-usage estimate would
        // hold everyone back for the whole window instead, as the next test shows).
        var first = await a.TryAcquireAsync(CancellationToken.None);
        await a.ObserveAsync(new BudgetGrant(first.At), new RateLimitObservation(null, null, null, true, TimeSpan.FromSeconds(30)), CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(5));
        var blocked = await b.TryAcquireAsync(CancellationToken.None);
        Assert.That(blocked.Granted, Is.False);
        Assert.That(blocked.Wait, Is.EqualTo(TimeSpan.FromSeconds(25)));

        clock.Advance(TimeSpan.FromSeconds(25));
        Assert.That((await b.TryAcquireAsync(CancellationToken.None)).Granted, Is.True);
        var snapshot = await a.GetSnapshotAsync(CancellationToken.None);
        Assert.That(snapshot.Last429At, Is.EqualTo(Start));
        Assert.That(snapshot.LastRetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public async Task A_429_on_a_window_full_of_foreign_requests_waits_until_they_can_have_left_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        var clock = new ManualClock(Start);
        var budget = Budget(db.DataSource, Options(limit: 60, window: TimeSpan.FromSeconds(60)), clock);

        var first = await budget.TryAcquireAsync(CancellationToken.None);
        await budget.ObserveAsync(new BudgetGrant(first.At), new RateLimitObservation(60, 61, 0, true, TimeSpan.FromSeconds(30)), CancellationToken.None);

        var decision = await budget.TryAcquireAsync(CancellationToken.None);
        Assert.That(decision.Granted, Is.False);
        Assert.That(decision.Wait, Is.EqualTo(TimeSpan.FromSeconds(60)), "60 foreign requests seen now may stay in the window for 60 s");
    }

    [Test]
    public async Task The_server_limit_caps_the_configured_rate()
    {
        await using var db = await TestDatabase.CreateAsync();
        var clock = new ManualClock(Start);
        var budget = Budget(db.DataSource, Options(limit: 60, window: TimeSpan.FromSeconds(60)), clock);

        var first = await budget.TryAcquireAsync(CancellationToken.None);
        await budget.ObserveAsync(new BudgetGrant(first.At), new RateLimitObservation(25, 1, 24, false, null), CancellationToken.None);
        var grants = new List<DateTimeOffset> { first.At };
        await TakeWhileAsync(budget, clock, grants, Start + TimeSpan.FromSeconds(120));

        Assert.That(MaxInAnyWindow(grants, TimeSpan.FromSeconds(60)), Is.LessThanOrEqualTo(25));
        Assert.That((await budget.GetSnapshotAsync(CancellationToken.None)).Limit, Is.EqualTo(25));
    }

    [Test]
    public async Task Concurrent_callers_in_two_processes_in_real_time_stay_within_the_limit()
    {
        await using var db = await TestDatabase.CreateAsync();
        var options = Options(limit: 10, window: TimeSpan.FromSeconds(1));
        await using var sourceA = NpgsqlDataSource.Create(db.ConnectionString);
        await using var sourceB = NpgsqlDataSource.Create(db.ConnectionString);
        var budgets = new[] { Budget(sourceA, options, TimeProvider.System), Budget(sourceB, options, TimeProvider.System) };
        var grants = new System.Collections.Concurrent.ConcurrentBag<DateTimeOffset>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        var callers = Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    grants.Add((await budgets[i % 2].AcquireAsync(stop.Token)).GrantedAt);
                }
            }
            catch (OperationCanceledException)
            {
                // The test's time is up.
            }
        }));
        await Task.WhenAll(callers);

        var sorted = grants.Order().ToList();
        Assert.That(MaxInAnyWindow(sorted, TimeSpan.FromSeconds(1)), Is.LessThanOrEqualTo(10));
        Assert.That(sorted, Has.Count.GreaterThanOrEqualTo(20), "about 10 a second for 3 seconds");
    }

    [Test]
    public async Task At_a_very_high_rate_two_processes_lease_several_permits_at_once_and_still_never_exceed_the_limit_when_they_send()
    {
        await using var db = await TestDatabase.CreateAsync();
        var clock = new ManualClock(Start);
        // 4,000 per 200 ms (20,000 a second): about 19 requests are due within the 1 ms lease horizon, so one decision
        // grants several (at most 16).
        var window = TimeSpan.FromMilliseconds(200);
        var options = Options(limit: 4000, window: window);
        await using var sourceA = NpgsqlDataSource.Create(db.ConnectionString);
        await using var sourceB = NpgsqlDataSource.Create(db.ConnectionString);
        var processes = new[] { Budget(sourceA, options, clock), Budget(sourceB, options, clock) };

        // Sending takes 20 µs of the clock, so a leased permit is used later than it was granted (or goes stale).
        var sent = new List<DateTimeOffset>();
        var grantTimes = new HashSet<DateTimeOffset>();
        var end = Start + (2.5 * window);
        while (clock.GetUtcNow() < end)
        {
            var waits = new List<TimeSpan>();
            foreach (var process in processes)
            {
                var (granted, at, wait) = await process.TryAcquireAsync(CancellationToken.None);
                if (granted)
                {
                    sent.Add(clock.GetUtcNow());
                    grantTimes.Add(at);
                    clock.Advance(TimeSpan.FromTicks(200));
                }
                else
                {
                    waits.Add(wait);
                }
            }

            if (waits.Count == processes.Length)
            {
                clock.Advance(waits.Min());
            }
        }

        Assert.That(MaxInAnyWindow(sent, window), Is.LessThanOrEqualTo(4000));
        Assert.That(grantTimes, Has.Count.LessThan(sent.Count / 4), "most permits came several to a decision");
        Assert.That(sent, Has.Count.GreaterThanOrEqualTo(8500), "2.5 windows of 4,000, less the margin and stale permits");
    }

    private static async Task TakeWhileAsync(DiscogsRequestBudget budget, ManualClock clock, List<DateTimeOffset> grants, DateTimeOffset until)
    {
        while (clock.GetUtcNow() < until)
        {
            var (granted, at, wait) = await budget.TryAcquireAsync(CancellationToken.None);
            if (granted)
            {
                grants.Add(at);
            }
            else
            {
                clock.Advance(wait);
            }
        }
    }

    /// <summary>The most grants in any half-open interval [t, t + window).</summary>
    internal static int MaxInAnyWindow(IReadOnlyList<DateTimeOffset> sortedGrants, TimeSpan window)
    {
        var max = 0;
        var first = 0;
        for (var last = 0; last < sortedGrants.Count; last++)
        {
            while (sortedGrants[last] - sortedGrants[first] >= window)
            {
                first++;
            }

            max = Math.Max(max, last - first + 1);
        }

        return max;
    }

    private static DiscogsRequestBudget Budget(NpgsqlDataSource dataSource, DiscogsOptions options, TimeProvider clock) =>
        new(dataSource, new FixedOptionsMonitor(options), clock, new EnrichmentTelemetry(), NullLogger<DiscogsRequestBudget>.Instance);

    private static DiscogsOptions Options(int limit, TimeSpan window) => new()
    {
        Token = "test-token",
        RequestsPerMinute = limit,
        Window = window,
    };

    private sealed class FixedOptionsMonitor(DiscogsOptions value) : IOptionsMonitor<DiscogsOptions>
    {
        public DiscogsOptions CurrentValue => value;

        public DiscogsOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<DiscogsOptions, string?> listener) => null;
    }
}
