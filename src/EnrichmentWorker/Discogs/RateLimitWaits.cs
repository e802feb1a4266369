namespace EnrichmentWorker.Discogs;

/// <summary>
/// The 429s a piece of work (one album's job) waited out, for its history. The job opens a scope; Discogs calls made
/// inside it, on any await, report to it. One instance per process, the scope flows with the job's execution context.
/// </summary>
public sealed class RateLimitWaits
{
    private readonly AsyncLocal<List<DateTimeOffset>?> _current = new();

    /// <summary>Collects the "rate limited until" times of the calls made until the returned scope is disposed.</summary>
    public Scope Begin()
    {
        var waits = new List<DateTimeOffset>();
        _current.Value = waits;
        return new Scope(this, waits);
    }

    internal void Record(DateTimeOffset until)
    {
        if (_current.Value is { } waits)
        {
            lock (waits)
            {
                waits.Add(until);
            }
        }
    }

    public sealed class Scope(RateLimitWaits owner, List<DateTimeOffset> waits) : IDisposable
    {
        public IReadOnlyList<DateTimeOffset> Until
        {
            get
            {
                lock (waits)
                {
                    return [.. waits];
                }
            }
        }

        public void Dispose() => owner._current.Value = null;
    }
}
