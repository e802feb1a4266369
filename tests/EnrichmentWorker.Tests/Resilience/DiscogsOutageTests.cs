using System.Diagnostics;
using System.Text.Json;
using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.Tests.Hosting;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Resilience;

/// <summary>
/// Discogs down under the real service: the outage shows on the dashboard, in /health/ready and in the systemd status
/// line while the circuit breaker holds calls back, not only in the log; and it clears when Discogs answers again.
/// </summary>
[NonParallelizable]
public sealed class DiscogsOutageTests
{
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(20);

    [Test]
    public async Task A_Discogs_outage_shows_on_the_dashboard_in_health_and_in_the_status_line_within_the_breakers_open_time()
    {
        await using var run = await FaultRun.CreateAsync(albumCount: 12, addAlbumsNow: false);
        using var socket = NotifySocket.AtPath();
        var service = await run.StartServiceAsync(workers: 3, new Dictionary<string, string?>
        {
            ["Discogs__CircuitBreakerSamplingDuration"] = "00:00:05",
            ["Discogs__CircuitBreakerBreakDuration"] = BreakDuration.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            ["Enrichment__ProgressInterval"] = "00:00:01",
            ["NOTIFY_SOCKET"] = socket.Address,
        });
        await WaitFor.ConditionAsync(() => service.OutputText.Contains("Connected to Discogs as", StringComparison.Ordinal), FaultRun.Patience,
            "the token check");
        using var http = new HttpClient { BaseAddress = service.BaseUrl };

        // Discogs goes down: every search answers 503, as long as the test wants.
        run.Faults.Add(FaultKind.ServiceUnavailable, 100_000, "/database/search");
        await run.AddAlbumsAsync();
        var down = Stopwatch.StartNew();

        string health = "", page = "";
        await WaitFor.ConditionAsync(async () =>
        {
            health = await http.GetStringAsync(new Uri("/health/ready", UriKind.Relative));
            page = await http.GetStringAsync(new Uri("/dashboard", UriKind.Relative));
            return Check(health, "discogs-reachable").Status == "Degraded"
                && page.Contains("Unreachable since", StringComparison.Ordinal)
                && socket.Lines.Any(l => l.StartsWith("STATUS=Discogs unreachable since", StringComparison.Ordinal));
        }, BreakDuration, "the outage to show on the page, in health and in the status line");
        var shownAfter = down.Elapsed;

        var reachable = Check(health, "discogs-reachable");
        var status = socket.Lines.Last(l => l.StartsWith("STATUS=Discogs unreachable since", StringComparison.Ordinal));
        await TestContext.Out.WriteLineAsync($"shown {shownAfter.TotalSeconds:0.0} s after the outage began; health: {reachable.Description}; {status}");
        Assert.Multiple(() =>
        {
            Assert.That(JsonDocument.Parse(health).RootElement.GetProperty("status").GetString(), Is.EqualTo("Degraded"), health);
            Assert.That(reachable.Description, Does.Match(@"^Discogs unreachable since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: .+"), health);
            Assert.That(page, Does.Contain("albums waiting until it answers"));
            Assert.That(page, Does.Not.Contain(">Connected<"), "the card no longer says Connected");
            Assert.That(status, Does.Match(@"\(\d+ albums waiting\)$"));
        });

        // Discogs comes back: once the breaker lets a trial call through and it succeeds, the outage is over.
        run.Faults.Clear();
        await WaitFor.ConditionAsync(async () =>
        {
            health = await http.GetStringAsync(new Uri("/health/ready", UriKind.Relative));
            return Check(health, "discogs-reachable").Status == "Healthy";
        }, BreakDuration * 3, "Discogs to be reachable again");
        Assert.That(await http.GetStringAsync(new Uri("/dashboard", UriKind.Relative)), Does.Not.Contain("Unreachable since"));
    }

    private static (string Status, string Description) Check(string health, string name)
    {
        var check = JsonDocument.Parse(health).RootElement.GetProperty("checks").EnumerateArray()
            .FirstOrDefault(c => c.GetProperty("name").GetString() == name);
        return check.ValueKind == JsonValueKind.Undefined
            ? ("missing", "")
            : (check.GetProperty("status").GetString()!, check.GetProperty("description").GetString() ?? "");
    }
}
