using Dapper;
using Npgsql;

namespace EnrichmentWorker.Jobs;

/// <summary>The queue's write path: enqueue, claim, renew, finish, rescue, prune. One statement per call.</summary>
public sealed class JobStore(NpgsqlDataSource dataSource, ClaimPayload? payload = null)
{
    private readonly string _claim = JobSql.JobClaim(payload is null ? "NULL::text" : $"({payload.Sql})::text");

    public async Task<long> EnqueueAsync(long albumId, string reason, string? mode, bool overwriteManual, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(JobSql.JobEnqueue,
            new { albumId, mode, overwriteManual, reason }, cancellationToken: cancellationToken));
        await NotifyAsync(connection, "enqueued", cancellationToken);
        return id;
    }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => dataSource.OpenConnectionAsync(cancellationToken);

    public async Task<IReadOnlyList<ClaimedJob>> ClaimAsync(string serverId, int limit, TimeSpan lease, int maxAttempts, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Once sent, a claim is not cancelled: a stop arriving after the server committed it would drop the rows it
        // returns, and those jobs would sit in processing until their lease expired. The statement takes milliseconds.
        var jobs = await connection.QueryAsync<ClaimedJob>(new CommandDefinition(_claim,
            new { serverId, limit, leaseSeconds = lease.TotalSeconds, maxAttempts }, cancellationToken: CancellationToken.None));
        return jobs.AsList();
    }

    public async Task<IReadOnlyList<RenewedLease>> RenewLeasesAsync(IReadOnlyCollection<ClaimedJob> jobs, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (jobs.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var renewed = await connection.QueryAsync<RenewedLease>(new CommandDefinition(JobSql.JobRenewLeases,
            new { ids = jobs.Select(j => j.Id).ToArray(), tokens = jobs.Select(j => j.LeaseToken).ToArray(), leaseSeconds = lease.TotalSeconds },
            cancellationToken: cancellationToken));
        return renewed.AsList();
    }

    /// <summary>
    /// Moves a claimed job to <paramref name="transition"/>'s state if this worker still holds the lease, inside the
    /// given transaction (so results written in it commit only with the completion). False: the lease was lost.
    /// </summary>
    public static async Task<bool> FinishIfLeasedAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, ClaimedJob job, JobTransition transition, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<long>(new CommandDefinition(JobSql.JobFinishIfLeased, new
        {
            id = job.Id,
            leaseToken = job.LeaseToken,
            state = transition.State.ToDb(),
            refundAttempt = transition.RefundAttempt ? 1 : 0,
            delaySeconds = transition.Delay.TotalSeconds,
            reason = Truncate(transition.Reason, 2000),
            errorType = transition.Error?.GetType().Name,
            errorMessage = Truncate(transition.Error?.Message, 4000),
            stackTrace = Truncate(transition.Error?.ToString(), 16000),
        }, transaction, cancellationToken: cancellationToken));
        return rows.Any();
    }

    public async Task<bool> FinishIfLeasedAsync(ClaimedJob job, JobTransition transition, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var finished = await FinishIfLeasedAsync(connection, null, job, transition, cancellationToken);
        if (finished && transition.State is JobState.Enqueued)
        {
            await NotifyAsync(connection, "released", cancellationToken);
        }

        return finished;
    }

    public async Task<int> RescueExpiredLeasesAsync(int limit, int maxAttempts, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rescued = (await connection.QueryAsync<long>(new CommandDefinition(JobSql.JobRescueExpired, new { limit, maxAttempts },
            cancellationToken: cancellationToken))).Count();
        if (rescued > 0)
        {
            await NotifyAsync(connection, "rescued", cancellationToken);
        }

        return rescued;
    }

    /// <summary>Deletes one committed batch; callers loop until it returns less than a full batch.</summary>
    public async Task<int> PruneBatchAsync(TimeSpan retention, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(JobSql.JobPruneBatch,
            new { retentionSeconds = retention.TotalSeconds, limit }, cancellationToken: cancellationToken));
    }

    private static Task NotifyAsync(NpgsqlConnection connection, string reason, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(JobSql.JobsNotify, new { reason }, cancellationToken: cancellationToken));

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}

public sealed record RenewedLease(long Id, bool CancelRequested);

/// <summary>The state a finished run moves its job to, and why.</summary>
public sealed record JobTransition(JobState State, string Reason, TimeSpan Delay = default, bool RefundAttempt = false, Exception? Error = null);
