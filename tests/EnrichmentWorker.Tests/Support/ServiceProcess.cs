using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using EnrichmentWorker.Benchmarks.Support;

namespace EnrichmentWorker.Tests.Support;

/// <summary>
/// The real service binary run as a child process, as systemd or a user would run it, for tests that need a whole
/// service (several processes, SIGKILL, SIGTERM, NOTIFY_SOCKET). Output lines are kept for assertions.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseUrl { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyList<string> Output => [.. _output];

    public string OutputText => string.Join('\n', _output);

    /// <summary>
    /// The configuration of a service working against the Discogs simulator on a test database: the test token, and
    /// the budget scaled to the simulator's 1 s window (60 requests a second) so runs are quick. Add to it as needed.
    /// </summary>
    public static Dictionary<string, string?> AgainstSimulator(string connectionString, Uri simulatorUrl) => new()
    {
        ["ConnectionStrings__Postgres"] = connectionString,
        ["Discogs__BaseUrl"] = simulatorUrl.ToString(),
        ["DISCOGS_TOKEN"] = "test-token",
        ["Discogs__Window"] = "00:00:01",
        ["Discogs__RequestsPerMinute"] = "60",
    };

    /// <summary>
    /// Starts <c>EnrichmentWorker [args]</c> with the given configuration (environment variables, e.g.
    /// <c>ConnectionStrings__Postgres</c>) on a free loopback port. Does not wait for readiness.
    /// </summary>
    public static ServiceProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var baseUrl = new Uri($"http://127.0.0.1:{FreePort()}");
        var startInfo = ServiceBinary.StartInfo(environment, baseUrl, args);
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the service.");
        return new ServiceProcess(process, baseUrl);
    }

    /// <summary>Runs a CLI command of the service to completion; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        await using var service = Start(environment, args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await service._process.WaitForExitAsync(timeout.Token);
        service._process.WaitForExit(); // flushes the asynchronous output readers
        return (service._process.ExitCode, service.OutputText);
    }

    /// <summary>Waits until the service answers HTTP (or exits, which fails with its output).</summary>
    public async Task WaitUntilServingAsync(TimeSpan? timeout = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await WaitFor.ConditionAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with code {_process.ExitCode}:\n{OutputText}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl, "/health/live"));
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }, timeout ?? TimeSpan.FromSeconds(60), "the service to answer HTTP");
    }

    /// <summary>SIGTERM, as systemd sends on stop; waits for the process to exit.</summary>
    public async Task TerminateAsync(TimeSpan? timeout = null)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = SysKill(_process.Id, 15);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(cts.Token);
    }

    /// <summary>SIGKILL: the process gets no chance to clean up.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await TerminateAsync(TimeSpan.FromSeconds(20));
            }
            catch (OperationCanceledException)
            {
                Kill();
            }
        }

        _process.Dispose();
    }

    public static int FreePort() => ServiceBinary.FreePort();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}
