using System.Globalization;

namespace EnrichmentWorker.Benchmarks.Support;

/// <summary>What to run and at what size, from the command line.</summary>
public sealed record BenchSettings
{
    public const string Usage = """
        Usage: dotnet run -c Release --project tests/EnrichmentWorker.Benchmarks -- [options]

          --albums N        library size for the enrichment runs (default 3788)
          --scale F         simulated-time factor: the Discogs window and the service's budget both shrink by F
                            (default 60: 60 requests per 1 s instead of per 60 s)
          --mode M          genres, full or both (default both)
          --only A,B        run only these scenarios: enrich, pickup, overhead, import, dashboard, matching, dumps, folders, memory, foreign
          --dump-masters N  masters in the generated dump (default 2500000); --dump-releases N releases (default 500000)
          --seed N          seed of the generated library (default 3788)
          --foreign A,B     only these neighbours in the foreign scenario: 10, 30, burst (default all three)
          --smoke           a tiny run of every code path (CI): 40 albums, scale 120, small imports; no timing meaning
        """;

    public static readonly IReadOnlyList<string> Scenarios = ["enrich", "pickup", "overhead", "import", "dashboard", "matching", "dumps", "folders", "memory", "foreign"];

    public int Albums { get; init; } = 3788;

    public double Scale { get; init; } = 60;

    public IReadOnlyList<string> Modes { get; init; } = ["genres", "full"];

    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>(Scenarios, StringComparer.Ordinal);

    public int Seed { get; init; } = 3788;

    public bool Smoke { get; init; }

    /// <summary>Share of the library that Discogs does not know (a real library has local recordings, bootlegs...).</summary>
    public double AbsentShare { get; init; } = 0.05;

    public int PickupSamples { get; init; } = 60;

    public int OverheadAlbums { get; init; } = 3788;

    /// <summary>Albums enriched beside each kind of foreign client (three runs, genres mode).</summary>
    public int ForeignAlbums { get; init; } = 1000;

    /// <summary>The foreign scenario's neighbours to run, by the start of their label (10, 30, burst): one can be re-measured alone.</summary>
    public IReadOnlySet<string> ForeignNeighbours { get; init; } = new HashSet<string>(["10", "30", "burst"], StringComparer.Ordinal);

    public int LargeImport { get; init; } = 100_000;

    public int HugeImport { get; init; } = 1_000_000;

    public int DashboardJobs { get; init; } = 100_000;

    public int DashboardRequestsPerPage { get; init; } = 40;

    /// <summary>Dashboard requests served during a run for the memory figure, and how many at a time (issue 12).</summary>
    public int MemoryRequests { get; init; } = 2_000;

    public int MemoryConcurrency { get; init; } = 20;

    public TimeSpan MatchingDuration { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Masters in the generated dump (issue 17: 2026's dump holds about 2.5 M).</summary>
    public int DumpMasters { get; init; } = 2_500_000;

    /// <summary>Releases in the generated dump: enough to measure rows/s, far fewer than the 19 M of a real one.</summary>
    public int DumpReleases { get; init; } = 500_000;

    /// <summary>Tracks in the generated music folder the rescan is timed on (10 per album).</summary>
    public int FolderTracks { get; init; } = 20_000;

    /// <summary>Discogs' budget with a token: 60 requests in a moving 60-second window.</summary>
    public const int RequestsPerWindow = 60;

    public static readonly TimeSpan RealWindow = TimeSpan.FromSeconds(60);

    /// <summary>The simulated window: 60 s divided by the scale.</summary>
    public TimeSpan Window => TimeSpan.FromTicks((long)(RealWindow.Ticks / Scale));

    /// <summary>Requests per real second the scaled budget allows.</summary>
    public double RequestsPerSecond => RequestsPerWindow / Window.TotalSeconds;

    public bool Runs(string scenario) => Only.Contains(scenario);

    public static BenchSettings Parse(IReadOnlyList<string> args)
    {
        var smoke = args.Contains("--smoke");
        var settings = smoke
            ? new BenchSettings
            {
                Smoke = true,
                Albums = 40,
                Scale = 120,
                PickupSamples = 4,
                OverheadAlbums = 100,
                ForeignAlbums = 40,
                LargeImport = 1_000,
                HugeImport = 2_000,
                DashboardJobs = 5_000,
                DashboardRequestsPerPage = 5,
                MemoryRequests = 100,
                MatchingDuration = TimeSpan.FromMilliseconds(200),
                DumpMasters = 8_000,
                DumpReleases = 6_000,
                FolderTracks = 200,
            }
            : new BenchSettings();

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new BenchUsageException($"{arg} needs a value.");
            switch (arg)
            {
                case "--smoke":
                    break;
                case "--albums":
                    var albums = ParseInt(arg, Value(), 1, 10_000_000);
                    settings = settings with { Albums = albums, OverheadAlbums = settings.Smoke ? settings.OverheadAlbums : albums };
                    break;
                case "--scale":
                    settings = settings with { Scale = ParseDouble(arg, Value(), 1, 6000) };
                    break;
                case "--dump-masters":
                    settings = settings with { DumpMasters = ParseInt(arg, Value(), 1, 50_000_000) };
                    break;
                case "--dump-releases":
                    settings = settings with { DumpReleases = ParseInt(arg, Value(), 0, 50_000_000) };
                    break;
                case "--seed":
                    settings = settings with { Seed = ParseInt(arg, Value(), 0, int.MaxValue) };
                    break;
                case "--mode":
                    settings = settings with
                    {
                        Modes = Value() switch
                        {
                            "genres" => ["genres"],
                            "full" => ["full"],
                            "both" => ["genres", "full"],
                            var other => throw new BenchUsageException($"--mode must be genres, full or both, not '{other}'."),
                        },
                    };
                    break;
                case "--only":
                    var only = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                    var unknown = only.Where(o => !Scenarios.Contains(o)).ToList();
                    if (unknown.Count > 0 || only.Count == 0)
                    {
                        throw new BenchUsageException($"--only takes some of {string.Join(", ", Scenarios)}; unknown: {string.Join(", ", unknown)}.");
                    }

                    settings = settings with { Only = only };
                    break;
                case "--foreign":
                    var neighbours = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                    if (neighbours.Count == 0 || !neighbours.IsSubsetOf(["10", "30", "burst"]))
                    {
                        throw new BenchUsageException("--foreign takes some of 10, 30, burst.");
                    }

                    settings = settings with { ForeignNeighbours = neighbours };
                    break;
                default:
                    throw new BenchUsageException($"Unknown option '{arg}'.");
            }
        }

        return settings;
    }

    private static int ParseInt(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw new BenchUsageException($"{name} must be a whole number from {min} to {max}, not '{text}'.");

    private static double ParseDouble(string name, string text, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw new BenchUsageException($"{name} must be a number from {min} to {max}, not '{text}'.");
}

/// <summary>The command line could not be understood.</summary>
public sealed class BenchUsageException(string message) : Exception(message);
