using EnrichmentWorker.Hosting;
using EnrichmentWorker.Hosting.Systemd;
using EnrichmentWorker.Tests.Support;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnrichmentWorker.Tests.Hosting;

public sealed class SystemdNotifyTests
{
    private static SystemdEnvironment Env(params (string Key, string Value)[] variables) =>
        SystemdEnvironment.Parse(name => variables.FirstOrDefault(v => v.Key == name).Value, processId: 4242);

    [Test]
    public void The_watchdog_is_armed_at_half_of_WATCHDOG_USEC_when_WATCHDOG_PID_is_absent_or_this_process()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Env(("WATCHDOG_USEC", "400000")).WatchdogPingInterval, Is.EqualTo(TimeSpan.FromMilliseconds(200)));
            Assert.That(Env(("WATCHDOG_USEC", "400000"), ("WATCHDOG_PID", "4242")).WatchdogPingInterval, Is.EqualTo(TimeSpan.FromMilliseconds(200)));
            Assert.That(Env(("WATCHDOG_USEC", "400000"), ("WATCHDOG_PID", "1")).WatchdogPingInterval, Is.Null, "another process's watchdog");
            Assert.That(Env(("WATCHDOG_USEC", "0")).WatchdogPingInterval, Is.Null);
            Assert.That(Env(("WATCHDOG_USEC", "soon")).WatchdogPingInterval, Is.Null);
            Assert.That(Env().CanNotify, Is.False);
            Assert.That(Env(("NOTIFY_SOCKET", "/run/systemd/notify")).CanNotify, Is.True);
            Assert.That(Env(("JOURNAL_STREAM", "8:1234")).IsJournalStream, Is.True);
        });
    }

    [Test]
    public async Task A_notification_arrives_as_one_datagram_on_a_socket_file()
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(Env(("NOTIFY_SOCKET", socket.Address)), NullLogger<SystemdNotifier>.Instance);

        notifier.Notify("READY=1\nSTATUS=Running");

        await WaitFor.ConditionAsync(() => socket.Messages.Count == 1, TimeSpan.FromSeconds(10), "the datagram");
        Assert.That(socket.Messages[0], Is.EqualTo("READY=1\nSTATUS=Running"));
    }

    [Test]
    public async Task A_notification_reaches_an_abstract_socket_named_with_an_at_sign()
    {
        using var socket = NotifySocket.Abstract();
        using var notifier = new SystemdNotifier(Env(("NOTIFY_SOCKET", socket.Address)), NullLogger<SystemdNotifier>.Instance);

        notifier.Notify("WATCHDOG=1");

        await WaitFor.ConditionAsync(() => socket.Messages.Contains("WATCHDOG=1"), TimeSpan.FromSeconds(10), "the datagram");
    }

    [Test]
    public void Without_NOTIFY_SOCKET_nothing_is_sent_and_nothing_fails()
    {
        using var notifier = new SystemdNotifier(Env(), NullLogger<SystemdNotifier>.Instance);

        Assert.That(notifier.IsEnabled, Is.False);
        Assert.DoesNotThrow(() => notifier.Notify("READY=1"));
    }

    [Test]
    public async Task Ready_status_watchdog_and_stopping_follow_the_host_lifetime_and_the_clock()
    {
        using var socket = NotifySocket.AtPath();
        var environment = Env(("NOTIFY_SOCKET", socket.Address), ("WATCHDOG_USEC", "10000000"));
        var time = new ManualTimeProvider();
        var status = new ServiceStatus();
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        using var notifier = new SystemdNotifier(environment, NullLogger<SystemdNotifier>.Instance);
        using var service = new SystemdNotificationService(notifier, environment, status, lifetime, time);
        await service.StartAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(20));
        Assert.That(socket.Messages, Is.Empty, "nothing before the host has started");

        lifetime.NotifyStarted();
        await WaitFor.ConditionAsync(() => socket.Lines.Contains("READY=1"), TimeSpan.FromSeconds(10), "READY=1");
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
        await service.StopAsync(CancellationToken.None);

        var lines = socket.Lines;
        Assert.Multiple(() =>
        {
            Assert.That(lines.Count(l => l == "WATCHDOG=1"), Is.EqualTo(2), "no watchdog pings once stopping");
            Assert.That(lines.Count(l => l == "STOPPING=1"), Is.EqualTo(1));
            Assert.That(lines.IndexOf("READY=1"), Is.LessThan(lines.IndexOf("WATCHDOG=1")));
            Assert.That(lines.IndexOf("WATCHDOG=1"), Is.LessThan(lines.IndexOf("STOPPING=1")));
            Assert.That(time.ActiveTimers, Is.Zero);
        });
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
