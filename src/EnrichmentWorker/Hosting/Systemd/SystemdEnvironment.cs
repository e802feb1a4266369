using System.Globalization;

namespace EnrichmentWorker.Hosting.Systemd;

/// <summary>
/// What systemd told this process through its environment (see sd_notify(3), sd_watchdog_enabled(3),
/// systemd.exec(5)): where to send notifications, whether a watchdog is armed, and whether stderr is the journal.
/// </summary>
public sealed record SystemdEnvironment(string? NotifySocket, TimeSpan? WatchdogInterval, bool IsJournalStream)
{
    public const string NotifySocketVariable = "NOTIFY_SOCKET";
    public const string WatchdogUsecVariable = "WATCHDOG_USEC";
    public const string WatchdogPidVariable = "WATCHDOG_PID";
    public const string JournalStreamVariable = "JOURNAL_STREAM";

    public static SystemdEnvironment None { get; } = new(null, null, false);

    public bool CanNotify => !string.IsNullOrEmpty(NotifySocket);

    /// <summary>How often to send WATCHDOG=1: half the configured interval, as sd_watchdog_enabled(3) recommends.</summary>
    public TimeSpan? WatchdogPingInterval => WatchdogInterval / 2;

    public static SystemdEnvironment FromProcess() =>
        Parse(name => Environment.GetEnvironmentVariable(name), Environment.ProcessId);

    /// <summary>
    /// Reads the variables. The watchdog counts only when WATCHDOG_PID is absent or names this process: a child
    /// that inherited the environment of a supervised parent must not ping on the parent's behalf.
    /// </summary>
    public static SystemdEnvironment Parse(Func<string, string?> variable, int processId)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var socket = variable(NotifySocketVariable);
        TimeSpan? watchdog = null;
        if (long.TryParse(variable(WatchdogUsecVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0)
        {
            var pid = variable(WatchdogPidVariable);
            if (string.IsNullOrEmpty(pid) || pid == processId.ToString(CultureInfo.InvariantCulture))
            {
                watchdog = TimeSpan.FromMicroseconds(usec);
            }
        }

        return new SystemdEnvironment(string.IsNullOrEmpty(socket) ? null : socket, watchdog,
            !string.IsNullOrEmpty(variable(JournalStreamVariable)));
    }
}
