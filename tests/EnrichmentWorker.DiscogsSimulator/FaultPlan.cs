namespace EnrichmentWorker.DiscogsSimulator;

public enum FaultKind
{
    /// <summary>500 with Discogs' JSON body "Query time exceeded. Please try a simpler query."</summary>
    ServerError,

    /// <summary>The connection is aborted before any response (a TCP reset for the client).</summary>
    ConnectionReset,

    /// <summary>200 with a JSON content type and a body that is not JSON.</summary>
    MalformedJson,

    /// <summary>200 with the real body cut in the middle (a valid prefix of the JSON).</summary>
    TruncatedJson,

    /// <summary>401 with the invalid-token body, whatever token was sent.</summary>
    Unauthorized,

    /// <summary>429 with Retry-After and the real body, whatever the window holds.</summary>
    RateLimited,

    /// <summary>The response is held for a while (SimulatorOptions.FaultLatency or the given delay), then served.</summary>
    Latency,

    /// <summary>502 with nginx's HTML page, as a proxy in front of the API sends it.</summary>
    BadGateway,

    /// <summary>503 with an HTML page.</summary>
    ServiceUnavailable,
}

/// <summary>One planned fault; <see cref="Remaining"/> counts down as requests consume it.</summary>
internal sealed class PlannedFault(FaultKind kind, int remaining, string? pathPrefix, TimeSpan? delay)
{
    public FaultKind Kind { get; } = kind;

    public int Remaining { get; set; } = remaining;

    public string? PathPrefix { get; } = pathPrefix;

    public TimeSpan? Delay { get; } = delay;
}

/// <summary>The fault for one request, as taken from the plan.</summary>
internal readonly record struct TakenFault(FaultKind Kind, TimeSpan? Delay);

/// <summary>
/// Faults to inject, consumed one per matching request in the order added. Thread-safe. Also holds the releases that
/// are hidden at run time (search shows them, /releases/{id} answers 404).
/// </summary>
public sealed class FaultPlan
{
    private readonly Lock _gate = new();
    private readonly List<PlannedFault> _faults = [];
    private readonly HashSet<long> _hidden = [];

    internal FaultPlan(IEnumerable<long> hiddenReleaseIds) => _hidden.UnionWith(hiddenReleaseIds);

    /// <summary>Plans <paramref name="count"/> faults for the next requests whose path starts with the prefix (any path when null).</summary>
    public void Add(FaultKind kind, int count = 1, string? pathPrefix = null) => AddCore(kind, count, pathPrefix, null);

    /// <summary>Plans latency faults with an explicit delay.</summary>
    public void AddLatency(TimeSpan delay, int count = 1, string? pathPrefix = null) =>
        AddCore(FaultKind.Latency, count, pathPrefix, delay);

    /// <summary>Faults not yet consumed.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _faults.Sum(f => f.Remaining);
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    /// <summary>From now on search still returns the release, but /releases/{id} answers 404.</summary>
    public void HideRelease(long releaseId)
    {
        lock (_gate)
        {
            _hidden.Add(releaseId);
        }
    }

    public bool IsHidden(long releaseId)
    {
        lock (_gate)
        {
            return _hidden.Contains(releaseId);
        }
    }

    internal TakenFault? TakeFor(string path)
    {
        lock (_gate)
        {
            var fault = _faults.FirstOrDefault(f =>
                f.PathPrefix is null || path.StartsWith(f.PathPrefix, StringComparison.OrdinalIgnoreCase));
            if (fault is null)
            {
                return null;
            }

            fault.Remaining--;
            if (fault.Remaining <= 0)
            {
                _faults.Remove(fault);
            }

            return new TakenFault(fault.Kind, fault.Delay);
        }
    }

    private void AddCore(FaultKind kind, int count, string? pathPrefix, TimeSpan? delay)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            _faults.Add(new PlannedFault(kind, count, pathPrefix, delay));
        }
    }
}
