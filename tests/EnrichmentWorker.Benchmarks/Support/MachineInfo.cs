using System.Globalization;
using System.Runtime.InteropServices;

namespace EnrichmentWorker.Benchmarks.Support;

/// <summary>The machine the figures were measured on, printed with them.</summary>
public static class MachineInfo
{
    public static string Describe()
    {
        var cpu = ReadField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var ramKb = ReadField("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var ram = long.TryParse(ramKb, CultureInfo.InvariantCulture, out var kb) ? $"{kb / 1024.0 / 1024.0:N1} GB RAM" : "RAM unknown";
        var os = ReadOsRelease() ?? RuntimeInformation.OSDescription;
        return $"{Environment.ProcessorCount} cores ({cpu}), {ram}, {os} ({RuntimeInformation.OSArchitecture}), {RuntimeInformation.FrameworkDescription}";
    }

    private static string? ReadField(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim() == key)
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    private static string? ReadOsRelease()
    {
        const string path = "/etc/os-release";
        if (!File.Exists(path))
        {
            return null;
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
        return line?["PRETTY_NAME=".Length..].Trim('"');
    }
}
