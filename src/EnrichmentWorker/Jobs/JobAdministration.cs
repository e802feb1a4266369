using Dapper;
using Npgsql;

namespace EnrichmentWorker.Jobs;

/// <summary>What a person can do to many jobs at once.</summary>
public enum JobAction
{
    /// <summary>A failed job runs again from its first attempt.</summary>
    Retry,

    /// <summary>A finished (or scheduled) job runs again now, from its first attempt.</summary>
    Requeue,

    /// <summary>A job that is not running is set aside; it stays visible under "deleted" until pruned.</summary>
    Delete,

    /// <summary>A waiting job (scheduled for later, e.g. a retry's backoff) runs now.</summary>
    EnqueueNow,
}

/// <summary>The jobs of one state whose album (artist + title) or error message contains <see cref="Query"/>.</summary>
public sealed record JobFilter(JobState State, string? Query)
{
    public const int MaxQueryLength = 200;

    /// <summary>An ILIKE pattern with the user's %, _ and \ taken literally; null when there is nothing to search.</summary>
    public string? Pattern => string.IsNullOrWhiteSpace(Query) ? null
        : "%" + Query.Trim().Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
}

/// <summary>Either some jobs by id or every job matching a filter.</summary>
public sealed record JobSelection(IReadOnlyList<long>? Ids, JobFilter? Filter)
{
    public static JobSelection Of(params long[] ids) => new(ids, null);

    public static JobSelection Matching(JobFilter filter) => new(null, filter);
}

/// <summary>
/// Bulk job actions for people (the dashboard and its API). Each action is ONE statement however many jobs it
/// touches — the update, its job_events rows and the NOTIFY that wakes the workers — so "retry all 40,000 failed" is
/// as atomic as retrying one, and never a loop of round trips.
/// </summary>
public sealed class JobAdministration(NpgsqlDataSource dataSource)
{
    private static readonly string[] LiveStates = ["enqueued", "scheduled", "processing"];

    public async Task<int> ApplyAsync(JobAction action, JobSelection selection, string actor, CancellationToken cancellationToken)
    {
        var (from, to, reason) = action switch
        {
            JobAction.Retry => (new[] { "failed" }, "enqueued", "retried by " + actor),
            JobAction.Requeue => (new[] { "scheduled", "succeeded", "failed", "deleted" }, "enqueued", "requeued by " + actor),
            JobAction.Delete => (new[] { "enqueued", "scheduled", "succeeded", "failed" }, "deleted", "deleted by " + actor),
            JobAction.EnqueueNow => (new[] { "scheduled", "enqueued" }, "enqueued", "enqueued now by " + actor),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
        };
        if (selection.Ids is { Count: 0 })
        {
            return 0;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            return await connection.ExecuteScalarAsync<int>(new CommandDefinition(Sql, new
            {
                fromStates = from,
                toState = to,
                toLive = LiveStates.Contains(to),
                resetAttempt = action is JobAction.Retry or JobAction.Requeue,
                reason,
                ids = selection.Ids?.ToArray(),
                state = selection.Filter?.State.ToDb(),
                pattern = selection.Filter?.Pattern,
            }, cancellationToken: cancellationToken));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // A worker or an import queued one of these albums between our check and our update.
            throw new JobConflictException("Another job for one of these albums was queued at the same moment; nothing was changed. Try again.");
        }
    }

    /// <summary>
    /// target: the selected jobs in a state the action applies to. An action that makes a job live again takes only the
    /// newest job per album and skips albums that already have a live job, since an album has at most one
    /// (enrichment_jobs_one_live_per_album). The UPDATE re-checks the state, so a job that moved meanwhile is left alone.
    /// The NOTIFY is in the final SELECT because a CTE that nothing references is never run.
    /// </summary>
    internal const string Sql = """
        WITH target AS (
            SELECT j.id, row_number() OVER (PARTITION BY j.album_id ORDER BY j.id DESC) AS newest
            FROM enrichment_jobs j
            WHERE j.state = ANY(@fromStates)
              AND (@ids::bigint[] IS NULL OR j.id = ANY(@ids::bigint[]))
              AND (@state::text IS NULL OR j.state = @state::text)
              AND (@pattern::text IS NULL
                   OR j.album_id IN (SELECT a.id FROM albums a WHERE (a.artist || ' ' || a.title) ILIKE @pattern::text)
                   OR j.error_message ILIKE @pattern::text)
              AND (NOT @toLive OR NOT EXISTS (
                   SELECT 1 FROM enrichment_jobs l
                   WHERE l.album_id = j.album_id AND l.id <> j.id AND l.state IN ('enqueued', 'scheduled', 'processing')))
        ), changed AS (
            UPDATE enrichment_jobs j
            SET state = @toState,
                attempt = CASE WHEN @resetAttempt THEN 0 ELSE j.attempt END,
                run_at = CASE WHEN @toLive THEN now() ELSE j.run_at END,
                finished_at = CASE WHEN @toLive THEN NULL ELSE now() END,
                state_changed_at = now(),
                lease_token = NULL,
                lease_until = NULL,
                server_id = NULL,
                cancel_requested = false,
                reason = @reason,
                error_type = CASE WHEN @toLive THEN NULL ELSE j.error_type END,
                error_message = CASE WHEN @toLive THEN NULL ELSE j.error_message END
            FROM target
            WHERE j.id = target.id AND (NOT @toLive OR target.newest = 1) AND j.state = ANY(@fromStates)
            RETURNING j.id, j.attempt
        ), events AS (
            INSERT INTO job_events (job_id, state, reason, attempt)
            SELECT id, @toState, @reason, attempt FROM changed
        )
        SELECT (SELECT count(*) FROM changed)::int
             + 0 * (SELECT count(*) FROM (SELECT pg_notify('enrichment_jobs', 'admin') FROM (SELECT 1 FROM changed LIMIT 1) one) n)::int
        """;
}

/// <summary>The action collided with a concurrent change; retrying it is safe.</summary>
public sealed class JobConflictException(string message) : Exception(message);
