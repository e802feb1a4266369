using System.Globalization;

namespace EnrichmentWorker.Hosting;

/// <summary>Durations as a status line shows them: <c>42s</c>, <c>3m05s</c>, <c>1h02m</c>, <c>2d04h</c>.</summary>
public static class DurationText
{
    public static string Short(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        return duration switch
        {
            { TotalDays: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalDays}d{duration.Hours:00}h"),
            { TotalHours: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours}h{duration.Minutes:00}m"),
            { TotalMinutes: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes}m{duration.Seconds:00}s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Ceiling(duration.TotalSeconds)}s"),
        };
    }
}
