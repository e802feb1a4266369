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
    /// given transaction, followed in the same command by the job's result writes, if any (so they cost no round trip
    /// of their own and commit only with the completion). False: the lease was lost, and the caller must roll back.
    /// </summary>
    public static async Task<bool> FinishIfLeasedAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, ClaimedJob job, JobTransition transition, JobResults? results, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(new
        {
            jobId = job.Id,
            jobLeaseToken = job.LeaseToken,
            jobState = transition.State.ToDb(),
            jobRefundAttempt = transition.RefundAttempt ? 1 : 0,
            jobDelaySeconds = transition.Delay.TotalSeconds,
            jobReason = Truncate(transition.Reason, 2000),
            jobErrorType = transition.Error?.GetType().Name,
            jobErrorMessage = Truncate(transition.Error?.Message, 4000),
            jobStackTrace = Truncate(transition.Error?.ToString(), 16000),
        });
        var sql = JobSql.JobFinishIfLeased;
        if (results is not null)
        {
            // The completion comes first, so its RETURNING row is the command's first result.
            parameters.AddDynamicParams(results.Parameters);
            sql += ";\n" + results.Sql;
        }

        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
        var finished = await reader.ReadAsync(cancellationToken);
        // Reading past the writes' results is what raises a failing write here, before the caller can commit.
        while (await reader.NextResultAsync(cancellationToken))
        {
        }

        return finished;
    }

    public async Task<bool> FinishIfLeasedAsync(ClaimedJob job, JobTransition transition, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var finished = await FinishIfLeasedAsync(connection, null, job, transition, null, cancellationToken);
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
