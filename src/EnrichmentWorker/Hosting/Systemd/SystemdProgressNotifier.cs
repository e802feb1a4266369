using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting.Systemd;

namespace EnrichmentWorker.Hosting.Systemd;

/// <summary>
/// What <c>AddSystemd()</c> does not send: the <c>STATUS=</c> progress line whenever <see cref="ServiceStatus"/>
/// changes, and <c>WATCHDOG=1</c> at half of WatchdogSec while the service runs (sd_watchdog_enabled(3)). READY=1 and
/// STOPPING=1 come from the package's SystemdLifetime; the watchdog stops as soon as shutdown begins, before STOPPING=1.
/// </summary>
public sealed class SystemdProgressNotifier(
    ISystemdNotifier notifier,
    ServiceStatus status,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<SystemdProgressNotifier> logger) : IHostedService, IDisposable
{
    public const string WatchdogUsecVariable = "WATCHDOG_USEC";
    public const string WatchdogPidVariable = "WATCHDOG_PID";

    private readonly Lock _gate = new();
    private readonly List<CancellationTokenRegistration> _registrations = [];
    private ITimer? _watchdog;
    private bool _stopping;
    private bool _failedOnce;

    /// <summary>Half of WATCHDOG_USEC, if the watchdog is armed for this process (WATCHDOG_PID absent or ours).</summary>
    public TimeSpan? WatchdogPingInterval { get; init; } =
        PingInterval(Environment.GetEnvironmentVariable, Environment.ProcessId);

    public static TimeSpan? PingInterval(Func<string, string?> variable, int processId)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (!long.TryParse(variable(WatchdogUsecVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec <= 0)
        {
            return null;
        }

        // A child that inherited a supervised parent's environment must not ping on the parent's behalf.
        var pid = variable(WatchdogPidVariable);
        return string.IsNullOrEmpty(pid) || pid == processId.ToString(CultureInfo.InvariantCulture)
            ? TimeSpan.FromMicroseconds(usec) / 2
            : null;
    }

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

            // Until the queue reports progress, "Starting" would be misleading once systemd considers the unit active.
            Send("STATUS=" + (status.Current == "Starting" ? "Running" : status.Current));
            if (WatchdogPingInterval is { } interval)
            {
                _watchdog = time.CreateTimer(_ => OnWatchdogTick(), null, interval, interval);
            }
        }
    }

    private void OnWatchdogTick()
    {
        lock (_gate)
        {
            if (!_stopping)
            {
                Send("WATCHDOG=1");
            }
        }
    }

    private void OnStatusChanged(string line)
    {
        lock (_gate)
        {
            if (!_stopping)
            {
                Send("STATUS=" + line);
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
            Send("STATUS=Stopping: finishing in-flight jobs");
        }
    }

    private void Send(string state)
    {
        try
        {
            notifier.Notify(new ServiceState(state));
        }
        catch (SocketException ex)
        {
            // Losing a notification must not stop the service (the package's notifier throws when the socket is
            // gone, and this runs on a timer thread); say it once, not at every watchdog tick.
            if (!_failedOnce)
            {
                _failedOnce = true;
                logger.LogWarning("Could not notify systemd through NOTIFY_SOCKET: {Error}", ex.SocketErrorCode);
            }
        }
    }

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
