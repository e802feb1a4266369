using System.Text;

namespace EnrichmentWorker.Benchmarks.Support;

public enum FigureStatus
{
    Measured,
    Derived,
    Pending,
    Failed,
}

public sealed record Figure(string Name, string Value, string Target, string Note, FigureStatus Status);

/// <summary>The rows the harness prints. A figure whose piece is missing is printed as pending, never invented.</summary>
public sealed class FigureTable
{
    private readonly List<Figure> _rows = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<Figure> Rows
    {
        get
        {
            lock (_gate)
            {
                return [.. _rows];
            }
        }
    }

    public void Measured(string name, string value, string target = "", string note = "") => Add(new Figure(name, value, target, note, FigureStatus.Measured));

    /// <summary>A figure computed from a measured one and a published rate (the baseline), labelled as such.</summary>
    public void Derived(string name, string value, string target = "", string note = "") => Add(new Figure(name, value, target, note, FigureStatus.Derived));

    public void Pending(string name, string why) => Add(new Figure(name, "pending: " + why, FigureNames.TargetOf(name), "", FigureStatus.Pending));

    public void Failed(string name, string why) => Add(new Figure(name, "failed: " + why, FigureNames.TargetOf(name), "", FigureStatus.Failed));

    public string Render()
    {
        var rows = Rows;
        string[] headers = ["Figure", "Value", "Target", "Notes"];
        var widths = new int[4];
        for (var c = 0; c < 4; c++)
        {
            widths[c] = headers[c].Length;
        }

        foreach (var row in rows)
        {
            widths[0] = Math.Max(widths[0], row.Name.Length);
            widths[1] = Math.Max(widths[1], Math.Min(row.Value.Length, 110));
            widths[2] = Math.Max(widths[2], row.Target.Length);
        }

        var text = new StringBuilder();
        void Line(string a, string b, string c, string d) =>
            text.Append("| ").Append(a.PadRight(widths[0])).Append(" | ").Append(b.PadRight(widths[1])).Append(" | ")
                .Append(c.PadRight(widths[2])).Append(" | ").Append(d).Append(" |\n");
        Line(headers[0], headers[1], headers[2], headers[3]);
        text.Append("|-").Append(new string('-', widths[0])).Append("-|-").Append(new string('-', widths[1])).Append("-|-")
            .Append(new string('-', widths[2])).Append("-|-------|\n");
        foreach (var row in rows)
        {
            Line(row.Name, row.Value, row.Target, row.Note);
        }

        return text.ToString();
    }

    private void Add(Figure figure)
    {
        lock (_gate)
        {
            _rows.Add(figure);
        }
    }
}

/// <summary>The names of the rows, shared with the CI smoke test so a row that disappears fails it.</summary>
public static class FigureNames
{
    public static string RequestsPerAlbum(string mode) => $"requests per album, {mode} (mean / p95)";

    public static string BudgetUse(string mode) => $"budget use while work is pending, {mode}";

    public static string RateLimited(string mode) => $"429 responses, {mode}";

    public static string TimeToEnrich(string mode) => $"time to enrich the library, {mode}";

    public static string Outcomes(string mode) => $"match outcomes, {mode}";

    public static string PeakMemoryRun(string mode) => $"peak memory of the service, {mode} run";

    public static string ForeignRateLimited(string traffic) => $"429s per 500 requests beside a foreign client, {traffic}";

    public static string ForeignShare(string traffic) => $"share of the limit left by a foreign client used, {traffic}";

    public const string Baseline = "baseline: older pipeline (3 req/album at 0.7 req/s)";

    public const string Pickup = "insert by SQL to job start, idle service (p50 / p95)";

    public const string CpuPerAlbum = "service CPU per album, network taken out";

    public const string AlbumsPerSecond = "Hangfire album jobs per second, one process, network taken out";

    public const string ImportLarge = "import, 100,000-album batch";

    public const string ImportHuge = "import, 1,000,000-album batch";

    public const string PeakMemoryDashboard = "peak memory of the service, dashboard under load during a run";

    public const string PeakMemoryImport = "peak memory of the import, 100,000-album batch";

    public const string Dashboard = "dashboard page latency p95, 100,000 albums with job history (slowest page)";

    public const string Matching = "matching: candidates scored per second";

    public const string FolderCold = "music folder scan, cold (files read per second)";

    public const string FolderWarm = "music folder rescan, warm, nothing changed (files per second)";

    /// <summary>The target each figure is held to (issue 8), for rows that could not be measured.</summary>
    public static string TargetOf(string name) => name switch
    {
        _ when name == RequestsPerAlbum("genres") => "≤ 1.2 mean",
        _ when name == RequestsPerAlbum("full") => "≤ 2.1 mean",
        _ when name.StartsWith("budget use", StringComparison.Ordinal) => "≥ 0.95",
        _ when name.StartsWith("429s per 500", StringComparison.Ordinal) => "≤ 1",
        _ when name.StartsWith("share of the limit left", StringComparison.Ordinal) => "≥ 0.90",
        _ when name.StartsWith("429", StringComparison.Ordinal) => "0",
        _ when name == TimeToEnrich("genres") => "≤ 1.25×",
        _ when name == TimeToEnrich("full") => "≤ 2.2×",
        _ when name.StartsWith("peak memory", StringComparison.Ordinal) => "< 200 MB",
        Pickup => "p95 < 1 s",
        AlbumsPerSecond => "(report; the API allows 1 album/s)",
        ImportLarge => "< 10 s",
        Dashboard => "< 300 ms",
        _ => "",
    };

    /// <summary>Every row a run of these scenarios and modes prints (detail rows may come in addition).</summary>
    public static IReadOnlyList<string> Expected(BenchSettings settings)
    {
        var names = new List<string>();
        if (settings.Runs("enrich"))
        {
            foreach (var mode in settings.Modes)
            {
                names.AddRange([RequestsPerAlbum(mode), BudgetUse(mode), RateLimited(mode), TimeToEnrich(mode), Outcomes(mode), PeakMemoryRun(mode)]);
            }

            names.Add(Baseline);
        }

        if (settings.Runs("pickup"))
        {
            names.Add(Pickup);
        }

        if (settings.Runs("overhead"))
        {
            names.AddRange([CpuPerAlbum, AlbumsPerSecond]);
        }

        if (settings.Runs("import"))
        {
            names.AddRange([ImportLarge, PeakMemoryImport, ImportHuge]);
        }

        if (settings.Runs("dashboard"))
        {
            names.Add(Dashboard);
        }

        if (settings.Runs("matching"))
        {
            names.Add(Matching);
        }

        if (settings.Runs("dumps"))
        {
            names.AddRange(Scenarios.DumpFigures.All(settings));
        }

        if (settings.Runs("folders"))
        {
            names.AddRange([FolderCold, FolderWarm]);
        }

        if (settings.Runs("memory"))
        {
            names.Add(PeakMemoryDashboard);
        }

        if (settings.Runs("foreign"))
        {
            names.AddRange(Scenarios.ForeignClientScenario.Traffics(settings).SelectMany(t => new[] { ForeignRateLimited(t.Label), ForeignShare(t.Label) }));
        }

        return names;
    }
}
