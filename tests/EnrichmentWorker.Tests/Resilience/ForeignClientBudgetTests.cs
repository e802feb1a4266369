using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.Tests.Discogs;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Resilience;

/// <summary>
/// Another program on the same IP (Discogs meters per IP): the simulator's foreign client spends a steady share of the
/// limit or bursts, and one service process of three workers must leave it room. Goal: at most one 429 per 500
/// requests, and at least 90 % of what the foreign client left of the limit used. The window is scaled (30 requests
/// per 2 s) so a run takes seconds; the figures come from the simulator's logs over the steady part of the run, from
/// one window after the first job request to the last claim; the share of what was left is judged over the best three
/// consecutive windows of it (<see cref="SteadyUse"/> says why).
/// </summary>
[NonParallelizable]
public sealed class ForeignClientBudgetTests
{
    private const int Limit = 30;
    private const int Albums = 100;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    [TestCase(0.1)]
    [TestCase(0.3)]
    public async Task Beside_a_foreign_client_at_a_steady_share_the_service_uses_what_is_left_with_at_most_one_429_per_500_requests(double share)
    {
        var use = await RunBesideAsync(new ForeignTraffic(Share: share));

        Assert.Multiple(() =>
        {
            Assert.That(use.RateLimited, Is.LessThanOrEqualTo(Math.Max(1, use.Ours / 500)), use.ToString());
            Assert.That(use.Steady.BestStretchShare, Is.GreaterThanOrEqualTo(0.90), use.ToString());
        });
    }

    [Test]
    public async Task Beside_a_foreign_client_that_bursts_the_service_uses_what_is_left_with_at_most_one_429_per_500_requests()
    {
        // A third of the limit at once, every five windows.
        var use = await RunBesideAsync(new ForeignTraffic(BurstSize: Limit / 3, BurstEvery: 5 * Window));

        Assert.Multiple(() =>
        {
            Assert.That(use.RateLimited, Is.LessThanOrEqualTo(Math.Max(1, use.Ours / 500)), use.ToString());
            Assert.That(use.Steady.BestStretchShare, Is.GreaterThanOrEqualTo(0.90), use.ToString());
        });
    }

    private static async Task<ForeignUse> RunBesideAsync(ForeignTraffic traffic)
    {
        await using var run = await FaultRun.CreateAsync(Albums, Limit, Window, addAlbumsNow: false);
        await run.StartServiceAsync(workers: 3);
        await WaitFor.ConditionAsync(() => run.Simulator.Requests.Count >= 1, FaultRun.Patience, "the token check");
        await using var foreign = run.Simulator.StartForeignClient(traffic);

        await run.AddAlbumsAsync();
        await run.WaitUntilEveryAlbumIsFinishedAsync();

        var requests = run.Simulator.Requests.Snapshot();
        var jobRequests = run.JobRequests();
        var lastClaim = await run.ScalarAsync<DateTime>("SELECT max(createdat) FROM hangfire.state WHERE name = 'Processing'");
        var from = jobRequests[0].At + Window;
        var to = new DateTimeOffset(DateTime.SpecifyKind(lastClaim, DateTimeKind.Utc));
        var use = new ForeignUse(
            traffic,
            SteadyUse.Measure([.. requests.Select(r => r.At)], foreign.Sent, from, to, Window, Limit),
            Ours: requests.Count,
            RateLimited: requests.Count(r => r.Status == 429),
            MaxInAnyWindow: DiscogsBudgetTests.MaxInAnyWindow([.. requests.Select(r => r.At).Concat(foreign.Sent).Order()], Window),
            Summary: run.Summary() + "; 429s at " + string.Join(", ", requests.Where(r => r.Status == 429).Select(r => $"{(r.At - jobRequests[0].At).TotalSeconds:0.00} s"))
                + (traffic.BurstSize > 0 ? "; bursts at " + string.Join(", ", foreign.Sent.Distinct().Select(at => $"{(at - jobRequests[0].At).TotalSeconds:0.00} s")) : string.Empty));
        TestContext.Out.WriteLine(use.ToString());
        Assert.That(use.Steady.Windows, Has.Count.GreaterThanOrEqualTo(3), "the albums kept the budget busy for several windows: " + use);
        return use;
    }

    private sealed record ForeignUse(ForeignTraffic Traffic, SteadyUse Steady, int Ours, int RateLimited, int MaxInAnyWindow, string Summary)
    {
        public override string ToString() =>
            $"beside {Traffic}: {Steady} of {Limit} per {Window.TotalSeconds:0} s (ours+foreign); "
            + $"{RateLimited} 429s in {Ours} requests; at most {MaxInAnyWindow} in any window, both together; {Summary}";
    }
}
