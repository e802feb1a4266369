namespace EnrichmentWorker.Hosting.Windows;

/// <summary>
/// The SCM's rules for SERVICE_STATUS, as plain code: start pending → running → stop pending → stopped (or straight
/// from start pending to stop pending or stopped when start-up fails). While pending, each report carries a larger
/// checkpoint; outside pending states checkpoint and wait hint are 0. Controls are accepted only while running,
/// as the SCM expects. No interop here, so it is tested on any OS.
/// </summary>
public sealed class ServiceControlStateMachine
{
    /// <summary>SERVICE_CONTROL_* codes this service handles.</summary>
    public const uint ControlStop = 1;
    public const uint ControlInterrogate = 4;
    public const uint ControlShutdown = 5;

    public ServiceStatusReport? Current { get; private set; }

    /// <summary>Start-up in progress; call again for each step so the checkpoint grows.</summary>
    public ServiceStatusReport StartPending(TimeSpan waitHint) => Pending(ServiceState.StartPending, waitHint, from: [null, ServiceState.StartPending]);

    public ServiceStatusReport Running() => Move(new ServiceStatusReport(ServiceState.Running, ServiceAccepts.Stop | ServiceAccepts.Shutdown, 0, TimeSpan.Zero),
        from: [ServiceState.StartPending]);

    /// <summary>Shutdown in progress; call again while it drains so the checkpoint grows and the SCM keeps waiting.</summary>
    public ServiceStatusReport StopPending(TimeSpan waitHint) => Pending(ServiceState.StopPending, waitHint,
        from: [ServiceState.StartPending, ServiceState.Running, ServiceState.StopPending]);

    /// <summary>Final; a non-zero exit code is reported as a service-specific error, so the recovery actions restart it.</summary>
    public ServiceStatusReport Stopped(int exitCode) => Move(
        new ServiceStatusReport(ServiceState.Stopped, ServiceAccepts.None, 0, TimeSpan.Zero,
            exitCode == 0 ? 0 : ServiceStatusReport.ServiceSpecificError, unchecked((uint)exitCode)),
        from: [null, ServiceState.StartPending, ServiceState.Running, ServiceState.StopPending]);

    /// <summary>What a control code means for this service.</summary>
    public static ServiceControlAction Interpret(uint control) => control switch
    {
        ControlStop or ControlShutdown => ServiceControlAction.Stop,
        ControlInterrogate => ServiceControlAction.ReportCurrent,
        _ => ServiceControlAction.NotImplemented,
    };

    private ServiceStatusReport Pending(ServiceState state, TimeSpan waitHint, ServiceState?[] from)
    {
        var checkPoint = Current?.State == state ? Current.CheckPoint + 1 : 1;
        return Move(new ServiceStatusReport(state, ServiceAccepts.None, checkPoint, waitHint), from);
    }

    private ServiceStatusReport Move(ServiceStatusReport next, ServiceState?[] from)
    {
        if (!from.Contains(Current?.State))
        {
            throw new InvalidOperationException($"A Windows service cannot go from {Current?.State.ToString() ?? "nothing"} to {next.State}.");
        }

        Current = next;
        return next;
    }
}

/// <summary>The service's answer to an SCM control.</summary>
public enum ServiceControlAction
{
    Stop,
    ReportCurrent,
    NotImplemented,
}
