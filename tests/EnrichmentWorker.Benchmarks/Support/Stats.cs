using System.Globalization;

namespace EnrichmentWorker.Benchmarks.Support;

public static class Stats
{
    /// <summary>Nearest-rank percentile (p in 0..100) of the values; NaN for none.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string F(double value, int decimals = 2) => value.ToString("N" + decimals, CultureInfo.InvariantCulture);

    public static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture) + " ms";

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N0", CultureInfo.InvariantCulture) + " MB";

    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
