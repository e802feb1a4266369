using System.Diagnostics;
using Npgsql;

namespace EnrichmentWorker.Storage;

/// <summary>
/// A private PostgreSQL cluster run from the machine's PostgreSQL binaries, so the service works with no database
/// configured. It listens on a Unix socket inside its own folder (127.0.0.1 on Windows) and nothing else, and is
/// stopped again by whoever started it. initdb refuses to run as root, so as root every PostgreSQL binary runs as
/// an unprivileged user through runuser.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private const string SuperUser = "enrichment";
    private const int Port = 5432;
    private readonly string _binDirectory;
    private readonly string _clusterDirectory;
    private readonly string? _runAsUser;
    private readonly ILogger _logger;
    private bool _startedHere;

    private EmbeddedPostgres(string binDirectory, string clusterDirectory, string? runAsUser, string databaseName, ILogger logger)
    {
        _binDirectory = binDirectory;
        _clusterDirectory = clusterDirectory;
        _runAsUser = runAsUser;
        _logger = logger;
        DatabaseName = databaseName;
    }

    public string DatabaseName { get; }

    public string ClusterDirectory => _clusterDirectory;

    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = OperatingSystem.IsWindows() ? "127.0.0.1" : _clusterDirectory,
        Port = Port,
        Username = SuperUser,
        Database = DatabaseName,
        // The embedded cluster is small; a bounded pool keeps it far below max_connections with several processes.
        MaxPoolSize = 40,
    }.ConnectionString;

    /// <summary>Initialises the cluster on first use, starts it unless it already runs, and creates the database.</summary>
    public static async Task<EmbeddedPostgres> StartAsync(StorageOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var binDirectory = PostgresBinaries.Find(options.PostgresBinDirectory);
        var clusterDirectory = Path.Combine(options.ResolveDataDirectory(), "postgres");
        string? runAsUser = !OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess ? options.PostgresOsUser : null;

        // The socket path (<dir>/.s.PGSQL.5432) must fit in sun_path (107 bytes on Linux).
        if (!OperatingSystem.IsWindows() && clusterDirectory.Length > 90)
        {
            throw new EmbeddedPostgresException(
                $"The data directory '{clusterDirectory}' is too long for a PostgreSQL socket path; set Storage:DataDirectory to a shorter path.");
        }

        var postgres = new EmbeddedPostgres(binDirectory, clusterDirectory, runAsUser, options.DatabaseName, logger);
        await postgres.InitialiseAsync(cancellationToken);
        await postgres.StartClusterAsync(cancellationToken);
        await postgres.CreateDatabaseAsync(cancellationToken);
        return postgres;
    }

    private async Task InitialiseAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(_clusterDirectory, "PG_VERSION")))
        {
            return;
        }

        Directory.CreateDirectory(_clusterDirectory);
        if (_runAsUser is not null)
        {
            await RunAsync("chown", [$"{_runAsUser}:", _clusterDirectory], "give the cluster folder to " + _runAsUser, cancellationToken);
            // Every parent folder must be enterable by that user, or initdb fails with a confusing permission error.
            await RunAsync("runuser", ["-u", _runAsUser, "--", "test", "-w", _clusterDirectory],
                $"check that the user '{_runAsUser}' can write '{_clusterDirectory}' (its parent folders must be enterable by that user; set Storage:DataDirectory elsewhere)",
                cancellationToken);
        }

        _logger.LogInformation("Creating the embedded PostgreSQL cluster in {Directory}", _clusterDirectory);
        await RunPostgresToolAsync("initdb",
            ["-D", _clusterDirectory, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"],
            cancellationToken);
    }

    private async Task StartClusterAsync(CancellationToken cancellationToken)
    {
        if (await IsRunningAsync(cancellationToken))
        {
            _logger.LogInformation("The embedded PostgreSQL in {Directory} is already running; using it", _clusterDirectory);
            return;
        }

        var serverOptions = OperatingSystem.IsWindows()
            ? $"-c listen_addresses=127.0.0.1 -p {Port}"
            : $"-c listen_addresses= -k {_clusterDirectory} -c unix_socket_permissions=0700 -p {Port}";
        await RunPostgresToolAsync("pg_ctl",
            ["-D", _clusterDirectory, "-l", Path.Combine(_clusterDirectory, "postgres.log"), "-w", "-t", "60",
             "-o", serverOptions + " -c max_connections=200 -c fsync=on", "start"],
            cancellationToken);
        _startedHere = true;
        _logger.LogInformation("Started the embedded PostgreSQL in {Directory}", _clusterDirectory);
    }

    private async Task<bool> IsRunningAsync(CancellationToken cancellationToken)
    {
        var result = await ExecuteAsync(ToolCommand("pg_ctl", ["-D", _clusterDirectory, "status"]), cancellationToken);
        return result.ExitCode == 0;
    }

    private async Task CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.AddWithValue(DatabaseName);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            // CREATE DATABASE takes no parameters; the name is quoted as an identifier, never spliced raw.
            await using var create = new NpgsqlCommand($"CREATE DATABASE {QuoteIdentifier(DatabaseName)}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_startedHere)
        {
            return;
        }

        _startedHere = false;
        try
        {
            await RunPostgresToolAsync("pg_ctl", ["-D", _clusterDirectory, "-m", "fast", "-w", "stop"], CancellationToken.None);
            _logger.LogInformation("Stopped the embedded PostgreSQL");
        }
        catch (EmbeddedPostgresException ex)
        {
            _logger.LogWarning("Could not stop the embedded PostgreSQL: {Reason}", ex.Message);
        }
    }

    internal static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private Task RunPostgresToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var (file, args) = ToolCommand(tool, arguments);
        return RunAsync(file, args, tool, cancellationToken);
    }

    private (string File, IReadOnlyList<string> Arguments) ToolCommand(string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_binDirectory, OperatingSystem.IsWindows() ? tool + ".exe" : tool);
        return _runAsUser is null ? (path, arguments) : ("runuser", ["-u", _runAsUser, "--", path, .. arguments]);
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, string what, CancellationToken cancellationToken)
    {
        var result = await ExecuteAsync((file, arguments), cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new EmbeddedPostgresException($"Could not {what} (exit code {result.ExitCode}): {result.Output.Trim()}");
        }
    }

    private static async Task<(int ExitCode, string Output)> ExecuteAsync((string File, IReadOnlyList<string> Arguments) command, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(command.File)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // A cluster started from a folder the postgres user cannot read would fail on getcwd.
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in command.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new EmbeddedPostgresException($"Could not start {command.File}.");
        // pg_ctl start leaves the server holding stdout open; read to end would wait for the server, so take what came.
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(TimeSpan.FromSeconds(2), cancellationToken)) is Task<string[]> both
            ? string.Join('\n', both.Result)
            : string.Empty;
        return (process.ExitCode, output);
    }
}

/// <summary>The embedded PostgreSQL could not be created, started or stopped; the message says what to do.</summary>
public sealed class EmbeddedPostgresException(string message) : Exception(message);
