using EnrichmentWorker.Hosting;
using EnrichmentWorker.Hosting.Systemd;
using EnrichmentWorker.Tests.Support;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EnrichmentWorker.Tests.Hosting;

/// <summary>
/// The package's notifier and lifetime (READY, STOPPING) with the project's progress notifier (STATUS, WATCHDOG) on a
/// socket the test owns. The package's notifier reads NOTIFY_SOCKET when it is made, so the test sets it for that
/// moment only; the assembly's tests do not run in parallel.
/// </summary>
public sealed class SystemdNotifyTests
{
    private static TimeSpan? PingInterval(params (string Key, string Value)[] variables) =>
        SystemdProgressNotifier.PingInterval(name => variables.FirstOrDefault(v => v.Key == name).Value, processId: 4242);

    private static SystemdNotifier NotifierFor(string? socket)
    {
        var before = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", socket);
        try
        {
            return new SystemdNotifier();
        }
        finally
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", before);
        }
    }

    [Test]
    public void The_watchdog_is_pinged_at_half_of_WATCHDOG_USEC_when_WATCHDOG_PID_is_absent_or_this_process()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PingInterval(("WATCHDOG_USEC", "400000")), Is.EqualTo(TimeSpan.FromMilliseconds(200)));
            Assert.That(PingInterval(("WATCHDOG_USEC", "400000"), ("WATCHDOG_PID", "4242")), Is.EqualTo(TimeSpan.FromMilliseconds(200)));
            Assert.That(PingInterval(("WATCHDOG_USEC", "400000"), ("WATCHDOG_PID", "1")), Is.Null, "another process's watchdog");
            Assert.That(PingInterval(("WATCHDOG_USEC", "0")), Is.Null);
            Assert.That(PingInterval(("WATCHDOG_USEC", "soon")), Is.Null);
            Assert.That(PingInterval(), Is.Null);
        });
    }

    [Test]
    public async Task A_status_line_reaches_an_abstract_socket_named_with_an_at_sign()
    {
        using var socket = NotifySocket.Abstract();
        var notifier = NotifierFor(socket.Address);

        notifier.Notify(new ServiceState("STATUS=Running"));

        await WaitFor.ConditionAsync(() => socket.Messages.Contains("STATUS=Running"), TimeSpan.FromSeconds(10), "the datagram");
    }

    [Test]
    public async Task Ready_status_watchdog_and_stopping_follow_the_host_lifetime_and_the_clock()
    {
        using var socket = NotifySocket.AtPath();
        var notifier = NotifierFor(socket.Address);
        var time = new FakeTimeProvider();
        var status = new ServiceStatus();
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var environment = new HostingEnvironment { ApplicationName = "test", EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory };
        using var systemd = new SystemdLifetime(environment, lifetime, notifier, NullLoggerFactory.Instance);
        using var progress = new SystemdProgressNotifier(notifier, status, lifetime, time, NullLogger<SystemdProgressNotifier>.Instance)
        {
            WatchdogPingInterval = TimeSpan.FromSeconds(5),
        };

        // The host's order: the lifetime first, then the hosted services.
        await systemd.WaitForStartAsync(CancellationToken.None);
        await progress.StartAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.That(socket.Messages, Is.Empty, "nothing before the host has started");

        lifetime.NotifyStarted();
        await WaitFor.ConditionAsync(() => socket.Lines.Contains("READY=1") && socket.Lines.Contains("STATUS=Running"), TimeSpan.FromSeconds(10), "READY=1 and STATUS=Running");
        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.That(socket.Lines, Does.Not.Contain("WATCHDOG=1"), "just inside half of WatchdogSec");
        time.Advance(TimeSpan.FromSeconds(0.1));
        await WaitFor.ConditionAsync(() => socket.Lines.Count(l => l == "WATCHDOG=1") == 1, TimeSpan.FromSeconds(10), "the first WATCHDOG=1");
        time.Advance(TimeSpan.FromSeconds(5));
        await WaitFor.ConditionAsync(() => socket.Lines.Count(l => l == "WATCHDOG=1") == 2, TimeSpan.FromSeconds(10), "the second WATCHDOG=1");

        status.Set("Enriching: 120/3788 done, 2 failed, ETA 54 min");
        await WaitFor.ConditionAsync(() => socket.Lines.Contains("STATUS=Enriching: 120/3788 done, 2 failed, ETA 54 min"), TimeSpan.FromSeconds(10), "the STATUS line");

        lifetime.StopApplication();
        await WaitFor.ConditionAsync(() => socket.Lines.Contains("STOPPING=1"), TimeSpan.FromSeconds(10), "STOPPING=1");
        time.Advance(TimeSpan.FromSeconds(30));
        status.Set("Enriching: 121/3788 done");
        await progress.StopAsync(CancellationToken.None);
        await systemd.StopAsync(CancellationToken.None);

        var lines = socket.Lines;
        Assert.Multiple(() =>
        {
            Assert.That(lines.Count(l => l == "WATCHDOG=1"), Is.EqualTo(2), "no watchdog pings once stopping");
            Assert.That(lines.Count(l => l == "STOPPING=1"), Is.EqualTo(1));
            Assert.That(lines, Does.Not.Contain("STATUS=Enriching: 121/3788 done"), "no progress once stopping");
            Assert.That(lines.IndexOf("READY=1"), Is.LessThan(lines.IndexOf("WATCHDOG=1")));
            Assert.That(lines.LastIndexOf("WATCHDOG=1"), Is.LessThan(lines.IndexOf("STOPPING=1")));
        });
    }

    [Test]
    public void Without_NOTIFY_SOCKET_nothing_is_sent_and_nothing_fails()
    {
        var notifier = NotifierFor(null);
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        using var progress = new SystemdProgressNotifier(notifier, new ServiceStatus(), lifetime, new FakeTimeProvider(), NullLogger<SystemdProgressNotifier>.Instance);

        Assert.That(notifier.IsEnabled, Is.False);
        Assert.DoesNotThrowAsync(() => progress.StartAsync(CancellationToken.None));
        Assert.DoesNotThrow(lifetime.NotifyStarted);
    }

    [Test]
    public void A_notification_to_a_vanished_socket_does_not_stop_the_service()
    {
        var notifier = NotifierFor(Path.Combine(Path.GetTempPath(), "ew-notify-gone-" + Guid.NewGuid().ToString("N")[..8] + ".sock"));
        var status = new ServiceStatus();
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        using var progress = new SystemdProgressNotifier(notifier, status, lifetime, new FakeTimeProvider(), NullLogger<SystemdProgressNotifier>.Instance);

        Assert.DoesNotThrowAsync(() => progress.StartAsync(CancellationToken.None));
        Assert.DoesNotThrow(lifetime.NotifyStarted);
        Assert.DoesNotThrow(() => status.Set("Enriching"));
    }

    [Test]
    public void A_status_line_never_spans_lines()
    {
        var status = new ServiceStatus();
        string? seen = null;
        status.Changed += line => seen = line;

        status.Set("Enriching\nREADY=1");

        Assert.That(seen, Is.EqualTo("Enriching READY=1"));
    }
}
