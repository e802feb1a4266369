using Dapper;
using EnrichmentWorker.Telemetry;
using Npgsql;

namespace EnrichmentWorker.Jobs;

/// <summary>
/// The queue's shape (the project's album_jobs joined to Hangfire's job states), read with one statement by the progress
/// reporter (every Enrichment:ProgressInterval) and by the stall health check, and kept for the queue gauges: the metrics exporter reads <see cref="Latest"/> on its
/// own thread, which must never wait on the database.
/// </summary>
public sealed class QueueReadings : IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly IDisposable _gauges;
    private QueueSnapshot? _latest;

    public QueueReadings(NpgsqlDataSource dataSource, EnrichmentTelemetry telemetry, TimeProvider time)
    {
        _dataSource = dataSource;
        _time = time;
        _gauges = telemetry.ObserveQueue(() => Latest is { } latest ? new QueueReading(latest.Waiting, latest.OldestReadyAge) : null);
    }

    /// <summary>The last reading, null before the first.</summary>
    public QueueSnapshot? Latest => Volatile.Read(ref _latest);

    public async Task<QueueSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, cancellationToken);
    }

    /// <summary>On a connection the caller already holds (the dashboard's overview reads it with its other panels).</summary>
    public async Task<QueueSnapshot> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var row = await connection.QuerySingleAsync<Row>(new CommandDefinition(AlbumJobSql.QueueReading, cancellationToken: cancellationToken));
        var snapshot = new QueueSnapshot(
            row.Waiting,
            row.Ready,
            row.Running,
            row.Failed,
            Seconds(row.OldestReadySeconds),
            Seconds(row.SinceLastMovementSeconds),
            row.Paused,
            row.PausedBy,
            row.PauseReason,
            _time.GetUtcNow());
        Volatile.Write(ref _latest, snapshot);
        return snapshot;
    }

    // The database clock and ours may differ by a little: a negative age is "just now".
    private static TimeSpan? Seconds(double? seconds) => seconds is { } s ? TimeSpan.FromSeconds(Math.Max(0, s)) : null;

    public void Dispose() => _gauges.Dispose();

    private sealed record Row(long Waiting, long Ready, long Running, long Failed, double? OldestReadySeconds, double? SinceLastMovementSeconds, bool Paused, string? PausedBy, string? PauseReason);
}

/// <summary>One reading of the queue. Ages come from the database clock.</summary>
public sealed record QueueSnapshot(
    long Waiting,
    long Ready,
    long Running,
    long Failed,
    TimeSpan? OldestReadyAge,
    TimeSpan? SinceLastMovement,
    bool Paused,
    string? PausedBy,
    string? PauseReason,
    DateTimeOffset ReadAt)
{
    /// <summary>
    /// How long the job at the head of the line has been there: since it became due, or since the queue last moved if
    /// that was later (each start takes the head, so the next job is first in line from then; a resume starts the
    /// wait afresh). The age of
    /// the oldest ready job alone grows during healthy work, since a 4,000-album import is due all at once.
    /// </summary>
    public TimeSpan? FirstInLineFor => OldestReadyAge is { } age
        ? SinceLastMovement is { } moved && moved < age ? moved : age
        : null;
}
