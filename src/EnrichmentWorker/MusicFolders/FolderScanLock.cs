using Dapper;
using Npgsql;

namespace EnrichmentWorker.MusicFolders;

/// <summary>
/// One scan of a root at a time across every process on the database: a PostgreSQL session advisory lock on the root,
/// held on a connection of its own for the whole scan (its session ending, a crash included, releases it). A scan waits
/// for one running elsewhere rather than skipping its turn, since what changed during that scan may not be in it.
/// Hangfire's DisableConcurrentExecution would not do: it guards only the recurring job, not the watcher's and the
/// start-up scans, and Hangfire.PostgreSql lets a waiter take over a lock older than DistributedLockTimeout (1 min here,
/// HangfireStorageSetup), which a cold scan of a large library outlasts.
/// </summary>
public sealed class FolderScanLock(NpgsqlDataSource dataSource)
{
    // The first key of the two-key advisory lock, naming this use; the second is the root's hash. Two roots whose
    // hashes collide only wait for each other.
    private const int LockClass = 0x6d66; // "mf"

    private const string Lock = "SELECT pg_advisory_lock(@lockClass, hashtext(@source))";

    private const string Unlock = "SELECT pg_advisory_unlock(@lockClass, hashtext(@source))";

    /// <summary>Waits until no other scan holds <paramref name="source"/>, then holds it until disposed.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(string source, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            // No command timeout: the wait lasts as long as the other scan, which may be minutes.
            await connection.ExecuteAsync(new CommandDefinition(Lock, new { lockClass = LockClass, source }, commandTimeout: 0, cancellationToken: cancellationToken));
            return new Held(connection, source);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class Held(NpgsqlConnection connection, string source) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(Unlock, new { lockClass = LockClass, source }, cancellationToken: CancellationToken.None));
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
