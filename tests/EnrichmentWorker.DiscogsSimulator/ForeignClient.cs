namespace EnrichmentWorker.DiscogsSimulator;

/// <summary>
/// What another program on the same IP sends (a tagger, an older pipeline, a second machine behind the same router):
/// a steady share of the limit, spread evenly, and/or bursts of several requests at once at a fixed period.
/// </summary>
/// <param name="Share">The share of the limit sent steadily, 0 to 1 (0.1: 6 of 60 requests a window).</param>
/// <param name="BurstSize">Requests sent at once in each burst (0: no bursts).</param>
/// <param name="BurstEvery">The time between bursts; the first comes after this long.</param>
public sealed record ForeignTraffic(double Share = 0, int BurstSize = 0, TimeSpan BurstEvery = default)
{
    public override string ToString() =>
        (Share > 0 ? $"{Share:P0} of the limit steadily" : string.Empty)
        + (Share > 0 && BurstSize > 0 ? " and " : string.Empty)
        + (BurstSize > 0 ? $"bursts of {BurstSize} every {BurstEvery.TotalSeconds:0.#} s" : string.Empty);
}

/// <summary>
/// A running foreign client: its requests count in the loopback client's moving window like the service's own (the
/// simulator serves them no response: only Discogs' count of them matters), and are logged here so that a test can
/// tell how much of the limit was left for the service.
/// </summary>
public sealed class ForeignClient : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<DateTimeOffset> _sent = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _disposed;

    internal ForeignClient(SimulatorState state, ForeignTraffic traffic)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(traffic.Share);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(traffic.Share, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegative(traffic.BurstSize);
        if (traffic.BurstSize > 0 && traffic.BurstEvery <= TimeSpan.Zero)
        {
            throw new ArgumentException("Bursts need a positive BurstEvery.", nameof(traffic));
        }

        Traffic = traffic;
        _loop = RunAsync(state, traffic, _stop.Token);
    }

    public ForeignTraffic Traffic { get; }

    /// <summary>When each foreign request was counted, oldest first.</summary>
    public IReadOnlyList<DateTimeOffset> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    private async Task RunAsync(SimulatorState state, ForeignTraffic traffic, CancellationToken cancellationToken)
    {
        var time = state.Time;
        var start = time.GetUtcNow();
        var steadyInterval = traffic.Share > 0 ? state.Options.Window / (traffic.Share * state.Options.RequestsPerWindow) : TimeSpan.MaxValue;
        var nextSteady = traffic.Share > 0 ? start : DateTimeOffset.MaxValue;
        var nextBurst = traffic.BurstSize > 0 ? start + traffic.BurstEvery : DateTimeOffset.MaxValue;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var next = nextSteady < nextBurst ? nextSteady : nextBurst;
                var wait = next - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken);
                }

                var now = time.GetUtcNow();
                var requests = 0;
                if (now >= nextSteady)
                {
                    requests++;
                    nextSteady += steadyInterval;
                }

                if (now >= nextBurst)
                {
                    requests += traffic.BurstSize;
                    nextBurst += traffic.BurstEvery;
                }

                if (requests > 0)
                {
                    state.Window.Add(SimulatorState.LoopbackClient, requests);
                    lock (_gate)
                    {
                        _sent.AddRange(Enumerable.Repeat(now, requests));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
