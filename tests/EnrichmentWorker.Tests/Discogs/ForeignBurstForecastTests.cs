using EnrichmentWorker.Discogs;
using Microsoft.Extensions.Time.Testing;

namespace EnrichmentWorker.Tests.Discogs;

/// <summary>
/// The budget's policy beside another program that bursts, on a fake clock: one caller asks as fast as the policy
/// allows, and a model of Discogs' per-IP moving window (refused requests counted too, as the recorded headers show)
/// answers each request with the three rate-limit headers or a 429. Discogs' real numbers: 60 requests per 60 s.
/// </summary>
public sealed class ForeignBurstForecastTests
{
    private const int Limit = 60;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Beside_a_neighbour_that_bursts_a_third_of_the_limit_every_five_windows_only_the_first_two_bursts_cost_a_429_and_the_rest_of_the_limit_is_used()
    {
        var run = Run(new Neighbour(BurstSize: 20, BurstEvery: 5 * Window, Steady: 0), windows: 60, forecast: true);

        Assert.Multiple(() =>
        {
            Assert.That(run.RateLimited, Is.EqualTo(2), "one for each of the two bursts that tell the period: " + run);
            // 91.2 %: the room kept is a burst's for about a window and a third (from a tenth of a window before the
            // burst is due to a window after our answers saw it), where perfect knowledge would keep it for one.
            Assert.That(run.ShareOfRemaining, Is.GreaterThanOrEqualTo(0.90), run.ToString());
            Assert.That(run.Backoff, Is.Zero, "the back-off of one that each burst's 429 leaves was given back: " + run);
        });
    }

    [Test]
    public void Without_the_forecast_every_burst_costs_a_429()
    {
        // The same run with the forecast left out: what the forecast is for, and proof the test above can fail.
        var run = Run(new Neighbour(BurstSize: 20, BurstEvery: 5 * Window, Steady: 0), windows: 60, forecast: false);

        Assert.That(run.RateLimited, Is.EqualTo(run.Bursts), run.ToString());
    }

    [Test]
    public void A_steady_neighbour_is_never_taken_for_a_bursting_one()
    {
        var run = Run(new Neighbour(BurstSize: 0, BurstEvery: TimeSpan.Zero, Steady: 18), windows: 30, forecast: true);

        Assert.Multiple(() =>
        {
            Assert.That(run.BurstsSeen, Is.Zero, run.ToString());
            // Two 429s while the estimate settles, as the policy drew before the forecast (the neighbour starts with us).
            Assert.That(run.RateLimited, Is.LessThanOrEqualTo(2), run.ToString());
            Assert.That(run.ShareOfRemaining, Is.GreaterThanOrEqualTo(0.94), run.ToString());
        });
    }

    [Test]
    public void Room_is_kept_from_a_tenth_of_a_window_before_the_next_burst_is_due_until_it_is_seen()
    {
        var forecast = new ForeignBurstForecast();
        forecast.Seen(new ForeignBurst(Start - TimeSpan.FromSeconds(1), Start, 20), Window);
        forecast.Seen(new ForeignBurst(Start + TimeSpan.FromSeconds(299), Start + TimeSpan.FromSeconds(300), 20), Window);

        Assert.Multiple(() =>
        {
            Assert.That(forecast.Reserve(Start + TimeSpan.FromSeconds(593), Window), Is.Zero, "not yet due");
            Assert.That(forecast.Reserve(Start + TimeSpan.FromSeconds(594), Window), Is.EqualTo(20), "due at 600 s");
            Assert.That(forecast.Reserve(Start + TimeSpan.FromSeconds(620), Window), Is.EqualTo(20), "late, still kept");
        });

        // Seen 25 s late (our answers paused for it): taken as the burst due at 600 s, so the next is due at 900 s.
        forecast.Seen(new ForeignBurst(Start + TimeSpan.FromSeconds(590), Start + TimeSpan.FromSeconds(625), 20), Window);
        Assert.Multiple(() =>
        {
            Assert.That(forecast.Reserve(Start + TimeSpan.FromSeconds(626), Window), Is.Zero, "seen: nothing due until 894 s");
            Assert.That(forecast.Reserve(Start + TimeSpan.FromSeconds(894), Window), Is.EqualTo(20));
        });
    }

    [Test]
    public void A_burst_not_seen_when_due_ends_the_forecast()
    {
        var forecast = new ForeignBurstForecast();
        forecast.Seen(new ForeignBurst(Start - TimeSpan.FromSeconds(1), Start, 20), Window);
        forecast.Seen(new ForeignBurst(Start + TimeSpan.FromSeconds(299), Start + TimeSpan.FromSeconds(300), 20), Window);

        Assert.Multiple(() =>
        {
            Assert.That(forecast.Reserve(Start + TimeSpan.FromSeconds(631), Window), Is.Zero, "half a window after it was due");
            Assert.That(forecast.Reserve(Start + TimeSpan.FromSeconds(894), Window), Is.Zero, "and no guess at the one after");
        });
    }

    [Test]
    public void A_burst_seen_in_parts_is_one_burst()
    {
        var forecast = new ForeignBurstForecast();
        forecast.Seen(new ForeignBurst(Start - TimeSpan.FromSeconds(1), Start, 20), Window);
        forecast.Seen(new ForeignBurst(Start + TimeSpan.FromSeconds(299), Start + TimeSpan.FromSeconds(300), 8), Window);
        forecast.Seen(new ForeignBurst(Start + TimeSpan.FromSeconds(300), Start + TimeSpan.FromSeconds(301), 12), Window);

        Assert.That(forecast.Reserve(Start + TimeSpan.FromSeconds(595), Window), Is.EqualTo(20), "due at 600 s, 8 + 12 requests");
    }

    /// <summary>
    /// One caller asks as fast as the policy allows; each answer takes 50 ms, the server counts the request half-way.
    /// The figures cover the run after its first window, like the benchmark's.
    /// </summary>
    private static BurstRun Run(Neighbour neighbour, int windows, bool forecast)
    {
        var clock = new FakeTimeProvider(Start);
        var policy = new BudgetPolicy(Limit, Window, safetyMargin: 0.02);
        var bursts = new ForeignBurstForecast();
        var server = new Queue<DateTimeOffset>();
        var foreign = new List<DateTimeOffset>();
        var ours = new List<(DateTimeOffset At, bool RateLimited)>();
        var state = new BudgetState();
        var nextBurst = neighbour.BurstSize > 0 ? Start + neighbour.BurstEvery : DateTimeOffset.MaxValue;
        var steadyEvery = neighbour.Steady > 0 ? Window / neighbour.Steady : TimeSpan.MaxValue;
        var nextSteady = neighbour.Steady > 0 ? Start : DateTimeOffset.MaxValue;
        var seen = 0;
        var end = Start + (windows * Window);
        var latency = TimeSpan.FromMilliseconds(50);

        // The neighbour's requests up to a moment, in the same window as ours.
        void NeighbourUntil(DateTimeOffset at)
        {
            while (nextBurst <= at || nextSteady <= at)
            {
                var when = nextBurst < nextSteady ? nextBurst : nextSteady;
                var count = when == nextBurst ? neighbour.BurstSize : 1;
                if (when == nextBurst)
                {
                    nextBurst += neighbour.BurstEvery;
                }
                else
                {
                    nextSteady += steadyEvery;
                }

                for (var i = 0; i < count; i++)
                {
                    server.Enqueue(when);
                    foreign.Add(when);
                }
            }
        }

        while (clock.GetUtcNow() < end)
        {
            var now = clock.GetUtcNow();
            var decision = policy.Decide(state, now, 1, forecast ? bursts.Reserve(now, Window) : 0);
            if (!decision.Granted)
            {
                clock.Advance(decision.Wait);
                continue;
            }

            state = decision.State;
            var arrival = now + (latency / 2);
            NeighbourUntil(arrival);
            while (server.Count > 0 && server.Peek() <= arrival - Window)
            {
                server.Dequeue();
            }

            server.Enqueue(arrival);
            var used = server.Count;
            var rateLimited = used > Limit;
            ours.Add((arrival, rateLimited));
            clock.Advance(latency);
            var before = state;
            state = policy.Observe(state, clock.GetUtcNow(), now, new RateLimitObservation(Limit, used, Math.Max(0, Limit - used), rateLimited, rateLimited ? Window : null), Window);
            if (policy.BurstSeen(before, state) is { } burst)
            {
                seen++;
                bursts.Seen(burst, Window);
            }
        }

        var from = Start + Window;
        var sent = ours.Count(r => r.At >= from && r.At < end);
        var theirs = foreign.Count(at => at >= from && at < end);
        return new BurstRun(
            ShareOfRemaining: sent / (double)(((windows - 1) * Limit) - theirs),
            RateLimited: ours.Count(r => r.RateLimited),
            Bursts: foreign.Where(at => at < end).Distinct().Count(),
            BurstsSeen: seen,
            Backoff: policy.Backoff(state, end),
            Sent: ours.Count);
    }

    private sealed record Neighbour(int BurstSize, TimeSpan BurstEvery, int Steady);

    private sealed record BurstRun(double ShareOfRemaining, int RateLimited, int Bursts, int BurstsSeen, int Backoff, int Sent)
    {
        public override string ToString() =>
            $"{ShareOfRemaining:P1} of what the neighbour left used; {RateLimited} 429s in {Sent} requests; {Bursts} bursts sent, {BurstsSeen} seen; back-off {Backoff}";
    }
}
