using Dapper;
using EnrichmentWorker.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EnrichmentWorker.Benchmarks.Support;

/// <summary>
/// A private PostgreSQL cluster for one harness run, started by the service's own embedded launcher in a temporary
/// folder and removed afterwards. Each scenario gets a fresh database of its own.
/// </summary>
public sealed class BenchPostgres : IAsyncDisposable
{
    private readonly EmbeddedPostgres _cluster;
    private readonly string _folder;

    private BenchPostgres(EmbeddedPostgres cluster, string folder)
    {
        _cluster = cluster;
        _folder = folder;
        ServerConnectionString = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = "postgres" }.ConnectionString;
    }

    public string ServerConnectionString { get; }

    /// <summary>
    /// Proportional resident memory (Pss, shared buffers split among the processes mapping them) of the postmaster and
    /// its backends, from /proc; 0 when unreadable. What the database adds to a service's memory when it is embedded.
    /// </summary>
    public long ProportionalResidentBytes()
    {
        try
        {
            var postmaster = int.Parse(File.ReadLines(Path.Combine(_folder, "postgres", "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
            var processes = Directory.EnumerateDirectories("/proc")
                .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
                .Where(pid => pid == postmaster || (pid > 0 && ParentOf(pid) == postmaster));
            return processes.Sum(pid => ReadKb($"/proc/{pid}/smaps_rollup", "Pss:") * 1024);
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static int ParentOf(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so count from the closing parenthesis.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long ReadKb(string path, string field)
    {
        try
        {
            var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public static async Task<BenchPostgres> StartAsync(CancellationToken cancellationToken)
    {
        // Short and under /tmp: the socket path must fit in 107 bytes, and as root the postgres user must enter it.
        var folder = Path.Combine(Path.GetTempPath(), "ewbench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var cluster = await EmbeddedPostgres.StartAsync(
            new StorageOptions { DataDirectory = folder, DatabaseName = "postgres" }, NullLogger.Instance, cancellationToken);
        return new BenchPostgres(cluster, folder);
    }

    public async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string>("SHOW server_version") ?? "?";
    }

    /// <summary>An empty database; the service migrates it when it starts.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync(cancellationToken);
        // The name is the harness's own constant, never input: identifiers cannot be parameters.
        await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        await connection.ExecuteAsync($"CREATE DATABASE {name}");
        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, MaxPoolSize = 20 }.ConnectionString;
    }

    public async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _cluster.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the figures are what matter.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
