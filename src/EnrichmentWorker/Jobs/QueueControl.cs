using Dapper;
using Npgsql;

namespace EnrichmentWorker.Jobs;

/// <summary>
/// Pauses and resumes all album jobs, for people and for the service itself (a rejected Discogs token). A paused queue
/// holds each job at <see cref="QueuePauseGate"/> before its first request: nothing is sent, and no job changes state,
/// so a pause with 100,000 waiting albums writes nothing but this one row.
/// </summary>
public sealed class QueueControl(NpgsqlDataSource dataSource)
{
    public const string PausedByPerson = "person";
    public const string PausedByDiscogsToken = "discogs-token";

    public async Task PauseAsync(string reason, string pausedBy, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(AlbumJobSql.QueuePause, new { reason, pausedBy }, cancellationToken: cancellationToken));
    }

    /// <summary>Resumes; with <paramref name="onlyIfPausedBy"/>, only a pause of that origin (the service never
    /// lifts a person's pause by itself).</summary>
    public async Task<bool> ResumeAsync(string? onlyIfPausedBy, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(AlbumJobSql.QueueResume, new { onlyIfPausedBy }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<QueueStatus> GetAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<QueueStatus>(new CommandDefinition(AlbumJobSql.QueueStateGet, cancellationToken: cancellationToken));
    }
}

public sealed record QueueStatus(bool Paused, string? Reason, string? PausedBy, DateTime ChangedAt);
