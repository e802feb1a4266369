using System.Diagnostics;
using Npgsql;

namespace EnrichmentWorker.Storage;

/// <summary>
/// A private PostgreSQL cluster run from the machine's PostgreSQL binaries, so the service works with no database
/// configured. It listens on a Unix socket inside its own folder (127.0.0.1 on Windows) and nothing else. initdb
/// refuses to run as root, so as root every PostgreSQL binary runs as an unprivileged user through runuser.
/// </summary>
/// <remarks>
/// Exactly one process owns the cluster (<see cref="EmbeddedPostgresOwnership"/>): it starts it, or adopts one left
/// running by an owner that was killed, and stops it when it exits. Every other process (a CLI command beside the
/// service, a second service) uses it without ever stopping it. An owner that exits while others still use the
/// cluster leaves it running and the first of them to notice (within a second) becomes the owner, so a service
/// started while a CLI command held the cluster keeps its database when the command ends.
/// </remarks>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private const string SuperUser = "enrichment";
    private const int Port = 5432;
    private readonly string _binDirectory;
    private readonly string _clusterDirectory;
    private readonly string? _runAsUser;
    private static readonly TimeSpan OwnerCheckInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan OwnerStartPatience = TimeSpan.FromSeconds(90);
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly EmbeddedPostgresOwnership _ownership;
    private readonly CancellationTokenSource _stopWatching = new();
    private Task _watchingForOwnership = Task.CompletedTask;
    private bool _disposed;

    private EmbeddedPostgres(string binDirectory, string clusterDirectory, string? runAsUser, string databaseName, ILogger logger, TimeProvider time)
    {
        _binDirectory = binDirectory;
        _clusterDirectory = clusterDirectory;
        _runAsUser = runAsUser;
        _logger = logger;
        _time = time;
        _ownership = new EmbeddedPostgresOwnership(Path.GetDirectoryName(clusterDirectory)!, time);
        DatabaseName = databaseName;
    }

    /// <summary>Whether this process owns the cluster now (and so stops it on exit unless others still use it).</summary>
    public bool IsOwner => _ownership.IsOwner;

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

    /// <summary>
    /// Owns the cluster (initialising it on first use, starting it, or adopting one an earlier owner left running) or,
    /// when a live process owns it, waits until it answers and uses it; then creates the database.
    /// </summary>
    public static async Task<EmbeddedPostgres> StartAsync(StorageOptions options, ILogger logger, CancellationToken cancellationToken,
        TimeProvider? time = null)
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

        Directory.CreateDirectory(Path.GetDirectoryName(clusterDirectory)!);
        var postgres = new EmbeddedPostgres(binDirectory, clusterDirectory, runAsUser, options.DatabaseName, logger, time ?? TimeProvider.System);
        try
        {
            await postgres.AttachAsync(cancellationToken);
        }
        catch
        {
            postgres._ownership.Dispose();
            throw;
        }

        if (!postgres.IsOwner)
        {
            postgres._watchingForOwnership = postgres.WatchForOwnershipAsync(postgres._stopWatching.Token);
        }

        return postgres;
    }

    private async Task AttachAsync(CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + OwnerStartPatience;
        while (true)
        {
            if (_ownership.TryTakeOwnership(out var previous))
            {
                await InitialiseAsync(cancellationToken);
                await StartOrAdoptAsync(previous, cancellationToken);
                await CreateDatabaseAsync(cancellationToken);
                return;
            }

            // Another live process owns the cluster; it may still be creating or starting it.
            if (_ownership.TryJoinAsUser() && await IsRunningAsync(cancellationToken))
            {
                try
                {
                    await CreateDatabaseAsync(cancellationToken);
                    _logger.LogInformation("Using the embedded PostgreSQL in {Directory}, owned by {Owner}; it stays running when this process exits",
                        _clusterDirectory, _ownership.CurrentOwner() ?? "another process");
                    return;
                }
                catch (NpgsqlException) when (_time.GetUtcNow() < deadline)
                {
                    // Still starting up ("the database system is starting up"): ask again shortly.
                }
            }

            if (_time.GetUtcNow() >= deadline)
            {
                throw new EmbeddedPostgresException(
                    $"The embedded PostgreSQL in {_clusterDirectory} is owned by {_ownership.CurrentOwner() ?? "another process"} but did not answer within {OwnerStartPatience.TotalSeconds:0} s; see {Path.Combine(_clusterDirectory, "postgres.log")}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), _time, cancellationToken);
        }
    }

    private async Task StartOrAdoptAsync(string? previousOwner, CancellationToken cancellationToken)
    {
        if (await IsRunningAsync(cancellationToken))
        {
            // Whoever started it holds no lock any more: it was killed (or crashed) and cannot stop it; this process does.
            _logger.LogWarning("The embedded PostgreSQL in {Directory} was left running by {Owner}, which has ended; this process owns it now and stops it on exit",
                _clusterDirectory, previousOwner ?? "a process");
            return;
        }

        await StartClusterAsync(cancellationToken);
    }

    /// <summary>For a process that only uses the cluster: takes it over once its owner has exited and left it running.</summary>
    private async Task WatchForOwnershipAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(OwnerCheckInterval, _time);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (!_ownership.TryTakeOwnership(out var previous))
                {
                    continue;
                }

                _ownership.LeaveAsUser();
                if (await IsRunningAsync(cancellationToken))
                {
                    _logger.LogInformation("{Owner} owned the embedded PostgreSQL and has exited; this process owns it now and stops it on exit",
                        previous ?? "The process that");
                }
                else
                {
                    // Its owner stopped it (a race with this process joining, or a person's pg_ctl); the service needs it.
                    _logger.LogWarning("The embedded PostgreSQL was stopped by its owner; starting it again");
                    await StartClusterAsync(cancellationToken);
                }

                return;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // This process is exiting.
        }
        catch (EmbeddedPostgresException ex)
        {
            _logger.LogError("Could not start the embedded PostgreSQL again: {Reason}", ex.Message);
        }
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
        var serverOptions = OperatingSystem.IsWindows()
            ? $"-c listen_addresses=127.0.0.1 -p {Port}"
            : $"-c listen_addresses= -k {_clusterDirectory} -c unix_socket_permissions=0700 -p {Port}";
        await RunPostgresToolAsync("pg_ctl",
            ["-D", _clusterDirectory, "-l", Path.Combine(_clusterDirectory, "postgres.log"), "-w", "-t", "60",
             "-o", serverOptions + " -c max_connections=200 -c fsync=on", "start"],
            cancellationToken);
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
            try
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Another process starting at the same moment created it first.
            }
        }
    }

    /// <summary>
    /// Stops the cluster if this process owns it and no other process uses it; otherwise leaves it running for them
    /// (the first of them to notice becomes its owner).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stopWatching.CancelAsync();
        await _watchingForOwnership;
        _stopWatching.Dispose();
        try
        {
            // A user that finds the owner gone (it exited while this process was leaving) stops what nobody needs.
            if (!_ownership.IsOwner && (!_ownership.TryTakeOwnership(out _) || !await IsRunningAsync(CancellationToken.None)))
            {
                return;
            }

            using var noUsers = _ownership.TryLockOutUsers();
            if (noUsers is null)
            {
                _logger.LogInformation("Left the embedded PostgreSQL running for the other processes using it; the first of them to notice owns it now");
                return;
            }

            await RunPostgresToolAsync("pg_ctl", ["-D", _clusterDirectory, "-m", "fast", "-w", "stop"], CancellationToken.None);
            _logger.LogInformation("Stopped the embedded PostgreSQL");
        }
        catch (EmbeddedPostgresException ex)
        {
            _logger.LogWarning("Could not stop the embedded PostgreSQL: {Reason}", ex.Message);
        }
        finally
        {
            _ownership.Dispose();
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
