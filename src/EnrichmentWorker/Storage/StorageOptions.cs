namespace EnrichmentWorker.Storage;

/// <summary>Where the service keeps its own files, and which PostgreSQL binaries the embedded default uses.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// The service's data directory. The embedded PostgreSQL cluster lives in its <c>postgres</c> folder.
    /// Default: the user's local data folder (<c>~/.local/share/EnrichmentWorker</c>), or
    /// <c>/var/lib/enrichment-worker</c> when running as root, because the unprivileged user that must own the
    /// cluster cannot enter <c>/root</c>.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>Folder holding <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>; found automatically when empty.</summary>
    public string? PostgresBinDirectory { get; set; }

    /// <summary>Database created inside the embedded cluster.</summary>
    public string DatabaseName { get; set; } = "enrichment";

    /// <summary>The unprivileged OS user that owns the embedded cluster when the service runs as root.</summary>
    public string PostgresOsUser { get; set; } = "postgres";

    public string ResolveDataDirectory()
    {
        if (!string.IsNullOrWhiteSpace(DataDirectory))
        {
            return Path.GetFullPath(DataDirectory);
        }

        if (!OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess)
        {
            return "/var/lib/enrichment-worker";
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "EnrichmentWorker");
    }
}
