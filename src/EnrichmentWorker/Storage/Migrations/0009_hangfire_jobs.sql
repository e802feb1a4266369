-- The per-album jobs move to Hangfire (schema "hangfire", created and upgraded by Hangfire.PostgreSql itself).
-- What Hangfire lacks stays here: one live job per album (album_jobs, keyed by album) and the album's enrichment
-- history (album_job_history), which outlives Hangfire's expiry of finished jobs.

-- One row per album that has a live job: waiting to be handed to Hangfire (hangfire_job_id IS NULL), or handed to it
-- and not finished (enqueued, processing, scheduled for a retry, or failed and waiting for a person). The row goes
-- when the job succeeds or is deleted. "rerun": the album was asked for again while its job was live, so it runs
-- once more after this one (a changed tag, enqueue --force, a person's retry).
CREATE TABLE album_jobs (
    album_id          bigint      PRIMARY KEY REFERENCES albums (id) ON DELETE CASCADE,
    hangfire_job_id   bigint,
    mode              text        CHECK (mode IN ('genres', 'full')),
    overwrite_manual  boolean     NOT NULL DEFAULT false,
    rerun             boolean     NOT NULL DEFAULT false,
    reason            text,
    requested_at      timestamptz NOT NULL DEFAULT now(),
    dispatched_at     timestamptz
);
-- The dispatcher's path: albums not yet handed to Hangfire, oldest first.
CREATE INDEX album_jobs_pending ON album_jobs (album_id) WHERE hangfire_job_id IS NULL;
CREATE UNIQUE INDEX album_jobs_by_hangfire_job ON album_jobs (hangfire_job_id) WHERE hangfire_job_id IS NOT NULL;
CREATE INDEX album_jobs_rerun ON album_jobs (album_id) WHERE rerun;

-- What was decided when and by whom, per album (Hangfire keeps a job's own states only until it expires).
CREATE TABLE album_job_history (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    album_id         bigint      NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
    hangfire_job_id  bigint,
    at               timestamptz NOT NULL DEFAULT now(),
    state            text        NOT NULL,
    reason           text,
    attempt          integer,
    exception_type   text,
    message          text
);
CREATE INDEX album_job_history_by_album ON album_job_history (album_id, id DESC);
CREATE INDEX album_job_history_recent ON album_job_history (at DESC);

-- Upgrade: the old queue's live jobs become album_jobs rows (the dispatcher hands them to Hangfire at start), and the
-- old history is kept per album.
INSERT INTO album_jobs (album_id, mode, overwrite_manual, reason, requested_at)
SELECT DISTINCT ON (album_id) album_id, mode, overwrite_manual, 'carried over from the previous job queue', created_at
FROM enrichment_jobs
WHERE state IN ('enqueued', 'scheduled', 'processing', 'failed')
ORDER BY album_id, id DESC;

INSERT INTO album_job_history (album_id, at, state, reason, attempt, exception_type, message)
SELECT j.album_id, e.at, e.state, e.reason, e.attempt, e.exception_type, e.message
FROM job_events e JOIN enrichment_jobs j ON j.id = e.job_id
ORDER BY e.id;

DROP TRIGGER albums_enqueue_on_insert ON albums;
DROP TRIGGER albums_enqueue_on_update ON albums;
DROP FUNCTION enqueue_new_albums();
DROP FUNCTION enqueue_changed_albums();
DROP TABLE job_events;
DROP TABLE enrichment_jobs;
DROP TABLE servers;

-- Every new album gets its job row in the inserting statement's transaction, however it arrived (import, HTTP, a
-- scanned folder, another application's INSERT), and a NOTIFY wakes the dispatcher. Statement-level with a
-- transition table, so a 100,000-row COPY queues in one set-based statement.
CREATE FUNCTION album_jobs_for_new_albums() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH queued AS (
        INSERT INTO album_jobs (album_id, reason)
        SELECT id, 'album added' FROM new_albums
        ON CONFLICT (album_id) DO NOTHING
        RETURNING album_id
    )
    INSERT INTO album_job_history (album_id, state, reason)
    SELECT album_id, 'requested', 'album added' FROM queued;
    IF FOUND THEN
        PERFORM pg_notify('album_jobs', 'added');
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER albums_job_on_insert
    AFTER INSERT ON albums
    REFERENCING NEW TABLE AS new_albums
    FOR EACH STATEMENT EXECUTE FUNCTION album_jobs_for_new_albums();

-- A re-import that changes what matching reads queues the album again; if its job is live, it runs once more after.
CREATE FUNCTION album_jobs_for_changed_albums() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH changed AS (
        SELECT n.id
        FROM new_albums n JOIN old_albums o ON o.id = n.id
        WHERE (n.artist, n.album_artist, n.title, n.year, n.catalog_number, n.barcode, n.discogs_release_id, n.discogs_master_id)
              IS DISTINCT FROM
              (o.artist, o.album_artist, o.title, o.year, o.catalog_number, o.barcode, o.discogs_release_id, o.discogs_master_id)
    ), queued AS (
        INSERT INTO album_jobs (album_id, reason)
        SELECT id, 'album tags changed' FROM changed
        ON CONFLICT (album_id) DO UPDATE SET rerun = album_jobs.hangfire_job_id IS NOT NULL, reason = excluded.reason
        RETURNING album_id
    )
    INSERT INTO album_job_history (album_id, state, reason)
    SELECT album_id, 'requested', 'album tags changed' FROM queued;
    IF FOUND THEN
        PERFORM pg_notify('album_jobs', 'changed');
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER albums_job_on_update
    AFTER UPDATE ON albums
    REFERENCING OLD TABLE AS old_albums NEW TABLE AS new_albums
    FOR EACH STATEMENT EXECUTE FUNCTION album_jobs_for_changed_albums();
