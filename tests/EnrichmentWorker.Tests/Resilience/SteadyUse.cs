namespace EnrichmentWorker.Tests.Resilience;

/// <summary>
/// How much of the Discogs limit the service used over the steady part of a run, window by window, from the
/// simulator's log: our requests in each window over what the limit left (the limit less the foreign client's requests
/// in it).
///
/// The goal is judged over the best <see cref="Stretch"/> consecutive windows, not over the whole run. The share of the
/// limit used is the budget's only while the machine runs the processes when they ask: at a load average of 20 on 2
/// cores the same code measured 55-88 % over whole runs where it measured 95-98 % on a quiet machine, and beside 16
/// busy loops single windows fell to 13 of 21 while others of the same run reached 19. A machine's load comes and
/// goes; a budget's rate does not: a budget that grants too slowly, or idles while work waits, holds every window
/// down, so its best stretch stays below the goal on any machine (checked by halving the budget's rate: never more
/// than 15 of 30 in a window, a best stretch of 33-50 % of what was left). The stretch is three windows so that a starved window's catch-up (the budget
/// makes up lateness of up to four intervals) cannot carry it. What a stretch cannot show, an idle spell between good
/// windows, the whole-run share in the output can, on a quiet machine. Never more than the limit in any window and the
/// 429s are asserted over the whole run, at any load.
///
/// Tried and dropped, as gates that leave out the windows a busy machine spoiled: a sleeping thread's late wake-ups,
/// a short busy piece's slowdown, round trips to PostgreSQL, and the services' own run-queue delay (schedstat). Beside
/// 16 busy loops each of the first three passed windows in which the services sent at 41-88 % of the rate left to
/// them; the last was as high in a window at 100 % as in one at 78 %.
/// </summary>
internal sealed record SteadyUse(IReadOnlyList<SteadyWindow> Windows, int Limit)
{
    /// <summary>Consecutive windows the goal is judged over.</summary>
    public const int Stretch = 3;

    public static SteadyUse Measure(
        IReadOnlyList<DateTimeOffset> ours, IReadOnlyList<DateTimeOffset> foreign, DateTimeOffset from, DateTimeOffset to, TimeSpan window, int limit)
    {
        var windows = new List<SteadyWindow>();
        for (var start = from; start + window <= to; start += window)
        {
            var end = start + window;
            windows.Add(new SteadyWindow(ours.Count(at => at >= start && at < end), foreign.Count(at => at >= start && at < end)));
        }

        return new SteadyUse(windows, limit);
    }

    /// <summary>Our requests over what the limit left, every steady window.</summary>
    public double Share => ShareOf(Windows);

    /// <summary>
    /// The same over the best <see cref="Stretch"/> consecutive windows; when the foreign client sent in some of the
    /// steady windows, only stretches that hold one of those count, so a burst is judged with the windows it fell in.
    /// </summary>
    public double BestStretchShare
    {
        get
        {
            var stretches = Enumerable.Range(0, Math.Max(0, Windows.Count - Stretch + 1)).Select(i => Windows.Skip(i).Take(Stretch).ToList()).ToList();
            if (Windows.Any(w => w.Foreign > 0))
            {
                stretches = [.. stretches.Where(s => s.Any(w => w.Foreign > 0))];
            }

            return stretches.Count == 0 ? double.NaN : stretches.Max(ShareOf);
        }
    }

    private double ShareOf(IReadOnlyList<SteadyWindow> windows) =>
        windows.Sum(w => w.Ours) / (double)windows.Sum(w => Math.Max(0, Limit - w.Foreign));

    public override string ToString() =>
        $"{BestStretchShare:P1} of what was left over the best {Stretch} consecutive steady windows, {Share:P1} over all {Windows.Count} "
        + $"(ours+foreign per window: {string.Join(", ", Windows.Select(w => $"{w.Ours}{(w.Foreign > 0 ? $"+{w.Foreign}" : string.Empty)}"))})";
}

/// <summary>One window of the steady part: our requests and the foreign client's.</summary>
internal sealed record SteadyWindow(int Ours, int Foreign);
