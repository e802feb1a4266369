namespace EnrichmentWorker.Storage;

/// <summary>Finds the PostgreSQL server binaries the embedded default needs.</summary>
public static class PostgresBinaries
{
    public static string Find(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return HasServer(configured)
                ? configured
                : throw new EmbeddedPostgresException(
                    $"Storage:PostgresBinDirectory is '{configured}', but initdb and pg_ctl are not there.");
        }

        foreach (var candidate in Candidates())
        {
            if (HasServer(candidate))
            {
                return candidate;
            }
        }

        throw new EmbeddedPostgresException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found: install them (Debian/Ubuntu: `apt-get install -y postgresql`) " +
            "or set ConnectionStrings:Postgres to use an existing server.");
    }

    private static IEnumerable<string> Candidates()
    {
        // Debian and Ubuntu install each major version side by side; the newest wins.
        foreach (var root in new[] { "/usr/lib/postgresql", "/usr/local/pgsql", @"C:\Program Files\PostgreSQL" })
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            var versions = Directory.GetDirectories(root)
                .Select(d => (Dir: d, Major: int.TryParse(Path.GetFileName(d).Split('.')[0], out var v) ? v : -1))
                .OrderByDescending(d => d.Major);
            foreach (var version in versions)
            {
                yield return Path.Combine(version.Dir, "bin");
            }

            yield return Path.Combine(root, "bin");
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return dir;
        }
    }

    private static bool HasServer(string directory)
    {
        var suffix = OperatingSystem.IsWindows() ? ".exe" : "";
        return File.Exists(Path.Combine(directory, "initdb" + suffix)) && File.Exists(Path.Combine(directory, "pg_ctl" + suffix));
    }
}
