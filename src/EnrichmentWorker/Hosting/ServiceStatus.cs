namespace EnrichmentWorker.Hosting;

/// <summary>
/// One line saying what the service is doing ("Enriching: 120/3788 done, 2 failed, ETA 54 min"), set by whichever
/// component knows (the queue) and shown by the service manager (systemd's STATUS=, <c>systemctl status</c>).
/// A singleton, not a static, so tests and several hosts in one process keep their own.
/// </summary>
public sealed class ServiceStatus
{
    private readonly Lock _gate = new();
    private string _current = "Starting";

    /// <summary>Raised after every change, with the new text, on the caller's thread.</summary>
    public event Action<string>? Changed;

    public string Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Replaces the line. Newlines would split systemd's notify message, so they become spaces.</summary>
    public void Set(string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var line = status.ReplaceLineEndings(" ").Trim();
        lock (_gate)
        {
            if (line == _current)
            {
                return;
            }

            _current = line;
        }

        Changed?.Invoke(line);
    }
}
