using System.Globalization;

namespace EnrichmentWorker.Storage;

/// <summary>
/// Which process owns the embedded cluster, held as operating-system file locks in the data directory so that a
/// process killed with SIGKILL gives up its share at once (the kernel releases the lock; a PID alone could be reused):
/// <list type="bullet">
/// <item><c>postgres.lock</c>, locked exclusively by the one owner for its whole life; it starts (or adopts) the
/// cluster and is the only process that stops it. <c>postgres.owner</c> beside it says which process that is and
/// since when (a separate file because .NET's own reads take a shared lock, which the exclusive one refuses).</item>
/// <item><c>postgres.users</c>, locked shared by every other process using the cluster, so the owner can tell on
/// exit whether anyone still needs it.</item>
/// </list>
/// FileShare.None takes flock(LOCK_EX) on Linux and a sharing lock on Windows; other sharing takes LOCK_SH.
/// </summary>
internal sealed class EmbeddedPostgresOwnership(string dataDirectory, TimeProvider time) : IDisposable
{
    private readonly string _lockPath = Path.Combine(dataDirectory, "postgres.lock");
    private readonly string _ownerPath = Path.Combine(dataDirectory, "postgres.owner");
    private readonly string _usersPath = Path.Combine(dataDirectory, "postgres.users");
    private FileStream? _owner;
    private FileStream? _user;

    public bool IsOwner => _owner is not null;

    /// <summary>
    /// Becomes the owner unless a live process is. <paramref name="previous"/> is what the last owner wrote
    /// ("process 1234, started 2026-12-05T02:00:00Z"), or null when there was none.
    /// </summary>
    public bool TryTakeOwnership(out string? previous)
    {
        previous = null;
        if (_owner is not null)
        {
            return true;
        }

        var stream = TryLock(_lockPath, FileAccess.ReadWrite, FileShare.None);
        if (stream is null)
        {
            return false;
        }

        previous = CurrentOwner();
        File.WriteAllText(_ownerPath, string.Create(CultureInfo.InvariantCulture,
            $"process {Environment.ProcessId}, started {time.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ}\n"));
        _owner = stream;
        return true;
    }

    /// <summary>Who owns the cluster now (or last did), as the owner wrote it; null when there is no such note.</summary>
    public string? CurrentOwner()
    {
        try
        {
            var text = File.ReadAllText(_ownerPath).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Registers this process as a user of the cluster (not the owner).</summary>
    public bool TryJoinAsUser()
    {
        _user ??= TryLock(_usersPath, FileAccess.Read, FileShare.ReadWrite);
        return _user is not null;
    }

    public void LeaveAsUser()
    {
        _user?.Dispose();
        _user = null;
    }

    /// <summary>
    /// For the owner about to stop the cluster: locks every user out and returns the lock to hold while stopping, or
    /// null when another process still uses the cluster.
    /// </summary>
    public IDisposable? TryLockOutUsers()
    {
        LeaveAsUser(); // our own shared lock would conflict with the exclusive one
        return TryLock(_usersPath, FileAccess.ReadWrite, FileShare.None);
    }

    public void ReleaseOwnership()
    {
        _owner?.Dispose();
        _owner = null;
    }

    public void Dispose()
    {
        LeaveAsUser();
        ReleaseOwnership();
    }

    private static FileStream? TryLock(string path, FileAccess access, FileShare share)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, access, share);
        }
        catch (IOException)
        {
            // Held by another process (EWOULDBLOCK on Linux, a sharing violation on Windows).
            return null;
        }
    }
}
