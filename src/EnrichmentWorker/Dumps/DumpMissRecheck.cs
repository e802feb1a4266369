using Dapper;
using Npgsql;

namespace EnrichmentWorker.Dumps;

/// <summary>
/// After a newer dump is installed (<c>dump import</c>, or the <c>import-new-dumps</c> recurring job): queues every
/// album whose result is a miss (no match, needs review), never a person's decision, for a re-match against the dump
/// alone. Such a job spends no request and changes the result only when the dump now matches the album
/// (<see cref="Enrichment.AlbumEnricher.RecheckWithDumpAsync"/>). Albums with a live job are left to it.
/// </summary>
public sealed class DumpMissRecheck(NpgsqlDataSource dataSource, ILogger<DumpMissRecheck> logger)
{
    public const string Reason = "re-check of a miss against the newer dump";

    // One set-based statement, ending as every statement that queues albums does.
    private const string Enqueue = $"""
        WITH queued AS (
            INSERT INTO album_jobs (album_id, mode, reason, dump_only)
            SELECT m.album_id, m.mode, @reason, true
            FROM album_matches m
            WHERE m.status IN ('no_match', 'needs_review') AND NOT m.manual
            ON CONFLICT (album_id) DO NOTHING
            RETURNING album_id
        )
        {Jobs.AlbumJobSql.HistoryAndNotifyQueued}
        """;

    public async Task<long> QueueAsync(DateOnly dumpDate, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var queued = await connection.ExecuteScalarAsync<int>(new CommandDefinition(Enqueue, new { reason = Reason }, cancellationToken: cancellationToken));
        logger.LogInformation("Dump of {DumpDate:yyyy-MM-dd} installed: {Count} missed albums queued for a re-check against it (no request)", dumpDate, queued);
        return queued;
    }
}
