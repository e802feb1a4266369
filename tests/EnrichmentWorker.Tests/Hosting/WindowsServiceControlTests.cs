using EnrichmentWorker.Hosting.Windows;

namespace EnrichmentWorker.Tests.Hosting;

/// <summary>The SCM state machine and its checkpoints, without Windows: reports go to a list instead of SetServiceStatus.</summary>
public sealed class WindowsServiceControlTests
{
    private sealed class RecordingSink : IServiceStatusSink
    {
        public List<ServiceStatusReport> Reports { get; } = [];

        public void Report(ServiceStatusReport report) => Reports.Add(report);
    }

    [Test]
    public void A_normal_run_goes_start_pending_running_stop_pending_stopped()
    {
        var states = new ServiceControlStateMachine();

        var reports = new[]
        {
            states.StartPending(TimeSpan.FromSeconds(10)),
            states.StartPending(TimeSpan.FromSeconds(10)),
            states.Running(),
            states.StopPending(TimeSpan.FromSeconds(10)),
            states.StopPending(TimeSpan.FromSeconds(10)),
            states.StopPending(TimeSpan.FromSeconds(10)),
            states.Stopped(0),
        };

        Assert.Multiple(() =>
        {
            Assert.That(reports.Select(r => r.State), Is.EqualTo(new[]
            {
                ServiceState.StartPending, ServiceState.StartPending, ServiceState.Running,
                ServiceState.StopPending, ServiceState.StopPending, ServiceState.StopPending, ServiceState.Stopped,
            }));
            Assert.That(reports.Select(r => r.CheckPoint), Is.EqualTo(new uint[] { 1, 2, 0, 1, 2, 3, 0 }));
            Assert.That(reports.Select(r => r.Accepts), Is.EqualTo(new[]
            {
                ServiceAccepts.None, ServiceAccepts.None, ServiceAccepts.Stop | ServiceAccepts.Shutdown,
                ServiceAccepts.None, ServiceAccepts.None, ServiceAccepts.None, ServiceAccepts.None,
            }));
            Assert.That(reports[2].WaitHint, Is.EqualTo(TimeSpan.Zero));
            Assert.That(reports[6].Win32ExitCode, Is.Zero);
        });
    }

    [Test]
    public void A_failed_start_stops_with_a_service_specific_exit_code_so_recovery_restarts_it()
    {
        var states = new ServiceControlStateMachine();
        states.StartPending(TimeSpan.FromSeconds(10));

        var stopped = states.Stopped(78);

        Assert.Multiple(() =>
        {
            Assert.That(stopped.Win32ExitCode, Is.EqualTo(ServiceStatusReport.ServiceSpecificError));
            Assert.That(stopped.ServiceSpecificExitCode, Is.EqualTo(78u));
        });
    }

    [Test]
    public void Nothing_follows_stopped_and_running_needs_a_start()
    {
        var states = new ServiceControlStateMachine();
        Assert.Throws<InvalidOperationException>(() => states.Running());
        states.StartPending(TimeSpan.FromSeconds(1));
        states.Stopped(0);

        Assert.Multiple(() =>
        {
            Assert.Throws<InvalidOperationException>(() => states.Running());
            Assert.Throws<InvalidOperationException>(() => states.StopPending(TimeSpan.FromSeconds(1)));
            Assert.Throws<InvalidOperationException>(() => states.StartPending(TimeSpan.FromSeconds(1)));
        });
    }

    [TestCase(1u, ServiceControlAction.Stop)]
    [TestCase(5u, ServiceControlAction.Stop)]
    [TestCase(4u, ServiceControlAction.ReportCurrent)]
    [TestCase(2u, ServiceControlAction.NotImplemented)]
    public void Controls_map_to_actions(uint control, ServiceControlAction action)
    {
        Assert.That(ServiceControlStateMachine.Interpret(control), Is.EqualTo(action));
    }

    [Test]
    public void A_long_stop_reports_a_growing_checkpoint_every_interval_until_stopped()
    {
        var sink = new RecordingSink();
        var time = new ManualTimeProvider();
        using var control = new WindowsServiceControl(sink, time);
        control.ReportStarting();
        time.Advance(WindowsServiceControl.CheckPointInterval * 2); // a slow database start
        control.ReportRunning();
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.That(sink.Reports, Has.Count.EqualTo(4), "no reports while running");

        Assert.That(control.OnControl(ServiceControlStateMachine.ControlStop), Is.Zero);
        Assert.That(control.StopRequested.IsCancellationRequested, Is.True);
        control.ReportStopping(); // the host's ApplicationStopping, right after
        time.Advance(WindowsServiceControl.CheckPointInterval * 3);
        control.ReportStopped(0);
        time.Advance(TimeSpan.FromMinutes(1));

        var stopPending = sink.Reports.Where(r => r.State == ServiceState.StopPending).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(sink.Reports.Take(4).Select(r => (r.State, r.CheckPoint)), Is.EqualTo(new[]
            {
                (ServiceState.StartPending, 1u), (ServiceState.StartPending, 2u), (ServiceState.StartPending, 3u), (ServiceState.Running, 0u),
            }));
            Assert.That(stopPending.Select(r => r.CheckPoint), Is.EqualTo(new uint[] { 1, 2, 3, 4, 5 }));
            Assert.That(stopPending, Has.All.Matches<ServiceStatusReport>(r => r.WaitHint > WindowsServiceControl.CheckPointInterval));
            Assert.That(sink.Reports[^1].State, Is.EqualTo(ServiceState.Stopped));
            Assert.That(time.ActiveTimers, Is.Zero);
        });
    }

    [Test]
    public void A_stop_during_start_up_skips_running()
    {
        var sink = new RecordingSink();
        using var control = new WindowsServiceControl(sink, new ManualTimeProvider());
        control.ReportStarting();

        control.OnControl(ServiceControlStateMachine.ControlShutdown);
        control.ReportRunning();
        control.ReportStopped(0);

        Assert.That(sink.Reports.Select(r => r.State), Is.EqualTo(new[] { ServiceState.StartPending, ServiceState.StopPending, ServiceState.Stopped }));
    }

    [Test]
    public void The_windows_service_switch_is_taken_out_of_the_arguments()
    {
        string[] args = ["run", "--windows-service", "--Urls=http://127.0.0.1:5080"];

        Assert.Multiple(() =>
        {
            Assert.That(WindowsServiceSession.IsRequested(ref args), Is.True);
            Assert.That(args, Is.EqualTo(new[] { "run", "--Urls=http://127.0.0.1:5080" }));
            Assert.That(WindowsServiceSession.IsRequested(ref args), Is.False);
        });
    }
}
