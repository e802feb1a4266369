using Dapper;
using Npgsql;

namespace EnrichmentWorker.Enrichment;

/// <summary>Which albums to (re)queue.</summary>
public enum AlbumSelectionKind
{
    /// <summary>Albums with no result yet.</summary>
    Unfinished,

    /// <summary>Automatic no-match results older than a number of days.</summary>
    Misses,

    /// <summary>Every album, again.</summary>
    All,
}

public sealed record AlbumSelectionRequest(AlbumSelectionKind Kind, int? Limit = null, TimeSpan? MissAge = null, EnrichmentMode? Mode = null, bool OverwriteManual = false);

public sealed record SelectedAlbum(long Id, string Artist, string Title, int? Year);

/// <summary>Selects albums and queues them in one set-based statement (albums with a live job are left alone).</summary>
public sealed class AlbumSelection(NpgsqlDataSource dataSource)
{
    private const string Selected = """
        SELECT a.id AS Id, a.artist AS Artist, a.title AS Title, a.year AS Year
        FROM albums a
        LEFT JOIN album_matches m ON m.album_id = a.id
        WHERE NOT EXISTS (SELECT 1 FROM album_jobs j WHERE j.album_id = a.id)
          AND CASE @kind
                WHEN 'Unfinished' THEN m.album_id IS NULL
                WHEN 'Misses' THEN m.status = 'no_match' AND NOT m.manual
                                   AND m.matched_at < now() - make_interval(secs => @missAgeSeconds)
                ELSE true
              END
        ORDER BY a.id
        LIMIT @limit
        """;

    private const string Enqueue = $"""
        WITH selected AS ({Selected}),
        queued AS (
            INSERT INTO album_jobs (album_id, mode, overwrite_manual, reason)
            SELECT Id, @mode, @overwriteManual, @reason FROM selected
            ON CONFLICT (album_id) DO NOTHING
            RETURNING album_id
        )
        {Jobs.AlbumJobSql.HistoryAndNotifyQueued}
        """;

    public async Task<IReadOnlyList<SelectedAlbum>> ListAsync(AlbumSelectionRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<SelectedAlbum>(new CommandDefinition(Selected, Parameters(request, ""), cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Queues the selected albums in one statement; albums whose job is live are left alone (one live job each).</summary>
    public async Task<long> EnqueueAsync(AlbumSelectionRequest request, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(Enqueue, Parameters(request, reason), cancellationToken: cancellationToken));
    }

    private static object Parameters(AlbumSelectionRequest request, string reason) => new
    {
        kind = request.Kind.ToString(),
        limit = request.Limit,
        missAgeSeconds = (request.MissAge ?? TimeSpan.Zero).TotalSeconds,
        mode = request.Mode.ToColumn(),
        overwriteManual = request.OverwriteManual,
        reason,
    };
}
