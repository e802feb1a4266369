using System.Diagnostics;
using EnrichmentWorker.Dashboard;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Dashboard;

/// <summary>The hash-password command, run as a user runs it: the real binary, the secret piped into standard input.</summary>
public sealed class HashPasswordVerbTests
{
    [Test]
    public async Task Hash_password_needs_no_database_and_prints_a_hash_that_verifies()
    {
        // A port nobody listens on: any attempt to open the database would fail the command.
        var unreachable = $"Host=127.0.0.1;Port={ServiceProcess.FreePort()};Username=nobody;Password=db-secret;Timeout=2";

        var (exitCode, stdout, stderr) = await RunAsync("hash-password", "a laptop password\n", unreachable);

        var hash = stdout.Trim();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, stderr);
            Assert.That(hash, Does.StartWith("pbkdf2-sha256$").And.Not.Contain("\n"), "standard output is the hash alone, ready to paste");
            Assert.That(PasswordHash.Verify("a laptop password", hash), Is.True);
            Assert.That(PasswordHash.Verify("another password", hash), Is.False);
            Assert.That(stdout + stderr, Does.Not.Contain("a laptop password").And.Not.Contain("db-secret"));
        });
    }

    [Test]
    public async Task Hash_password_with_nothing_on_standard_input_is_a_usage_error()
    {
        var unreachable = $"Host=127.0.0.1;Port={ServiceProcess.FreePort()};Timeout=2";

        var (exitCode, stdout, stderr) = await RunAsync("hash-password", "", unreachable);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(64));
            Assert.That(stdout, Is.Empty);
            Assert.That(stderr, Does.Contain("Nothing was read from standard input"));
        });
    }

    /// <summary>ServiceProcess gives no standard input; this command is about standard input, so it starts its own.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string verb, string stdin, string connectionString)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EnrichmentWorker.dll"));
        startInfo.ArgumentList.Add(verb);
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Production";
        startInfo.Environment["ConnectionStrings__Postgres"] = connectionString;
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the service binary.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
