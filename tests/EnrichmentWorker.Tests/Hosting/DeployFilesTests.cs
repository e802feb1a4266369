using System.Diagnostics;

namespace EnrichmentWorker.Tests.Hosting;

/// <summary>
/// Checks on the deployment files that run without installing anything: the systemd unit passes
/// <c>systemd-analyze verify</c> and the shell scripts parse. CI has systemd-analyze (deploy/dev/setup.sh --tests
/// installs the systemd package); a machine without it skips that one test.
/// </summary>
public sealed class DeployFilesTests
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EnrichmentWorker.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EnrichmentWorker.sln not found above " + AppContext.BaseDirectory);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }

    private static string? OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists);

    [Test]
    public async Task The_systemd_unit_passes_systemd_analyze_verify_without_a_single_complaint()
    {
        var analyze = OnPath("systemd-analyze");
        if (analyze is null)
        {
            Assert.Ignore("systemd-analyze is not installed (CI installs it: deploy/dev/setup.sh --tests).");
        }

        // verify also checks that ExecStart's binary exists and is executable. The unit names the published
        // /opt/enrichment-worker/EnrichmentWorker, which only an installed machine has, so a copy of the unit (same
        // file name, every other line as shipped) points at the build's own apphost. The user need not exist:
        // verify does not resolve User=.
        var unit = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "deploy", "systemd", "enrichment-worker.service"));
        Assert.That(unit, Does.Contain("ExecStart=/opt/enrichment-worker/EnrichmentWorker run\n"));
        var apphost = Path.Combine(AppContext.BaseDirectory, "EnrichmentWorker");
        var binary = File.Exists(apphost) ? apphost : OnPath("true")!;
        var folder = Directory.CreateTempSubdirectory("ew-unit-");
        try
        {
            var copy = Path.Combine(folder.FullName, "enrichment-worker.service");
            await File.WriteAllTextAsync(copy, unit.Replace("ExecStart=/opt/enrichment-worker/EnrichmentWorker", "ExecStart=" + binary, StringComparison.Ordinal));

            var (exitCode, output) = await RunAsync(analyze, "verify", copy);

            Assert.Multiple(() =>
            {
                Assert.That(exitCode, Is.Zero, output);
                Assert.That(output, Is.Empty, "systemd-analyze warns about unknown keys and bad values without failing");
            });
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [TestCase("deploy/systemd/install.sh")]
    [TestCase("deploy/systemd/uninstall.sh")]
    public async Task The_install_scripts_parse(string script)
    {
        var (exitCode, output) = await RunAsync("bash", "-n", Path.Combine(RepositoryRoot(), script));

        Assert.That(exitCode, Is.Zero, output);
    }
}
