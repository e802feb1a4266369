using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EnrichmentWorker.Benchmarks.Support;

/// <summary>
/// How the harness and the tests start the real service binary: <c>dotnet EnrichmentWorker.dll ARGS</c> from the
/// build output, on a loopback address, with its configuration in the environment, as a user or systemd runs it.
/// </summary>
public static class ServiceBinary
{
    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?> environment, Uri baseUrl, IEnumerable<string> args)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(args);
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EnrichmentWorker.dll"));
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment["Urls"] = baseUrl.ToString();
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Production";
        startInfo.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        return startInfo;
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
