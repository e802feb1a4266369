namespace EnrichmentWorker.DiscogsSimulator;

/// <summary>One request the simulator answered. Status 0 means the connection was reset on purpose.</summary>
public sealed record RecordedRequest(
    DateTimeOffset At,
    string Method,
    string PathAndQuery,
    int Status,
    bool Authenticated,
    string? UserAgent);

/// <summary>Every request served, in arrival order, so tests can count requests per album and check pacing.</summary>
public sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _requests.Count;
            }
        }
    }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_gate)
        {
            return [.. _requests];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }

    internal void Add(RecordedRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
        }
    }
}
