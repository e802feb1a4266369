namespace EnrichmentWorker.Jobs;

/// <summary>
/// The albums finished in the current run: since the oldest album still waiting was requested (the queue has not been
/// empty since then), at most the last <c>minutes</c>. A fixed window would count the idle time before the run and
/// make a quick run of 29 albums look like 48 minutes of work.
/// </summary>
public sealed record CurrentRun(DateTime Since, long Finished, DateTime Now)
{
    public TimeSpan Elapsed => Now - Since;
}

/// <summary>How long the backlog will take, at what rates, and on what the estimate rests.</summary>
public sealed record BacklogEta(double MeasuredPerMinute, double? BudgetPerMinute, double RequestsPerAlbum, TimeSpan? Eta, string Basis);

/// <summary>How long the backlog will take, for the overview and the service's status line alike.</summary>
public static class BacklogEstimate
{
    /// <summary>Below this a run has not been measured: one album after five seconds is no rate.</summary>
    public static readonly TimeSpan MinimumMeasuredTime = TimeSpan.FromMinutes(1);

    public const int MinimumMeasuredAlbums = 3;

    /// <summary>The matcher's typical cost before any album was decided here.</summary>
    public const double TypicalRequestsPerAlbum = 1.5;

    /// <summary>
    /// The slower of two rates: the current run's measured one and the one the budget allows (requests per window over
    /// requests per album). Until the run has a measured rate (a minute and a few albums), the budget alone gives the
    /// estimate; when albums cost no requests (a data dump decides them) or the budget is unknown, the measured rate
    /// alone.
    /// </summary>
    /// <param name="budgetRequestsPerMinute">What the Discogs budget allows (its limit over its window), null when unknown.</param>
    public static BacklogEta For(long backlog, CurrentRun run, double? requestsPerAlbum, double? budgetRequestsPerMinute)
    {
        ArgumentNullException.ThrowIfNull(run);
        var measured = run.Elapsed >= MinimumMeasuredTime && run.Finished >= MinimumMeasuredAlbums;
        var measuredPerMinute = run.Elapsed > TimeSpan.Zero ? run.Finished / run.Elapsed.TotalMinutes : 0;
        var perAlbum = requestsPerAlbum ?? TypicalRequestsPerAlbum;
        double? budgetPerMinute = budgetRequestsPerMinute is > 0 && perAlbum > 0 ? budgetRequestsPerMinute / perAlbum : null;
        var (rate, basis) = (measured, budgetPerMinute) switch
        {
            (true, { } b) when b < measuredPerMinute => (b, "request budget"),
            (true, _) => (measuredPerMinute, "measured rate of this run"),
            (false, { } b) => (b, "request budget (this run not measured yet)"),
            _ => (0.0, "no rate measured yet"),
        };
        TimeSpan? eta = backlog == 0 ? TimeSpan.Zero : rate > 0 ? TimeSpan.FromMinutes(Math.Min(backlog / rate, TimeSpan.MaxValue.TotalMinutes / 2)) : null;
        return new BacklogEta(measuredPerMinute, budgetPerMinute, perAlbum, eta, basis);
    }
}
