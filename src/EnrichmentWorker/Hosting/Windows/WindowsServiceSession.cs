using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using static EnrichmentWorker.Hosting.Windows.ServiceControlManagerInterop;

namespace EnrichmentWorker.Hosting.Windows;

/// <summary>
/// Connects this process to the Service Control Manager when it runs as a Windows service. Detection is explicit
/// and simple: the <c>--windows-service</c> switch, which deploy/windows/install.ps1 puts in the service's command
/// line (no parent-process sniffing). The dispatcher must be called within 30 s of process start, so this runs
/// first thing, before the database starts; the SCM's thread then stays in StartServiceCtrlDispatcher until the
/// service reports stopped.
/// </summary>
public sealed class WindowsServiceSession : IDisposable
{
    public const string Switch = "--windows-service";

    private Thread? _dispatcher;
    private readonly TaskCompletionSource _serviceMainCalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WindowsServiceControl? _control;
    // The SCM keeps calling these delegates: fields keep them from being collected.
    private ServiceMainCallback? _serviceMain;
    private HandlerExCallback? _handler;

    private WindowsServiceSession()
    {
    }

    public WindowsServiceControl Control => _control ?? throw new InvalidOperationException("The service has not been started by the SCM.");

    /// <summary>Removes the switch from <paramref name="args"/>; true when it was there.</summary>
    public static bool IsRequested(ref string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!args.Contains(Switch, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        args = [.. args.Where(a => !string.Equals(a, Switch, StringComparison.OrdinalIgnoreCase))];
        return true;
    }

    /// <summary>Connects to the SCM and reports start pending; throws when the process was not started by the SCM.</summary>
    public static async Task<WindowsServiceSession> ConnectAsync(TimeProvider time)
    {
        if (!OperatingSystem.IsWindows())
        {
            throw new WindowsServiceException($"{Switch} works on Windows only; on Linux use the systemd unit (deploy/systemd).");
        }

        var session = new WindowsServiceSession();
        session.Start(time);
        var finished = await Task.WhenAny(session._serviceMainCalled.Task, Task.Delay(TimeSpan.FromSeconds(30), time));
        if (finished != session._serviceMainCalled.Task)
        {
            throw new WindowsServiceException("The Service Control Manager did not start the service within 30 s.");
        }

        await session._serviceMainCalled.Task;
        session.Control.ReportStarting();
        return session;
    }

    [SupportedOSPlatform("windows")]
    private void Start(TimeProvider time)
    {
        _serviceMain = (_, _) =>
        {
            try
            {
                _handler = (control, _, _, _) => _control?.OnControl(control) ?? 0;
                var handle = RegisterServiceCtrlHandlerEx(string.Empty, _handler, IntPtr.Zero);
                if (handle == IntPtr.Zero)
                {
                    throw new Win32Exception(Marshal.GetLastWin32Error());
                }

                _control = new WindowsServiceControl(new ScmStatusSink(handle), time);
                _serviceMainCalled.TrySetResult();
            }
            catch (Win32Exception ex)
            {
                _serviceMainCalled.TrySetException(new WindowsServiceException("Could not register with the Service Control Manager: " + ex.Message));
            }
        };
        _dispatcher = new Thread(RunDispatcher) { IsBackground = true, Name = "SCM dispatcher" };
        _dispatcher.Start();
    }

    [SupportedOSPlatform("windows")]
    private void RunDispatcher()
    {
        // For a SERVICE_WIN32_OWN_PROCESS service the name in the table is ignored; the table ends with an empty entry.
        ServiceTableEntry[] table = [new() { ServiceName = string.Empty, ServiceProc = _serviceMain }, default];
        if (!StartServiceCtrlDispatcher(table))
        {
            var error = Marshal.GetLastWin32Error();
            _serviceMainCalled.TrySetException(new WindowsServiceException(error == 1063
                ? $"{Switch} was given, but this process was not started by the Service Control Manager; run it without the switch, or start the service (Start-Service EnrichmentWorker)."
                : "StartServiceCtrlDispatcher failed: " + new Win32Exception(error).Message));
        }
    }

    /// <summary>Reports stopped and lets the dispatcher thread return, so the process can exit.</summary>
    public void Dispose()
    {
        _control?.Dispose();
        _dispatcher?.Join(TimeSpan.FromSeconds(5));
    }

    [SupportedOSPlatform("windows")]
    private sealed class ScmStatusSink(IntPtr handle) : IServiceStatusSink
    {
        public void Report(ServiceStatusReport report)
        {
            var native = ToNative(report);
            _ = SetServiceStatus(handle, ref native);
        }
    }
}

/// <summary>Running as a Windows service failed; the message says what to do.</summary>
public sealed class WindowsServiceException(string message) : Exception(message);
