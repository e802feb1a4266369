using System.Diagnostics;
using System.Net;
using EnrichmentWorker.Storage;
using EnrichmentWorker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnrichmentWorker.Tests.Storage;

/// <summary>
/// The embedded PostgreSQL with several real processes: exactly one owns it and stops it on exit, others use it and
/// never stop it, an owner killed with SIGKILL leaves it to the next start, and an owner that exits while another
/// process uses it hands it over.
/// </summary>
[NonParallelizable]
public sealed class EmbeddedPostgresOwnershipTests
{
    private string _dataDirectory = null!;

    private string ClusterDirectory => Path.Combine(_dataDirectory, "postgres");

    private Dictionary<string, string?> Environment => new()
    {
        ["Storage__DataDirectory"] = _dataDirectory,
        ["Discogs__BaseUrl"] = "http://127.0.0.1:9/",
    };

    [SetUp]
    public void CreateDataDirectory() =>
        _dataDirectory = Path.Combine(Path.GetTempPath(), "enrichment-own-" + Guid.NewGuid().ToString("N")[..8]);

    [TearDown]
    public async Task StopWhateverIsLeftAndDelete()
    {
        if (IsClusterRunning())
        {
            // Owning it now (whoever started it is gone) and disposing stops it.
            await (await EmbeddedPostgres.StartAsync(new StorageOptions { DataDirectory = _dataDirectory }, NullLogger.Instance, CancellationToken.None)).DisposeAsync();
        }

        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Test]
    public async Task A_service_killed_with_SIGKILL_leaves_its_database_to_the_next_start_which_owns_it_and_stops_it_on_exit()
    {
        await using (var killed = ServiceProcess.Start(Environment))
        {
            await killed.WaitUntilServingAsync();
            killed.Kill();
            Assert.That(IsClusterRunning(), Is.True, "PostgreSQL outlives a SIGKILL of its owner (else this test proves little)");

            await using var next = ServiceProcess.Start(Environment);
            await next.WaitUntilServingAsync();
            Assert.That(next.OutputText, Does.Contain($"left running by process {killed.ProcessId}"), next.OutputText);
            await next.TerminateAsync();

            Assert.Multiple(() =>
            {
                Assert.That(next.ExitCode, Is.Zero, next.OutputText);
                Assert.That(IsClusterRunning(), Is.False, "the next start stopped the orphan on exit:\n" + next.OutputText);
            });
        }
    }

    [Test]
    public async Task A_service_started_while_a_CLI_command_owned_the_database_keeps_it_when_the_command_exits_and_stops_it_itself()
    {
        Directory.CreateDirectory(_dataDirectory);
        // The import reads a named pipe, so the command holds the database exactly until the test writes the file.
        var pipe = Path.Combine(_dataDirectory, "library.csv");
        using (var mkfifo = Process.Start("mkfifo", [pipe]))
        {
            await mkfifo.WaitForExitAsync();
        }

        await using var command = ServiceProcess.Start(Environment, "import", pipe);
        // A command prints no start-up info lines: the cluster's own postmaster.pid says it is up.
        await WaitFor.ConditionAsync(() => command.HasExited || IsClusterRunning(),
            TimeSpan.FromSeconds(90), "the command to start the database");
        Assert.That(command.HasExited, Is.False, command.OutputText);

        await using var service = ServiceProcess.Start(Environment);
        await service.WaitUntilServingAsync();
        Assert.That(service.OutputText, Does.Contain($"owned by process {command.ProcessId}"), service.OutputText);

        await File.WriteAllTextAsync(pipe, "artist,title\nCan,Tago Mago\n");
        await WaitFor.ConditionAsync(() => command.HasExited, TimeSpan.FromSeconds(60), "the import to finish");
        Assert.That(command.ExitCode, Is.Zero, command.OutputText);

        await WaitFor.ConditionAsync(() => service.OutputText.Contains("owns it now", StringComparison.Ordinal), TimeSpan.FromSeconds(30),
            "the service to own the database");
        using var http = new HttpClient { BaseAddress = service.BaseUrl };
        using (var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative)))
        {
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), await ready.Content.ReadAsStringAsync() + "\n" + service.OutputText);
        }

        Assert.That(IsClusterRunning(), Is.True, "the command left the database running for the service");
        await service.TerminateAsync();
        Assert.That(IsClusterRunning(), Is.False, "the service, its owner now, stopped it on exit:\n" + service.OutputText);
    }

    [Test]
    public async Task A_CLI_command_run_beside_the_service_uses_its_database_and_leaves_it_running()
    {
        await using var service = ServiceProcess.Start(Environment);
        await service.WaitUntilServingAsync();
        var postmasterBefore = File.ReadLines(Path.Combine(ClusterDirectory, "postmaster.pid")).First();

        var (exitCode, output) = await ServiceProcess.RunCommandAsync(Environment, "status");
        var postmasterAfter = File.Exists(Path.Combine(ClusterDirectory, "postmaster.pid")) ? File.ReadLines(Path.Combine(ClusterDirectory, "postmaster.pid")).First() : "none";

        using var http = new HttpClient { BaseAddress = service.BaseUrl };
        using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Contain("Albums: 0"), "the command answered from the service's database");
            Assert.That(postmasterAfter, Is.EqualTo(postmasterBefore), "the same PostgreSQL before and after: the command used it, neither started nor stopped one");
            Assert.That(IsClusterRunning(), Is.True, "the command did not stop the service's database");
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), service.OutputText);
        });
    }

    /// <summary>postmaster.pid names a live process (pg_ctl status refuses to run as root, so it is read directly).</summary>
    private bool IsClusterRunning()
    {
        var pidFile = Path.Combine(ClusterDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return false;
        }

        try
        {
            using var postmaster = Process.GetProcessById(int.Parse(File.ReadLines(pidFile).First(), System.Globalization.CultureInfo.InvariantCulture));
            return !postmaster.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
