namespace EnrichmentWorker.Jobs;

/// <summary>The project's side of the per-album jobs: album_jobs (one live job per album) and album_job_history.</summary>
internal static class AlbumJobSql
{
    public const string NotifyChannel = "album_jobs";

    /// <summary>
    /// Queue albums, or mark a live one to run once more. The NOTIFY sits in the final SELECT because a CTE that nothing
    /// references is never run.
    /// </summary>
    public const string Request = """
        WITH requested AS (
            INSERT INTO album_jobs (album_id, mode, overwrite_manual, reason)
            SELECT id, @mode, @overwriteManual, @reason FROM albums WHERE id = ANY(@ids)
            ON CONFLICT (album_id) DO UPDATE
            SET rerun = album_jobs.hangfire_job_id IS NOT NULL,
                mode = excluded.mode,
                overwrite_manual = excluded.overwrite_manual,
                reason = excluded.reason,
                requested_at = now()
            RETURNING album_id
        ), history AS (
            INSERT INTO album_job_history (album_id, state, reason)
            SELECT album_id, 'requested', @reason FROM requested
        )
        SELECT (SELECT count(*) FROM requested)::int
             + 0 * (SELECT count(*) FROM (SELECT pg_notify('album_jobs', 'requested') FROM (SELECT 1 FROM requested LIMIT 1) one) n)::int
        """;
}
