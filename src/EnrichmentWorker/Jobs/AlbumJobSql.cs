namespace EnrichmentWorker.Jobs;

/// <summary>The project's side of the per-album jobs: album_jobs (one live job per album) and album_job_history.</summary>
internal static class AlbumJobSql
{
    public const string NotifyChannel = "album_jobs";

    /// <summary>
    /// The end of every statement that queues albums (here, <c>AlbumSelection</c>, <c>DumpMissRecheck</c>), after
    /// their CTE named <c>queued</c> that returns each album_id queued: a 'requested' history line per album, one
    /// NOTIFY that wakes the dispatcher of every process, and the number queued. The NOTIFY sits in the final SELECT
    /// because a CTE that nothing references is never run.
    /// </summary>
    public const string HistoryAndNotifyQueued = $"""
        , history AS (
            INSERT INTO album_job_history (album_id, state, reason)
            SELECT album_id, 'requested', @reason FROM queued
        )
        SELECT (SELECT count(*) FROM queued)::int
             + 0 * (SELECT count(*) FROM (SELECT pg_notify('{NotifyChannel}', 'requested') FROM (SELECT 1 FROM queued LIMIT 1) one) n)::int
        """;

    /// <summary>Queue albums, or mark a live one to run once more.</summary>
    public const string Request = $"""
        WITH queued AS (
            INSERT INTO album_jobs (album_id, mode, overwrite_manual, reason)
            SELECT id, @mode, @overwriteManual, @reason FROM albums WHERE id = ANY(@ids)
            ON CONFLICT (album_id) DO UPDATE
            SET rerun = album_jobs.hangfire_job_id IS NOT NULL,
                mode = excluded.mode,
                overwrite_manual = excluded.overwrite_manual,
                dump_only = false,
                reason = excluded.reason,
                requested_at = now()
            RETURNING album_id
        )
        {HistoryAndNotifyQueued}
        """;

    /// <summary>
    /// Albums to hand to Hangfire: new ones, and those asked for again whose job is no longer running (a failed job is
    /// requeued in place; one that is gone gets a new job). Locked, so two dispatchers never hand over one album twice.
    /// </summary>
    public const string ClaimForDispatch = """
        SELECT j.album_id AS AlbumId, a.artist AS Artist, a.title AS Title, j.hangfire_job_id AS JobId, hj.statename AS HangfireState
        FROM album_jobs j
        JOIN albums a ON a.id = j.album_id
        LEFT JOIN hangfire.job hj ON hj.id = j.hangfire_job_id
        WHERE j.album_id IN (
            (SELECT album_id FROM album_jobs WHERE hangfire_job_id IS NULL ORDER BY album_id LIMIT @batch)
            UNION ALL
            (SELECT album_id FROM album_jobs WHERE rerun ORDER BY album_id LIMIT @batch))
          AND (j.hangfire_job_id IS NULL OR hj.statename IS DISTINCT FROM 'Processing')
        ORDER BY j.album_id
        FOR UPDATE OF j SKIP LOCKED
        """;

    public const string RecordDispatched = """
        WITH handed AS (
            UPDATE album_jobs j SET hangfire_job_id = d.job_id, rerun = false, dispatched_at = now()
            FROM unnest(@albumIds::bigint[], @jobIds::bigint[]) AS d(album_id, job_id)
            WHERE j.album_id = d.album_id
            RETURNING j.album_id, j.hangfire_job_id
        )
        INSERT INTO album_job_history (album_id, hangfire_job_id, state, reason)
        SELECT album_id, hangfire_job_id, 'enqueued', 'handed to Hangfire' FROM handed
        """;

    /// <summary>The job's own row, if it is still the album's live job: what the run should do.</summary>
    public const string ReadClaim = """
        SELECT mode AS Mode, overwrite_manual AS OverwriteManual, dump_only AS DumpOnly FROM album_jobs WHERE album_id = @albumId AND hangfire_job_id = @jobId
        """;

    /// <summary>
    /// Appended to the results in the job's transaction: the album's job is done, unless it was asked for again while it
    /// ran (then it goes back to the dispatcher for one more run), and the history says what was decided.
    /// </summary>
    public const string Complete = """
        DELETE FROM album_jobs WHERE album_id = @albumId AND hangfire_job_id = @jobId AND NOT rerun;
        UPDATE album_jobs SET hangfire_job_id = NULL, rerun = false, dispatched_at = NULL, requested_at = now()
        WHERE album_id = @albumId AND hangfire_job_id = @jobId AND rerun;
        INSERT INTO album_job_history (album_id, hangfire_job_id, state, reason, attempt)
        SELECT @albumId, @jobId, w.state, w.reason, @attempt
        FROM unnest(@historyStates::text[], @historyReasons::text[]) WITH ORDINALITY AS w(state, reason, n)
        ORDER BY w.n;
        SELECT pg_notify('album_jobs', 'rerun') FROM album_jobs WHERE album_id = @albumId AND hangfire_job_id IS NULL
        """;

    public const string History = """
        INSERT INTO album_job_history (album_id, hangfire_job_id, state, reason, attempt, exception_type, message)
        VALUES (@albumId, @jobId, @state, @reason, @attempt, @exceptionType, @message)
        """;

    /// <summary>A person deleted the job in Hangfire: the album has no live job any more.</summary>
    public const string Forget = "DELETE FROM album_jobs WHERE hangfire_job_id = @jobId RETURNING album_id";

    public const string PruneHistory = "DELETE FROM album_job_history WHERE at < now() - make_interval(secs => @seconds)";

    /// <summary>
    /// What the queue gauges, the stall check, the progress line and the overview read: albums waiting (not running,
    /// not failed), ready now, running, failed, how long the oldest ready one has waited — one pass over the live albums
    /// and their Hangfire states — and how long since the queue last moved (a job finished in any process, or the queue
    /// was resumed), from the newest entry of album_job_history_finished.
    /// </summary>
    public const string QueueReading = """
        SELECT live.Waiting, live.Ready, live.Running, live.Failed, live.OldestReadySeconds,
               extract(epoch FROM now() - greatest(
                   (SELECT max(at) FROM album_job_history WHERE state IN ('succeeded', 'failed')),
                   CASE WHEN NOT q.paused THEN q.changed_at END))::float8 AS SinceLastMovementSeconds,
               q.paused AS Paused, q.paused_by AS PausedBy, q.reason AS PauseReason
        FROM queue_state q,
             (SELECT count(*) FILTER (WHERE hj.statename IS DISTINCT FROM 'Processing' AND hj.statename IS DISTINCT FROM 'Failed') AS Waiting,
                     count(*) FILTER (WHERE hj.statename IS NULL OR hj.statename = 'Enqueued') AS Ready,
                     count(*) FILTER (WHERE hj.statename = 'Processing') AS Running,
                     count(*) FILTER (WHERE hj.statename = 'Failed') AS Failed,
                     extract(epoch FROM now() - min(coalesce(j.dispatched_at, j.requested_at))
                         FILTER (WHERE hj.statename IS NULL OR hj.statename = 'Enqueued'))::float8 AS OldestReadySeconds
              FROM album_jobs j LEFT JOIN hangfire.job hj ON hj.id = j.hangfire_job_id) live
        """;

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
}
