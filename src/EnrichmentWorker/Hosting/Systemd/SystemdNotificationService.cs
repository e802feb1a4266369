namespace EnrichmentWorker.Hosting.Systemd;

/// <summary>
/// Tells systemd (Type=notify) how the service is doing: READY=1 once the host has started and Kestrel listens,
/// STATUS= whenever <see cref="ServiceStatus"/> changes, WATCHDOG=1 at half of WatchdogSec while it runs, and
/// STOPPING=1 as soon as shutdown begins, so <c>systemctl status</c> shows "deactivating" during a long drain.
/// </summary>
public sealed class SystemdNotificationService(
    SystemdNotifier notifier,
    SystemdEnvironment environment,
    ServiceStatus status,
    IHostApplicationLifetime lifetime,
    TimeProvider time) : IHostedService, IDisposable
{
    private readonly Lock _gate = new();
    private ITimer? _watchdog;
    private bool _stopping;
    private readonly List<CancellationTokenRegistration> _registrations = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!notifier.IsEnabled)
        {
            return Task.CompletedTask;
        }

        status.Changed += OnStatusChanged;
        _registrations.Add(lifetime.ApplicationStarted.Register(OnStarted));
        _registrations.Add(lifetime.ApplicationStopping.Register(OnStopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // ApplicationStopping has fired already; this covers a host stopped before it ever started.
        OnStopping();
        return Task.CompletedTask;
    }

    private void OnStarted()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            notifier.Notify("READY=1\nSTATUS=" + ReadyStatus(status.Current));
            if (environment.WatchdogPingInterval is { } interval)
            {
                _watchdog = time.CreateTimer(_ => PingWatchdog(), null, interval, interval);
            }
        }
    }

    private void PingWatchdog()
    {
        lock (_gate)
        {
            if (!_stopping)
            {
                notifier.Notify("WATCHDOG=1");
            }
        }
    }

    private void OnStopping()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            _watchdog?.Dispose();
            _watchdog = null;
            status.Changed -= OnStatusChanged;
            notifier.Notify("STOPPING=1\nSTATUS=Stopping: finishing in-flight jobs");
        }
    }

    private void OnStatusChanged(string line)
    {
        lock (_gate)
        {
            if (!_stopping)
            {
                notifier.Notify("STATUS=" + line);
            }
        }
    }

    // Until the queue reports progress, "Starting" would be misleading once systemd considers the unit active.
    private static string ReadyStatus(string current) => current == "Starting" ? "Running" : current;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        status.Changed -= OnStatusChanged;
        _watchdog?.Dispose();
    }
}
