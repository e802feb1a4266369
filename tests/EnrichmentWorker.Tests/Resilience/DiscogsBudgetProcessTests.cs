using EnrichmentWorker.Tests.Support;
using EnrichmentWorker.Tests.Discogs;

namespace EnrichmentWorker.Tests.Resilience;

/// <summary>
/// The budget goal with real processes: two service processes with three workers each, one database, one simulator
/// on a scaled window (30 requests per 2 s), enriching enough albums to keep the budget busy for several windows. The
/// figures come from the simulator's request log, over the steady part of the run: from one window after the first
/// request (start-up) to the moment the last job was claimed (the tail, when fewer jobs than workers remain); the
/// share of the rate is judged over the best three consecutive windows of it (<see cref="SteadyUse"/> says why).
/// </summary>
[NonParallelizable]
public sealed class DiscogsBudgetProcessTests
{
    private const int Limit = 30;
    private const int Albums = 160;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    [Test]
    public async Task Two_processes_with_six_workers_use_at_least_95_percent_of_the_rate_without_a_single_429()
    {
        await using var run = await StartAsync();

        await run.AddAlbumsAsync();
        await run.WaitUntilEveryAlbumIsFinishedAsync();

        var use = await MeasureAsync(run);
        var runs = await run.RunsAsync();
        var servers = runs.GroupBy(r => r.ServerId).ToDictionary(g => g.Key, g => g.Count());
        var twice = string.Join("; ", await run.QueryAsync<string>("""
            SELECT s.jobid || ' ' || s.name || ' ' || coalesce(s.reason, '') || ' at ' || s.createdat || ' ' || coalesce(s.data::jsonb ->> 'ServerId', '')
            FROM hangfire.state s
            WHERE s.jobid IN (SELECT jobid FROM hangfire.state WHERE name = 'Processing' GROUP BY jobid HAVING count(*) > 1)
            ORDER BY s.id
            """));
        TestContext.Out.WriteLine("runs per Hangfire server: " + string.Join(", ", servers.Values) + "; jobs run more than once: " + twice);
        Assert.Multiple(() =>
        {
            Assert.That(servers, Has.Count.EqualTo(2), "both processes ran album jobs as Hangfire servers");
            Assert.That(servers.Values, Has.All.GreaterThanOrEqualTo(Albums / 4), "the work was shared, not taken by one process");
            Assert.That(runs, Has.Count.EqualTo(Albums), "each album's job ran once: " + twice);
            Assert.That(use.RateLimited, Is.Zero, "no 429 when nothing else uses the IP");
            Assert.That(use.MaxInAnyWindow, Is.LessThanOrEqualTo(Limit), "never more than the limit in any moving window");
            Assert.That(use.Steady.BestStretchShare, Is.GreaterThanOrEqualTo(0.95), use.ToString());
        });
    }

    [Test]
    public async Task A_window_prefilled_by_a_foreign_client_costs_at_most_one_429_and_full_use_returns()
    {
        await using var run = await StartAsync();

        // Another program on this IP has just used two thirds of the window.
        run.Simulator.FillWindow(Limit * 2 / 3);
        await run.AddAlbumsAsync();
        await run.WaitUntilEveryAlbumIsFinishedAsync();

        var use = await MeasureAsync(run);
        Assert.Multiple(() =>
        {
            Assert.That(use.RateLimited, Is.LessThanOrEqualTo(1), "the headers tell the service about the foreign requests before a second 429");
            Assert.That(use.MaxInAnyWindow, Is.LessThanOrEqualTo(Limit), "never more than the limit in any moving window");
            // The foreign requests leave the window one window after they were sent, inside the start-up part.
            Assert.That(use.Steady.BestStretchShare, Is.GreaterThanOrEqualTo(0.95), use.ToString());
        });
    }

    /// <summary>Both processes serving and connected before any album exists, so their start-up is not measured.</summary>
    private static async Task<FaultRun> StartAsync()
    {
        var run = await FaultRun.CreateAsync(Albums, Limit, Window, addAlbumsNow: false);
        await run.StartServiceAsync(workers: 3);
        await run.StartServiceAsync(workers: 3);
        // Each process checks its token once at start-up.
        await WaitFor.ConditionAsync(() => run.Simulator.Requests.Count >= 2, FaultRun.Patience, "both token checks");
        return run;
    }

    private static async Task<BudgetUse> MeasureAsync(FaultRun run)
    {
        var requests = run.Simulator.Requests.Snapshot();
        var jobRequests = run.JobRequests();
        // The last job started: its 'Processing' state.
        var lastClaim = await run.ScalarAsync<DateTime>("SELECT max(createdat) FROM hangfire.state WHERE name = 'Processing'");
        var from = jobRequests[0].At + Window;
        var to = new DateTimeOffset(DateTime.SpecifyKind(lastClaim, DateTimeKind.Utc));
        var use = new BudgetUse(
            SteadyUse.Measure([.. requests.Select(r => r.At)], [], from, to, Window, Limit),
            RateLimited: requests.Count(r => r.Status == 429),
            MaxInAnyWindow: DiscogsBudgetTests.MaxInAnyWindow([.. requests.Select(r => r.At)], Window),
            Summary: run.Summary());
        TestContext.Out.WriteLine(use.ToString());
        Assert.That(use.Steady.Windows, Has.Count.GreaterThanOrEqualTo(3), "the albums kept the budget busy for several windows: " + use);
        return use;
    }

    private sealed record BudgetUse(SteadyUse Steady, int RateLimited, int MaxInAnyWindow, string Summary)
    {
        public override string ToString() =>
            $"{Steady} of {Limit} per {Window.TotalSeconds:0} s; {RateLimited} 429s; at most {MaxInAnyWindow} in any window; {Summary}";
    }
}
