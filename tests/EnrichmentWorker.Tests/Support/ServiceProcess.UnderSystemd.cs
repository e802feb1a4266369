using System.Diagnostics;
using EnrichmentWorker.Benchmarks.Support;

namespace EnrichmentWorker.Tests.Support;

public sealed partial class ServiceProcess
{
    // The child's SIGTERM is forwarded; the second wait returns the child's own exit code, not the trap's.
    private const string ParentScript = """
        trap 'kill -TERM "$child" 2>/dev/null' TERM
        "$@" &
        child=$!
        wait "$child"; code=$?
        while kill -0 "$child" 2>/dev/null; do wait "$child"; code=$?; done
        exit $code
        """;

    /// <summary>
    /// Starts the service as the child of a process named <c>systemd</c>: Microsoft.Extensions.Hosting.Systemd decides
    /// it runs under systemd from its parent's name (/proc/PPID/comm), so this is the only way to switch
    /// <c>AddSystemd()</c> on without systemd as PID 1 (this machine's containers have none). The parent is
    /// /bin/sh started through a symlink named systemd; it forwards SIGTERM and returns the service's exit code.
    /// Everything else (NOTIFY_SOCKET, the journal format) is the package's own code path.
    /// </summary>
    public static ServiceProcess StartUnderSystemd(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var folder = Path.Combine(Path.GetTempPath(), "ew-systemd-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var parent = Path.Combine(folder, "systemd");
        File.CreateSymbolicLink(parent, "/bin/sh");

        var baseUrl = new Uri($"http://127.0.0.1:{FreePort()}");
        var service = ServiceBinary.StartInfo(environment, baseUrl, args);
        var startInfo = new ProcessStartInfo(parent)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = service.WorkingDirectory,
        };
        foreach (var argument in (string[])["-c", ParentScript, "systemd", service.FileName, .. service.ArgumentList])
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in service.Environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the service.");
        File.Delete(parent);
        Directory.Delete(folder);
        return new ServiceProcess(process, baseUrl);
    }
}
