namespace EnrichmentWorker.Hosting.Windows;

/// <summary>
/// Drives the SCM status for one service run: start pending from process start (the embedded database may take
/// a while on first run), running once the host serves, stop pending with a fresh checkpoint every
/// <see cref="CheckPointInterval"/> while in-flight jobs drain, stopped with the exit code at the very end. SCM
/// controls arrive through <see cref="OnControl"/> and become <see cref="StopRequested"/>. Reports go to a sink,
/// so this runs (and is tested) without Windows.
/// </summary>
public sealed class WindowsServiceControl(IServiceStatusSink sink, TimeProvider time) : IDisposable
{
    /// <summary>How often a pending state is re-reported; the wait hint gives the SCM twice that before it worries.</summary>
    public static readonly TimeSpan CheckPointInterval = TimeSpan.FromSeconds(5);

    private readonly ServiceControlStateMachine _states = new();
    private readonly CancellationTokenSource _stopRequested = new();
    private readonly Lock _gate = new();
    private ITimer? _ticker;

    public CancellationToken StopRequested => _stopRequested.Token;

    public ServiceState? State
    {
        get
        {
            lock (_gate)
            {
                return _states.Current?.State;
            }
        }
    }

    public void ReportStarting() => Pending(() => _states.StartPending(CheckPointInterval * 2));

    public void ReportRunning()
    {
        lock (_gate)
        {
            if (_states.Current?.State != ServiceState.StartPending)
            {
                return; // a stop came first
            }

            StopTicker();
            sink.Report(_states.Running());
        }
    }

    public void ReportStopping() => Pending(() => _states.StopPending(CheckPointInterval * 2));

    public void ReportStopped(int exitCode)
    {
        lock (_gate)
        {
            if (_states.Current?.State == ServiceState.Stopped)
            {
                return;
            }

            StopTicker();
            sink.Report(_states.Stopped(exitCode));
        }
    }

    /// <summary>The SCM's handler calls this on its own thread; returns the Win32 result for HandlerEx.</summary>
    public uint OnControl(uint control)
    {
        switch (ServiceControlStateMachine.Interpret(control))
        {
            case ServiceControlAction.Stop:
                ReportStopping();
                _stopRequested.Cancel();
                return 0;
            case ServiceControlAction.ReportCurrent:
                lock (_gate)
                {
                    if (_states.Current is { } current)
                    {
                        sink.Report(current);
                    }
                }

                return 0;
            default:
                return 120; // ERROR_CALL_NOT_IMPLEMENTED
        }
    }

    private void Pending(Func<ServiceStatusReport> next)
    {
        lock (_gate)
        {
            var state = _states.Current?.State;
            if (state == ServiceState.Stopped)
            {
                return;
            }

            var report = next();
            sink.Report(report);
            // Each pending state gets its own ticker; entering stop pending replaces the start-up one.
            if (_ticker is null || report.CheckPoint == 1)
            {
                StopTicker();
                _ticker = time.CreateTimer(_ => Tick(report.State), null, CheckPointInterval, CheckPointInterval);
            }
        }
    }

    private void Tick(ServiceState pendingState)
    {
        lock (_gate)
        {
            if (_states.Current?.State != pendingState)
            {
                return;
            }

            sink.Report(pendingState == ServiceState.StartPending
                ? _states.StartPending(CheckPointInterval * 2)
                : _states.StopPending(CheckPointInterval * 2));
        }
    }

    private void StopTicker()
    {
        _ticker?.Dispose();
        _ticker = null;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            StopTicker();
        }

        _stopRequested.Dispose();
    }
}
