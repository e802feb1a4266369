using Dapper;
using Npgsql;

namespace EnrichmentWorker.Jobs;

/// <summary>Pauses and resumes the whole queue, and asks a running job to stop. Used by people and by the service.</summary>
public sealed class QueueControl(NpgsqlDataSource dataSource)
{
    public const string PausedByPerson = "person";
    public const string PausedByDiscogsToken = "discogs-token";

    public async Task PauseAsync(string reason, string pausedBy, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(JobSql.QueuePause, new { reason, pausedBy }, cancellationToken: cancellationToken));
    }

    /// <summary>Resumes; with <paramref name="onlyIfPausedBy"/>, only a pause of that origin (the service never
    /// lifts a person's pause by itself).</summary>
    public async Task<bool> ResumeAsync(string? onlyIfPausedBy, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var resumed = await connection.ExecuteAsync(new CommandDefinition(JobSql.QueueResume, new { onlyIfPausedBy }, cancellationToken: cancellationToken)) > 0;
        if (resumed)
        {
            await connection.ExecuteAsync(new CommandDefinition(JobSql.JobsNotify, new { reason = "resumed" }, cancellationToken: cancellationToken));
        }

        return resumed;
    }

    public async Task<QueueStatus> GetAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<QueueStatus>(new CommandDefinition(JobSql.QueueStateGet, cancellationToken: cancellationToken));
    }

    /// <summary>Asks the worker running the job to stop; it notices at its next heartbeat. False if not running.</summary>
    public async Task<bool> RequestCancelAsync(long jobId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(JobSql.JobRequestCancel, new { id = jobId }, cancellationToken: cancellationToken)) > 0;
    }
}

public sealed record QueueStatus(bool Paused, string? Reason, string? PausedBy, DateTime ChangedAt);
