using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Enrichment;

/// <summary>
/// Logs progress every <see cref="EnrichmentOptions.ProgressInterval"/> (and every 500 albums) while there is work:
/// done/total, hits, misses, rate, and an ETA from the measured rate.
/// </summary>
public sealed class EnrichmentProgress(NpgsqlDataSource dataSource, IOptions<EnrichmentOptions> options, TimeProvider time, ILogger<EnrichmentProgress> logger)
    : BackgroundService
{
    private const int LogEveryAlbums = 500;
    private long _done;
    private long _matched;
    private long _review;
    private long _missed;
    private long _requests;
    private long _reportedAt;
    private readonly long _startedAt = time.GetTimestamp();

    /// <summary>The latest progress sentence, for the systemd STATUS line and the dashboard.</summary>
    public string Status { get; private set; } = "starting";

    public void Record(EnrichmentResult result)
    {
        Interlocked.Increment(ref _done);
        Interlocked.Add(ref _requests, result.RequestsSpent);
        _ = result.Status switch
        {
            "matched" => Interlocked.Increment(ref _matched),
            "needs_review" => Interlocked.Increment(ref _review),
            _ => Interlocked.Increment(ref _missed),
        };
        if (Volatile.Read(ref _done) % LogEveryAlbums == 0)
        {
            _ = ReportAsync(CancellationToken.None);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ProgressInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ReportAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task ReportAsync(CancellationToken cancellationToken)
    {
        long remaining;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            remaining = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM enrichment_jobs WHERE state IN ('enqueued', 'scheduled', 'processing')", cancellationToken: cancellationToken));
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
        {
            return;
        }

        var done = Volatile.Read(ref _done);
        if (remaining == 0 && done == Volatile.Read(ref _reportedAt))
        {
            Status = done == 0 ? "idle: nothing to enrich" : $"idle: {done} albums enriched since start";
            return;
        }

        Volatile.Write(ref _reportedAt, done);
        var elapsed = time.GetElapsedTime(_startedAt);
        var rate = elapsed.TotalMinutes > 0 ? done / elapsed.TotalMinutes : 0;
        var eta = rate > 0 ? TimeSpan.FromMinutes(remaining / rate) : (TimeSpan?)null;
        Status = $"{done}/{done + remaining} albums done, {Volatile.Read(ref _matched)} matched, {Volatile.Read(ref _review)} to review, " +
                 $"{Volatile.Read(ref _missed)} no match, {rate:0.#} albums/min, ETA {(eta is { } e ? FormatEta(e) : "unknown")}";
        logger.LogInformation("Progress: {Done}/{Total} albums done, {Matched} matched, {Review} needs review, {Missed} no match, " +
            "{Rate:0.#} albums/min, {RequestsPerAlbum:0.00} requests/album, ETA {Eta}",
            done, done + remaining, Volatile.Read(ref _matched), Volatile.Read(ref _review), Volatile.Read(ref _missed), rate,
            done > 0 ? (double)Volatile.Read(ref _requests) / done : 0, eta is { } t ? FormatEta(t) : "unknown");
    }

    private static string FormatEta(TimeSpan eta) => eta.TotalHours >= 1 ? $"{(int)eta.TotalHours} h {eta.Minutes} min" : $"{Math.Ceiling(eta.TotalMinutes)} min";
}
