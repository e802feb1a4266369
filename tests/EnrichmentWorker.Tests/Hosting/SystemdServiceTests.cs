using System.Text.RegularExpressions;
using Dapper;
using EnrichmentWorker.Discogs;
using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Hosting;

/// <summary>
/// The real service binary as the child of a process named systemd (what AddSystemd() checks; see
/// <see cref="ServiceProcess.StartUnderSystemd"/>): the test owns NOTIFY_SOCKET and reads the journal format.
/// </summary>
public sealed class SystemdServiceTests
{
    [Test]
    public async Task The_service_sends_ready_then_watchdog_then_stopping_on_SIGTERM()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var socket = NotifySocket.AtPath();
        await using var service = ServiceProcess.StartUnderSystemd(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = db.ConnectionString,
            ["NOTIFY_SOCKET"] = socket.Address,
            ["WATCHDOG_USEC"] = "400000",
            ["WATCHDOG_PID"] = "",
        });

        await WaitFor.ConditionAsync(() => service.HasExited || socket.Lines.Contains("READY=1"), TimeSpan.FromSeconds(60), "READY=1");
        Assert.That(service.HasExited, Is.False, service.OutputText);
        await WaitFor.ConditionAsync(() => socket.Lines.Contains("WATCHDOG=1"), TimeSpan.FromSeconds(30), "WATCHDOG=1");
        await service.TerminateAsync();
        await WaitFor.ConditionAsync(() => socket.Lines.Contains("STOPPING=1"), TimeSpan.FromSeconds(10), "STOPPING=1");

        var lines = socket.Lines;
        Assert.Multiple(() =>
        {
            Assert.That(service.ExitCode, Is.Zero, service.OutputText);
            Assert.That(lines.IndexOf("READY=1"), Is.LessThan(lines.IndexOf("WATCHDOG=1")), string.Join(" | ", lines));
            Assert.That(lines.LastIndexOf("WATCHDOG=1"), Is.LessThan(lines.IndexOf("STOPPING=1")), string.Join(" | ", lines));
        });
    }

    [Test]
    public async Task The_status_line_carries_enrichment_progress_with_the_request_rate_and_an_ETA()
    {
        await using var simulator = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions { Window = TimeSpan.FromSeconds(1), RequestsPerWindow = 60, RetryAfterSeconds = 1 });
        await using var db = await TestDatabase.CreateAsync();
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            foreach (var (album, i) in simulator.Catalog.Albums.Where(a => a.Kind == CatalogAlbumKind.Master).Take(6).Select((a, i) => (a, i)))
            {
                await connection.ExecuteAsync("INSERT INTO albums (source, source_key, artist, title, year) VALUES ('test', @key, @Artist, @Title, @Year)",
                    new { key = $"p{i}", album.Artist, album.Title, album.Year });
            }
        }

        using var socket = NotifySocket.AtPath();
        var environment = ServiceProcess.AgainstSimulator(db.ConnectionString, simulator.BaseUrl);
        environment["Enrichment__ProgressInterval"] = "00:00:01";
        environment["NOTIFY_SOCKET"] = socket.Address;
        await using var service = ServiceProcess.StartUnderSystemd(environment);

        var progress = new Regex(@"^STATUS=[1-9]\d*/6 albums, [1-9]\d* matched, \d+ to review, \d+ no match, [1-9]\d* req/min, ETA \w+$", RegexOptions.None, TimeSpan.FromSeconds(1));
        await WaitFor.ConditionAsync(() => service.HasExited || socket.Lines.Any(progress.IsMatch), TimeSpan.FromSeconds(90), "a STATUS line with progress");

        Assert.That(service.HasExited, Is.False, service.OutputText + "\n" + string.Join(" | ", socket.Lines));
        Assert.That(socket.Lines.IndexOf("READY=1"), Is.LessThan(socket.Lines.FindIndex(progress.IsMatch)).And.Not.EqualTo(-1), string.Join(" | ", socket.Lines));
    }

    [Test]
    public async Task Without_a_Discogs_token_the_status_line_says_the_queue_is_paused_and_why()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO albums (source, source_key, artist, title) VALUES ('test', 'n1', 'Can', 'Tago Mago')");
        }

        using var socket = NotifySocket.AtPath();
        await using var service = ServiceProcess.StartUnderSystemd(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = db.ConnectionString,
            ["Discogs__BaseUrl"] = "http://127.0.0.1:9/",
            ["DISCOGS_TOKEN"] = "",
            ["Enrichment__ProgressInterval"] = "00:00:01",
            ["NOTIFY_SOCKET"] = socket.Address,
        });

        var expected = $"STATUS=paused: {DiscogsIdentityMonitor.MissingTokenMessage} (0/1 albums)";
        await WaitFor.ConditionAsync(() => service.HasExited || socket.Lines.Contains(expected), TimeSpan.FromSeconds(60), "the paused STATUS line");
        Assert.That(service.HasExited, Is.False, service.OutputText + "\n" + string.Join(" | ", socket.Lines));
    }

    [Test]
    public async Task Under_the_journal_each_log_line_starts_with_its_syslog_severity()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var service = ServiceProcess.StartUnderSystemd(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = db.ConnectionString,
            
        });
        await service.WaitUntilServingAsync();
        await service.TerminateAsync();

        var output = service.Output;
        Assert.Multiple(() =>
        {
            Assert.That(output.Where(l => l.Contains("Now listening on", StringComparison.Ordinal)),
                Has.Some.StartsWith("<6>Microsoft.Hosting.Lifetime"), service.OutputText);
            Assert.That(output, Has.None.StartsWith("info:"), "the simple console's marker: the journal format was not chosen");
            // Ordinal: a culture-aware search ignores control characters like ESC.
            Assert.That(output.Where(l => l.Contains('\u001b', StringComparison.Ordinal)), Is.Empty, "no colour codes in the journal");
        });
    }
}
