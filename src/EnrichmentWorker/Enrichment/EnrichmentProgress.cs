using EnrichmentWorker.Matching;
using System.Globalization;
using EnrichmentWorker.Discogs;
using EnrichmentWorker.Hosting;
using EnrichmentWorker.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Enrichment;

/// <summary>
/// Reports progress every <see cref="EnrichmentOptions.ProgressInterval"/> (and every 500 albums) while there is work:
/// a log line (done/total, hits, misses, rate, requests per album, ETA) and the service manager's status line
/// (<see cref="ServiceStatus"/>: systemd's STATUS=), e.g. <c>312/4000 albums, 280 matched, 59 req/min, ETA 1h02m</c>
/// or <c>paused: Discogs token required: ...</c>. Rates count from the first album after the queue was last idle, so
/// an idle night does not dilute them.
/// </summary>
public sealed class EnrichmentProgress(
    QueueReadings queue,
    ServiceStatus serviceStatus,
    DiscogsConnectionStatus discogs,
    IOptions<EnrichmentOptions> options,
    IOptions<DiscogsOptions> discogsOptions,
    TimeProvider time,
    ILogger<EnrichmentProgress> logger) : BackgroundService
{
    private const int LogEveryAlbums = 500;
    private long _done;
    private long _matched;
    private long _review;
    private long _missed;
    private long _requests;
    private long _reportedAt;

    // Since the first album after the last idle report: the rate's time base and counts.
    private long _activeSince;
    private long _activeDone;
    private long _activeRequests;

    /// <summary>The latest progress sentence (also the systemd STATUS line).</summary>
    public string Status { get; private set; } = "starting";

    public void Record(EnrichmentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Interlocked.CompareExchange(ref _activeSince, time.GetTimestamp(), 0);
        Interlocked.Increment(ref _activeDone);
        Interlocked.Add(ref _activeRequests, result.RequestsSpent);
        Interlocked.Increment(ref _done);
        Interlocked.Add(ref _requests, result.RequestsSpent);
        _ = result.Status switch
        {
            MatchOutcome.Matched => Interlocked.Increment(ref _matched),
            MatchOutcome.NeedsReview => Interlocked.Increment(ref _review),
            _ => Interlocked.Increment(ref _missed),
        };
        if (Volatile.Read(ref _done) % LogEveryAlbums == 0)
        {
            _ = ReportAsync(CancellationToken.None);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // At once, so the status line says something true from the start, then on every tick.
        using var timer = new PeriodicTimer(options.Value.ProgressInterval, time);
        do
        {
            await ReportAsync(stoppingToken);
        }
        while (await timer.NextTickOrStopAsync(stoppingToken));
    }

    private async Task ReportAsync(CancellationToken cancellationToken)
    {
        QueueSnapshot reading;
        try
        {
            reading = await queue.ReadAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
        {
            return;
        }

        var remaining = reading.Waiting + reading.Running;
        var done = Volatile.Read(ref _done);
        var idle = remaining == 0 && done == Volatile.Read(ref _reportedAt);
        if (idle)
        {
            // The next album starts a new rate measurement.
            Interlocked.Exchange(ref _activeSince, 0);
            Interlocked.Exchange(ref _activeDone, 0);
            Interlocked.Exchange(ref _activeRequests, 0);
        }

        string line;
        if (discogs.Outage is { } outage && remaining > 0)
        {
            // "Running" with a rate of nothing would hide it: say what is wrong and what waits for it.
            line = $"{DiscogsReachableHealthCheck.Describe(outage)} ({remaining} albums waiting)";
            if (!string.Equals(Status, line, StringComparison.Ordinal))
            {
                logger.LogWarning("Progress: {Line}", line);
            }
        }
        else if (reading.Paused)
        {
            // No progress line while paused: it would repeat "0 albums/min, ETA unknown" every interval. The log says
            // it once, and again only when the reason changes.
            line = $"paused: {reading.PauseReason ?? "no reason given"}" + (done + remaining > 0 ? $" ({done}/{done + remaining} albums)" : "");
            if (!string.Equals(Status, line, StringComparison.Ordinal))
            {
                logger.LogInformation("Progress: queue {Line}", line);
            }
        }
        else if (idle)
        {
            line = done == 0 ? "idle: nothing to enrich" : $"idle: {done} albums enriched since start";
        }
        else
        {
            Volatile.Write(ref _reportedAt, done);
            line = Progress(done, remaining);
        }

        Status = line;
        serviceStatus.Set(line);
    }

    private string Progress(long done, long remaining)
    {
        var since = Volatile.Read(ref _activeSince);
        var elapsed = since == 0 ? TimeSpan.Zero : time.GetElapsedTime(since);
        var now = time.GetUtcNow().UtcDateTime;
        var activeDone = Volatile.Read(ref _activeDone);
        var requestsPerMinute = elapsed > TimeSpan.Zero ? Volatile.Read(ref _activeRequests) / elapsed.TotalMinutes : 0;
        var budget = discogsOptions.Value;
        var estimate = BacklogEstimate.For(remaining, new CurrentRun(now - elapsed, activeDone, now),
            done > 0 ? (double)Volatile.Read(ref _requests) / done : null, budget.EffectiveRequestsPerWindow / budget.Window.TotalMinutes);
        var (albumsPerMinute, eta) = (estimate.MeasuredPerMinute, estimate.Eta is { } e ? DurationText.Short(e) : "unknown");
        var (matched, review, missed) = (Volatile.Read(ref _matched), Volatile.Read(ref _review), Volatile.Read(ref _missed));
        logger.LogInformation("Progress: {Done}/{Total} albums done, {Matched} matched, {Review} needs review, {Missed} no match, " +
            "{Rate:0.#} albums/min, {RequestsPerMinute:0} requests/min, {RequestsPerAlbum:0.00} requests/album, ETA {Eta}",
            done, done + remaining, matched, review, missed, albumsPerMinute, requestsPerMinute,
            done > 0 ? (double)Volatile.Read(ref _requests) / done : 0, eta);
        return string.Create(CultureInfo.InvariantCulture,
            $"{done}/{done + remaining} albums, {matched} matched, {review} to review, {missed} no match, {requestsPerMinute:0} req/min, ETA {eta}");
    }
}
