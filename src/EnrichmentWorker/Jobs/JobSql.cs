namespace EnrichmentWorker.Jobs;

/// <summary>
/// Every statement the queue's write path runs, one per intent, named noun-first (River's river_job.sql).
/// Times come from the database clock (now()) so that processes with skewed clocks still agree; delays are passed
/// as seconds and applied with make_interval, never spliced into the text.
/// </summary>
internal static class JobSql
{
    /// <summary>Idempotent: returns the album's live job, creating it if there is none.</summary>
    public const string JobEnqueue = """
        WITH inserted AS (
            INSERT INTO enrichment_jobs (album_id, mode, overwrite_manual)
            VALUES (@albumId, @mode, @overwriteManual)
            ON CONFLICT (album_id) WHERE state IN ('enqueued', 'scheduled', 'processing') DO NOTHING
            RETURNING id
        ), event AS (
            INSERT INTO job_events (job_id, state, reason)
            SELECT id, 'enqueued', @reason FROM inserted
        )
        SELECT id FROM inserted
        UNION ALL
        SELECT id FROM enrichment_jobs
        WHERE album_id = @albumId AND state IN ('enqueued', 'scheduled', 'processing')
        LIMIT 1
        """;

    /// <summary>
    /// Claims up to @limit ready jobs unless the queue is paused. SKIP LOCKED lets many workers in many processes
    /// claim at once without waiting on each other; the CTE's LIMIT runs before the UPDATE (Oban's "optimization fence").
    /// <paramref name="payload"/> is a <see cref="ClaimPayload"/>'s expression over the claimed row, or NULL.
    /// </summary>
    public static string JobClaim(string payload) => $"""
        WITH ready AS (
            SELECT id
            FROM enrichment_jobs
            WHERE state IN ('enqueued', 'scheduled')
              AND run_at <= now()
              AND NOT (SELECT paused FROM queue_state)
            ORDER BY run_at, id
            LIMIT @limit
            FOR UPDATE SKIP LOCKED
        ), claimed AS (
            UPDATE enrichment_jobs j
            SET state = 'processing',
                attempt = j.attempt + 1,
                lease_token = gen_random_uuid(),
                lease_until = now() + make_interval(secs => @leaseSeconds),
                server_id = @serverId,
                started_at = now(),
                state_changed_at = now(),
                cancel_requested = false
            FROM ready
            WHERE j.id = ready.id
            RETURNING j.id, j.album_id, j.attempt, j.mode, j.overwrite_manual, j.lease_token
        ), event AS (
            INSERT INTO job_events (job_id, state, reason, server_id, attempt)
            SELECT id, 'processing', 'claimed', @serverId, attempt FROM claimed
        )
        SELECT id AS Id, album_id AS AlbumId, attempt AS Attempt, @maxAttempts AS MaxAttempts, mode AS Mode,
               overwrite_manual AS OverwriteManual, lease_token AS LeaseToken, {payload} AS Payload
        FROM claimed
        """;

    /// <summary>Renews the leases this server still holds; returns the ones it holds and whether cancel was asked.</summary>
    public const string JobRenewLeases = """
        UPDATE enrichment_jobs
        SET lease_until = now() + make_interval(secs => @leaseSeconds)
        WHERE id = ANY(@ids) AND lease_token = ANY(@tokens) AND state = 'processing'
        RETURNING id AS Id, cancel_requested AS CancelRequested
        """;

    /// <summary>
    /// Moves a processing job to its next state, only if this worker still holds its lease. 0 rows: the lease was
    /// lost (rescued and maybe run elsewhere) and this run must not overwrite the newer one. Its parameters start with
    /// "job" so that a job's result writes (<see cref="JobResults"/>) can follow it in the same command.
    /// </summary>
    public const string JobFinishIfLeased = """
        WITH finished AS (
            UPDATE enrichment_jobs
            SET state = @jobState,
                attempt = attempt - @jobRefundAttempt,
                run_at = now() + make_interval(secs => @jobDelaySeconds),
                finished_at = CASE WHEN @jobState IN ('succeeded', 'failed', 'deleted') THEN now() END,
                state_changed_at = now(),
                lease_token = NULL,
                lease_until = NULL,
                reason = @jobReason,
                error_type = @jobErrorType,
                error_message = @jobErrorMessage
            WHERE id = @jobId AND state = 'processing' AND lease_token = @jobLeaseToken
            RETURNING id, attempt, server_id
        )
        INSERT INTO job_events (job_id, state, reason, server_id, attempt, exception_type, message, stack_trace)
        SELECT id, @jobState, @jobReason, server_id, attempt, @jobErrorType, @jobErrorMessage, @jobStackTrace FROM finished
        RETURNING job_id
        """;

    /// <summary>Puts back jobs whose lease expired (their process died or hung), spending the attempt they used.</summary>
    public const string JobRescueExpired = """
        WITH expired AS (
            SELECT id, server_id
            FROM enrichment_jobs
            WHERE state = 'processing' AND lease_until < now()
            ORDER BY lease_until
            LIMIT @limit
            FOR UPDATE SKIP LOCKED
        ), rescued AS (
            UPDATE enrichment_jobs j
            SET state = CASE WHEN j.attempt >= @maxAttempts THEN 'failed' ELSE 'enqueued' END,
                finished_at = CASE WHEN j.attempt >= @maxAttempts THEN now() END,
                run_at = now(),
                state_changed_at = now(),
                lease_token = NULL,
                lease_until = NULL,
                reason = 'lease expired on server ' || coalesce(expired.server_id, '?'),
                error_type = 'LeaseExpired',
                error_message = 'The worker running this job stopped renewing its lease (process killed or hung).'
            FROM expired
            WHERE j.id = expired.id
            RETURNING j.id, j.state, j.attempt, expired.server_id
        )
        INSERT INTO job_events (job_id, state, reason, server_id, attempt, exception_type, message)
        SELECT id, state, 'lease expired: rescued', server_id, attempt, 'LeaseExpired',
               'The worker running this job stopped renewing its lease (process killed or hung).'
        FROM rescued
        RETURNING job_id
        """;

    /// <summary>Deletes one batch of finished jobs older than the retention period; failed jobs are kept.</summary>
    public const string JobPruneBatch = """
        DELETE FROM enrichment_jobs
        WHERE id IN (
            SELECT id FROM enrichment_jobs
            WHERE state IN ('succeeded', 'deleted')
              AND finished_at < now() - make_interval(secs => @retentionSeconds)
            ORDER BY id
            LIMIT @limit
        )
        """;

    public const string JobsNotify = "SELECT pg_notify('enrichment_jobs', @reason)";

    // The service's own pause (a rejected token) never replaces a person's: the service lifts its own pauses by
    // itself, and would then lift the person's too.
    public const string QueuePause = """
        UPDATE queue_state SET paused = true, reason = @reason, paused_by = @pausedBy, changed_at = now()
        WHERE NOT paused
           OR (reason IS DISTINCT FROM @reason AND (@pausedBy = 'person' OR paused_by IS DISTINCT FROM 'person'))
        """;

    public const string QueueResume = """
        UPDATE queue_state SET paused = false, reason = NULL, paused_by = NULL, changed_at = now()
        WHERE paused AND (@onlyIfPausedBy::text IS NULL OR paused_by = @onlyIfPausedBy)
        """;

    public const string QueueStateGet = "SELECT paused AS Paused, reason AS Reason, paused_by AS PausedBy, changed_at AS ChangedAt FROM queue_state";

    /// <summary>
    /// What the queue gauges and the stall check read, each part on an index: jobs waiting, ready now, running, how
    /// long the oldest ready job has been due, and how long since the queue last moved: a job started or finished (in any
    /// process) or the queue was resumed.
    /// </summary>
    public const string QueueReading = """
        SELECT
            (SELECT count(*) FROM enrichment_jobs WHERE state IN ('enqueued', 'scheduled')) AS Waiting,
            (SELECT count(*) FROM enrichment_jobs WHERE state IN ('enqueued', 'scheduled') AND run_at <= now()) AS Ready,
            (SELECT count(*) FROM enrichment_jobs WHERE state = 'processing') AS Running,
            (SELECT extract(epoch FROM now() - min(run_at))::float8
             FROM enrichment_jobs WHERE state IN ('enqueued', 'scheduled') AND run_at <= now()) AS OldestReadySeconds,
            extract(epoch FROM now() - greatest(
                (SELECT max(started_at) FROM enrichment_jobs WHERE state = 'processing'),
                (SELECT max(finished_at) FROM enrichment_jobs WHERE finished_at IS NOT NULL),
                CASE WHEN NOT q.paused THEN q.changed_at END))::float8 AS SinceLastMovementSeconds,
            q.paused AS Paused, q.paused_by AS PausedBy, q.reason AS PauseReason
        FROM queue_state q
        """;

    public const string JobRequestCancel = """
        UPDATE enrichment_jobs SET cancel_requested = true WHERE id = @id AND state = 'processing'
        """;

    public const string ServerUpsert = """
        INSERT INTO servers (id, host_name, process_id, workers, started_at, heartbeat_at)
        VALUES (@id, @hostName, @processId, @workers, now(), now())
        ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), workers = EXCLUDED.workers
        """;

    public const string ServerDelete = "DELETE FROM servers WHERE id = @id";

    public const string ServerDeleteStale = "DELETE FROM servers WHERE heartbeat_at < now() - make_interval(secs => @timeoutSeconds)";
}
