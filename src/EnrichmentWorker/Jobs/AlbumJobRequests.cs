using Dapper;
using EnrichmentWorker.Enrichment;
using Npgsql;

namespace EnrichmentWorker.Jobs;

/// <summary>How an album's next run should go. Null mode: the service's configured mode.</summary>
public sealed record AlbumJobRequest(string Reason, EnrichmentMode? Mode = null, bool OverwriteManual = false);

/// <summary>
/// Asks for albums to be enriched (again): the one way every caller (the enqueue command, the dashboard, the miss
/// re-check) queues albums; new albums are queued by the database's own trigger. One statement per call, keyed by
/// album, so an album has at most one live job however many callers race: an album whose job is live is marked to
/// run once more instead (the dispatcher and the job settle it). The NOTIFY wakes the dispatcher of every process.
/// </summary>
public sealed class AlbumJobRequests(NpgsqlDataSource dataSource)
{
    public async Task<int> RequestAsync(IReadOnlyCollection<long> albumIds, AlbumJobRequest request, CancellationToken cancellationToken)
    {
        if (albumIds.Count == 0)
        {
            return 0;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(AlbumJobSql.Request,
            new { ids = albumIds.ToArray(), mode = request.Mode.ToColumn(), request.OverwriteManual, request.Reason }, cancellationToken: cancellationToken));
    }
}
