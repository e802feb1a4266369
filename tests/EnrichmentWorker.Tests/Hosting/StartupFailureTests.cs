using System.Net;
using System.Net.Sockets;
using EnrichmentWorker.Hosting;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Hosting;

/// <summary>The real binary failing to start: one line a person can act on and exit code 78, never a crash dump.</summary>
public sealed class StartupFailureTests
{
    [Test]
    public async Task A_port_already_in_use_prints_one_line_naming_the_address_and_exits_78()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var (exitCode, output) = await ServiceProcess.RunCommandAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = db.ConnectionString,
            ["Urls"] = $"http://127.0.0.1:{port}",
        });

        var errorLines = output.Split('\n').Where(l => l.Contains("cannot start", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ServiceRunner.ExitStartupFailed), output);
            Assert.That(errorLines, Has.Count.EqualTo(1), output);
            Assert.That(errorLines.FirstOrDefault(), Does.Contain($"127.0.0.1:{port}").And.Contain("in use"), output);
            Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
        });
    }
}
