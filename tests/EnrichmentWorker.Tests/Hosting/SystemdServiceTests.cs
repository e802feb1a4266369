using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Hosting;

/// <summary>The real service binary under a pretend systemd: the test owns NOTIFY_SOCKET and reads the journal format.</summary>
public sealed class SystemdServiceTests
{
    [Test]
    public async Task The_service_sends_ready_then_watchdog_then_stopping_on_SIGTERM()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var socket = NotifySocket.AtPath();
        await using var service = ServiceProcess.Start(new Dictionary<string, string?>
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
    public async Task Under_the_journal_each_log_line_starts_with_its_syslog_severity()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var service = ServiceProcess.Start(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = db.ConnectionString,
            ["JOURNAL_STREAM"] = "8:123456",
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
