namespace EnrichmentWorker.DiscogsSimulator;

/// <summary>Everything one simulator instance holds: options, catalogue, window, faults and the request log.</summary>
internal sealed class SimulatorState
{
    public const string LoopbackClient = "loopback";

    public SimulatorState(SimulatorOptions options, SimulatorCatalog catalog)
    {
        Options = options;
        Catalog = catalog;
        Time = options.TimeProvider;
        Window = new MovingWindow(Time, options.Window);
        Faults = new FaultPlan(options.HiddenReleaseIds);
        ArtistWorks = BuildArtistWorks(catalog);
    }

    public SimulatorOptions Options { get; }

    public SimulatorCatalog Catalog { get; }

    public TimeProvider Time { get; }

    public MovingWindow Window { get; }

    public FaultPlan Faults { get; }

    public RequestLog Requests { get; } = new();

    /// <summary>What /artists/{id}/releases lists: masters, and releases that have no master.</summary>
    public ILookup<long, (SimMaster? Master, SimRelease? Release)> ArtistWorks { get; }

    private static ILookup<long, (SimMaster?, SimRelease?)> BuildArtistWorks(SimulatorCatalog catalog)
    {
        var masters = catalog.Masters.Values.SelectMany(m => m.Artists.Select(c => (c.Artist.Id, Work: ((SimMaster?)m, (SimRelease?)null))));
        var releases = catalog.Releases.Values
            .Where(r => r.MasterId is null || !catalog.Masters.ContainsKey(r.MasterId.Value))
            .SelectMany(r => r.Artists.Select(c => (c.Artist.Id, Work: ((SimMaster?)null, (SimRelease?)r))));
        return masters.Concat(releases).ToLookup(p => p.Id, p => p.Work);
    }
}
