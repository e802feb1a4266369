namespace EnrichmentWorker.DiscogsSimulator;

/// <summary>
/// Discogs' rate window: per client IP, the requests of the last <c>window</c>, refused ones included. The recorded
/// headers show Used rising past the limit on 429s and then falling a few per second, so it is a moving window of
/// timestamps, not a fixed minute and not a token bucket.
/// </summary>
internal sealed class MovingWindow(TimeProvider time, TimeSpan window)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _byClient = new(StringComparer.Ordinal);

    /// <summary>Counts one request now and returns how many the window holds, this one included.</summary>
    public int Hit(string client) => Add(client, 1);

    /// <summary>Counts <paramref name="requests"/> requests now (another program on the same IP).</summary>
    public int Add(string client, int requests)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var queue = Prune(client, now);
            for (var i = 0; i < requests; i++)
            {
                queue.Enqueue(now);
            }

            return queue.Count;
        }
    }

    /// <summary>How many requests the window holds now, without counting one.</summary>
    public int Used(string client)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return Prune(client, now).Count;
        }
    }

    private Queue<DateTimeOffset> Prune(string client, DateTimeOffset now)
    {
        if (!_byClient.TryGetValue(client, out var queue))
        {
            queue = new Queue<DateTimeOffset>();
            _byClient[client] = queue;
        }

        while (queue.Count > 0 && queue.Peek() <= now - window)
        {
            queue.Dequeue();
        }

        return queue;
    }
}
