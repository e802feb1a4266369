namespace EnrichmentWorker.Hosting.Windows;

/// <summary>The states of a Windows service (SERVICE_STATUS.dwCurrentState), with the SCM's values.</summary>
public enum ServiceState : uint
{
    Stopped = 1,
    StartPending = 2,
    StopPending = 3,
    Running = 4,
}

/// <summary>Controls the service accepts (SERVICE_ACCEPT_*), with the SCM's values.</summary>
[Flags]
public enum ServiceAccepts : uint
{
    None = 0,
    Stop = 0x1,
    Shutdown = 0x4,
}

/// <summary>
/// One SERVICE_STATUS as it will be given to SetServiceStatus: the state, what controls it accepts, and during a
/// pending state a checkpoint that must grow with each report and a wait hint (how long until the next report or
/// the end) after which the SCM may consider the service hung.
/// </summary>
public sealed record ServiceStatusReport(
    ServiceState State,
    ServiceAccepts Accepts,
    uint CheckPoint,
    TimeSpan WaitHint,
    uint Win32ExitCode = 0,
    uint ServiceSpecificExitCode = 0)
{
    /// <summary>ERROR_SERVICE_SPECIFIC_ERROR: the exit code is in <see cref="ServiceSpecificExitCode"/>.</summary>
    public const uint ServiceSpecificError = 1066;
}

/// <summary>Where reports go: the SCM through SetServiceStatus in production, a list in tests.</summary>
public interface IServiceStatusSink
{
    void Report(ServiceStatusReport report);
}
