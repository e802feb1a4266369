using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace EnrichmentWorker.Hosting.Windows;

/// <summary>
/// The thin advapi32 layer: StartServiceCtrlDispatcherW, RegisterServiceCtrlHandlerExW and SetServiceStatus, and
/// nothing that decides anything (that is <see cref="WindowsServiceControl"/>). Never runs off Windows.
/// </summary>
[SupportedOSPlatform("windows")]
internal static class ServiceControlManagerInterop
{
    private const uint ServiceWin32OwnProcess = 0x10;

    [UnmanagedFunctionPointer(CallingConvention.Winapi)]
    internal delegate void ServiceMainCallback(int argc, IntPtr argv);

    [UnmanagedFunctionPointer(CallingConvention.Winapi)]
    internal delegate uint HandlerExCallback(uint control, uint eventType, IntPtr eventData, IntPtr context);

    [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
    internal struct ServiceTableEntry
    {
        [MarshalAs(UnmanagedType.LPWStr)]
        public string? ServiceName;
        public ServiceMainCallback? ServiceProc;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct ServiceStatusNative
    {
        public uint ServiceType;
        public uint CurrentState;
        public uint ControlsAccepted;
        public uint Win32ExitCode;
        public uint ServiceSpecificExitCode;
        public uint CheckPoint;
        public uint WaitHint;
    }

    [DllImport("advapi32.dll", EntryPoint = "StartServiceCtrlDispatcherW", CharSet = CharSet.Unicode, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static extern bool StartServiceCtrlDispatcher([In] ServiceTableEntry[] serviceTable);

    [DllImport("advapi32.dll", EntryPoint = "RegisterServiceCtrlHandlerExW", CharSet = CharSet.Unicode, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    internal static extern IntPtr RegisterServiceCtrlHandlerEx(string serviceName, HandlerExCallback handler, IntPtr context);

    [DllImport("advapi32.dll", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static extern bool SetServiceStatus(IntPtr statusHandle, ref ServiceStatusNative status);

    internal static ServiceStatusNative ToNative(ServiceStatusReport report) => new()
    {
        ServiceType = ServiceWin32OwnProcess,
        CurrentState = (uint)report.State,
        ControlsAccepted = (uint)report.Accepts,
        Win32ExitCode = report.Win32ExitCode,
        ServiceSpecificExitCode = report.ServiceSpecificExitCode,
        CheckPoint = report.CheckPoint,
        WaitHint = (uint)Math.Min(report.WaitHint.TotalMilliseconds, uint.MaxValue),
    };
}
