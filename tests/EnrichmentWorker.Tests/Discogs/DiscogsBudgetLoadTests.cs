using EnrichmentWorker.Discogs;
using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.Tests.Support;
using Npgsql;

namespace EnrichmentWorker.Tests.Discogs;

/// <summary>
/// The budget goal on a scaled window (20 requests per 2 s): two "processes" (each its own services and data source on
/// one database) with three workers each, through the real client, against the simulator's moving window.
/// </summary>
public sealed class DiscogsBudgetLoadTests
{
    private const int Limit = 20;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    [Test]
    public async Task Two_processes_with_six_workers_use_at_least_95_percent_of_the_rate_and_never_get_a_429()
    {
        await using var simulator = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions { RequestsPerWindow = Limit, Window = Window, RetryAfterSeconds = 2 });
        await using var db = await TestDatabase.CreateAsync();

        var rateLimited = await RunAsync(simulator, db, windows: 4);

        var served = simulator.Requests.Snapshot();
        var start = served[0].At;
        var inFourWindows = served.Count(r => r.At < start + (4 * Window));
        Assert.That(rateLimited, Is.Zero);
        Assert.That(served.Count(r => r.Status == 429), Is.Zero);
        Assert.That(inFourWindows, Is.GreaterThanOrEqualTo((int)Math.Ceiling(0.95 * 4 * Limit)), $"{inFourWindows} of {4 * Limit} possible in four windows");
        Assert.That(DiscogsBudgetTests.MaxInAnyWindow([.. served.Select(r => r.At)], Window), Is.LessThanOrEqualTo(Limit));
    }

    [Test]
    public async Task A_window_prefilled_by_another_program_costs_at_most_one_429()
    {
        await using var simulator = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions { RequestsPerWindow = Limit, Window = Window, RetryAfterSeconds = 2 });
        await using var db = await TestDatabase.CreateAsync();
        simulator.FillWindow(15);

        var rateLimited = await RunAsync(simulator, db, windows: 3);

        var served = simulator.Requests.Snapshot();
        Assert.That(served.Count(r => r.Status == 429), Is.LessThanOrEqualTo(1));
        Assert.That(rateLimited, Is.LessThanOrEqualTo(1));

        // The 15 foreign requests leave the window within one window of the start; from then on the full rate resumes.
        var later = served.Where(r => r.At >= served[0].At + (1.25 * Window)).Select(r => r.At).ToList();
        var rate = (later.Count - 1) / (later[^1] - later[0]).TotalSeconds;
        Assert.That(rate, Is.GreaterThanOrEqualTo(0.9 * Limit / Window.TotalSeconds), $"{later.Count} requests from {later[0]:O} to {later[^1]:O}");
    }

    /// <summary>Six workers (three per process) fetch releases until the time is up; returns how many 429s they saw.</summary>
    private static async Task<int> RunAsync(DiscogsSimulatorServer simulator, TestDatabase db, int windows)
    {
        var settings = DiscogsServices.FastSettings("test-token", simulator.BaseUrl.ToString());
        settings["Discogs:RequestsPerMinute"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Discogs:Window"] = Window.ToString();
        await using var sourceA = NpgsqlDataSource.Create(db.ConnectionString);
        await using var sourceB = NpgsqlDataSource.Create(db.ConnectionString);
        await using var processA = DiscogsServices.Create(sourceA, settings);
        await using var processB = DiscogsServices.Create(sourceB, settings);
        var releaseIds = simulator.Catalog.Albums.Where(a => a.MainReleaseId is not null).Select(a => a.MainReleaseId!.Value).Take(200).ToArray();
        var rateLimited = 0;
        using var stop = new CancellationTokenSource((windows * Window) + TimeSpan.FromMilliseconds(300));

        var workers = Enumerable.Range(0, 6).Select(worker => Task.Run(async () =>
        {
            var client = (worker % 2 == 0 ? processA : processB).Client;
            for (var i = worker; !stop.IsCancellationRequested; i += 6)
            {
                try
                {
                    await client.GetReleaseAsync(releaseIds[i % releaseIds.Length], stop.Token);
                }
                catch (DiscogsRateLimitedException)
                {
                    Interlocked.Increment(ref rateLimited);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // The run's time is up.
                }
            }
        }));
        await Task.WhenAll(workers);
        return rateLimited;
    }
}
