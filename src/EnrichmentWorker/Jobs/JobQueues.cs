namespace EnrichmentWorker.Jobs;

/// <summary>
/// Hangfire's queues. The recurring chores (folder rescan, re-check of misses, history pruning, the dump folder check)
/// have a queue of their own, listed first: with 100,000 albums waiting in the album queue they would otherwise wait
/// behind all of them. Hangfire.PostgreSql serves a server's queues in alphabetical order of their names, not in the
/// order listed, so the chores' queue name must sort before the albums'. The figures the Discogs dumps lack (community
/// and marketplace, images) are fetched in a queue that sorts after the albums': a worker takes one only when no album
/// waits, so those requests never hold an album back.
/// </summary>
public static class JobQueues
{
    public const string Chores = "chores";

    public const string Albums = "default";

    public const string Figures = "figures";

    /// <summary>A new array each time: Hangfire keeps the one it is given, and a shared array could be changed.</summary>
    public static string[] ServedByEveryServer => [Chores, Albums, Figures];
}
