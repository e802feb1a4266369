using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace EnrichmentWorker.Benchmarks.Support;

/// <summary>
/// The real service binary as a child process, started by <see cref="ServiceBinary"/> as the tests' ServiceProcess
/// is. Its CPU time and peak resident memory are read from the operating system, so they are the service's own, not
/// the harness's.
/// </summary>
public sealed class ServiceChild : IAsyncDisposable
{
    private const int KeptLines = 400;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly CancellationTokenSource _samplerStop = new();
    private readonly Task _sampler;
    private long _peakBytes;

    private ServiceChild(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _sampler = SampleMemoryAsync(_samplerStop.Token);
    }

    public Uri BaseUrl { get; }

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    public int ExitCode => _process.ExitCode;

    public string OutputTail => string.Join('\n', _output);

    /// <summary>Peak resident set (VmHWM) seen so far; sampled every 50 ms because it is unreadable after exit.</summary>
    public long PeakWorkingSetBytes
    {
        get
        {
            SampleOnce();
            return Interlocked.Read(ref _peakBytes);
        }
    }

    /// <summary>User + system CPU time the process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static ServiceChild Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var baseUrl = new Uri($"http://127.0.0.1:{ServiceBinary.FreePort()}");
        var startInfo = ServiceBinary.StartInfo(environment, baseUrl, args);
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the service binary.");
        return new ServiceChild(process, baseUrl);
    }

    /// <summary>Runs a CLI verb to its end; returns its exit code, wall time and peak memory.</summary>
    public static async Task<VerbRun> RunVerbAsync(IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        await using var child = Start(environment, args);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await child._process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill();
            throw new TimeoutException($"'{string.Join(' ', args)}' did not finish within {timeout.TotalSeconds:0} s:\n{child.OutputTail}");
        }

        var elapsed = clock.Elapsed;
        child._process.WaitForExit(); // flushes the asynchronous output readers
        return new VerbRun(child._process.ExitCode, elapsed, Interlocked.Read(ref child._peakBytes), child.OutputTail);
    }

    /// <summary>Waits until the service answers HTTP at all (any status), or fails with its output if it exits.</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with code {_process.ExitCode}:\n{OutputTail}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl, "/health/live"), cancellationToken);
                return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"The service did not answer HTTP within {timeout.TotalSeconds:0} s:\n{OutputTail}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>SIGTERM, as systemd stops it; SIGKILL if it has not exited within the timeout.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            if (kill is not null)
            {
                await kill.WaitForExitAsync();
            }
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(20));
        await _samplerStop.CancelAsync();
        try
        {
            await _sampler;
        }
        catch (OperationCanceledException)
        {
        }

        _samplerStop.Dispose();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptLines && _output.TryDequeue(out _))
        {
        }
    }

    private async Task SampleMemoryAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && !_process.HasExited)
        {
            SampleOnce();
            await Task.Delay(50, cancellationToken);
        }
    }

    private void SampleOnce()
    {
        var peak = ReadPeakResidentBytes(_process.Id);
        long seen;
        do
        {
            seen = Interlocked.Read(ref _peakBytes);
        }
        while (peak > seen && Interlocked.CompareExchange(ref _peakBytes, peak, seen) != seen);
    }

    /// <summary>The kB fields of /proc/PID/status (VmRSS, RssAnon, RssFile, VmHWM, ...) in bytes; empty when unreadable.</summary>
    public static IReadOnlyDictionary<string, long> ReadStatus(int pid)
    {
        var fields = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var value = line[(colon + 1)..].Trim();
                if (colon > 0 && value.EndsWith(" kB", StringComparison.Ordinal)
                    && long.TryParse(value[..^3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb))
                {
                    fields[line[..colon]] = kb * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return fields;
    }

    /// <summary>VmHWM ("high water mark" of the resident set) from /proc; 0 when the process is gone.</summary>
    private static long ReadPeakResidentBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 0;
    }
}

public sealed record VerbRun(int ExitCode, TimeSpan Elapsed, long PeakWorkingSetBytes, string Output)
{
    /// <summary>What went wrong, in one line: the first exception line of the output, else its last line.</summary>
    public string Problem
    {
        get
        {
            var lines = Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var exceptions = lines.Where(l => l.Contains("Exception", StringComparison.Ordinal) && !l.StartsWith("at ", StringComparison.Ordinal)).Take(2);
            var summary = string.Join(" ", exceptions);
            return $"exit code {ExitCode}: " + (summary.Length > 0 ? summary : lines.LastOrDefault() ?? "no output");
        }
    }

    /// <summary>The binary does not have this verb yet (its piece has not landed).</summary>
    public bool VerbMissing => ExitCode == 64 && Output.Contains("is not available in this build", StringComparison.Ordinal);
}
