using System.Diagnostics;

namespace EnrichmentWorker.Tests.MusicFolders;

/// <summary>The systemd drop-in that gives the service its music folders read-only.</summary>
public sealed class MusicFolderUnitTests
{
    [Test]
    public async Task The_unit_with_the_music_folder_drop_in_passes_systemd_analyze_verify_and_binds_the_folders_read_only()
    {
        var analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        if (analyze is null)
        {
            Assert.Ignore("systemd-analyze is not installed (CI installs it: deploy/dev/setup.sh --tests).");
        }

        var repository = RepositoryRoot();
        var folder = Directory.CreateTempSubdirectory("ew-music-unit-");
        try
        {
            var (scriptExit, dropIn, scriptError) = await RunAsync(Path.Combine(repository, "deploy/systemd/music-folders.sh"), "/srv/music", "/home/me/Music/");
            var unit = await File.ReadAllTextAsync(Path.Combine(repository, "deploy/systemd/enrichment-worker.service"));
            var apphost = Path.Combine(AppContext.BaseDirectory, "EnrichmentWorker");
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "enrichment-worker.service"),
                unit.Replace("ExecStart=/opt/enrichment-worker/EnrichmentWorker", "ExecStart=" + (File.Exists(apphost) ? apphost : "/bin/true"), StringComparison.Ordinal));
            Directory.CreateDirectory(Path.Combine(folder.FullName, "enrichment-worker.service.d"));
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "enrichment-worker.service.d", "music-folders.conf"), dropIn);

            var (verifyExit, verifyOutput, verifyError) = await RunAsync(analyze, "verify", Path.Combine(folder.FullName, "enrichment-worker.service"));
            var (spacesExit, _, spacesError) = await RunAsync(Path.Combine(repository, "deploy/systemd/music-folders.sh"), "/home/me/My Music");

            Assert.That(scriptExit, Is.Zero, scriptError);
            Assert.That(dropIn, Does.Contain("Environment=\"Library__Folders__0=/srv/music\"\nEnvironment=\"Library__Folders__1=/home/me/Music\"\n"));
            Assert.That(dropIn, Does.Contain("BindReadOnlyPaths=-/srv/music\nBindReadOnlyPaths=-/home/me/Music\n").And.Contain("ProtectHome=tmpfs"));
            Assert.That(dropIn, Does.Not.Contain("ReadWritePaths"));
            Assert.That(unit, Does.Contain("ProtectSystem=strict"), "everything outside the service's state is read-only");
            Assert.That(verifyExit, Is.Zero, verifyOutput + verifyError);
            Assert.That(verifyOutput + verifyError, Is.Empty);
            Assert.That(spacesExit, Is.EqualTo(64));
            Assert.That(spacesError, Does.Contain("bind-mount it to a plain path"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EnrichmentWorker.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("No EnrichmentWorker.sln above " + AppContext.BaseDirectory);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
