-- The durable per-album job queue (the Hangfire.PostgreSql / River / Oban pattern; see README "Why not Hangfire").
CREATE TABLE enrichment_jobs (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    album_id         bigint      NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
    -- text with a CHECK rather than an enum type: Dapper sends strings as text, and an enum would need casts everywhere.
    state            text        NOT NULL DEFAULT 'enqueued'
                     CHECK (state IN ('enqueued', 'scheduled', 'processing', 'succeeded', 'failed', 'deleted')),
    -- null: the service's configured mode; otherwise 'genres' or 'full'.
    mode             text        CHECK (mode IN ('genres', 'full')),
    -- a forced run may overwrite a manual match decision.
    overwrite_manual boolean     NOT NULL DEFAULT false,
    attempt          integer     NOT NULL DEFAULT 0,
    run_at           timestamptz NOT NULL DEFAULT now(),
    created_at       timestamptz NOT NULL DEFAULT now(),
    state_changed_at timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    lease_token      uuid,
    lease_until      timestamptz,
    server_id        text,
    cancel_requested boolean     NOT NULL DEFAULT false,
    reason           text,
    error_type       text,
    error_message    text
);

-- One live job per album: enqueue is idempotent by ON CONFLICT on this index.
CREATE UNIQUE INDEX enrichment_jobs_one_live_per_album
    ON enrichment_jobs (album_id) WHERE state IN ('enqueued', 'scheduled', 'processing');
-- The claim query's path: ready jobs in run order.
CREATE INDEX enrichment_jobs_ready ON enrichment_jobs (run_at, id) WHERE state IN ('enqueued', 'scheduled');
-- The rescuer's path: leases that may have expired.
CREATE INDEX enrichment_jobs_leases ON enrichment_jobs (lease_until) WHERE state = 'processing';
-- Dashboard lists by state, newest first, with keyset paging.
CREATE INDEX enrichment_jobs_by_state ON enrichment_jobs (state, id DESC);
CREATE INDEX enrichment_jobs_by_album ON enrichment_jobs (album_id, id DESC);

CREATE TABLE job_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id          bigint      NOT NULL REFERENCES enrichment_jobs (id) ON DELETE CASCADE,
    at              timestamptz NOT NULL DEFAULT now(),
    state           text        NOT NULL,
    reason          text,
    server_id       text,
    attempt         integer,
    exception_type  text,
    message         text,
    stack_trace     text
);
CREATE INDEX job_events_by_job ON job_events (job_id, id);

-- The queue's own switch: paused by a person or by the service itself (an invalid Discogs token).
CREATE TABLE queue_state (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    paused      boolean     NOT NULL DEFAULT false,
    reason      text,
    paused_by   text,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO queue_state DEFAULT VALUES;

-- Running service instances, for the dashboard and for rescuing.
CREATE TABLE servers (
    id             text        PRIMARY KEY,
    host_name      text        NOT NULL,
    process_id     integer     NOT NULL,
    workers        integer     NOT NULL,
    started_at     timestamptz NOT NULL DEFAULT now(),
    heartbeat_at   timestamptz NOT NULL DEFAULT now()
);

-- Every new album is queued by the database itself, in the inserting statement's transaction, however it arrived
-- (import, HTTP, or another application's INSERT). Statement-level with a transition table, so a 100,000-row COPY
-- enqueues in one set-based statement rather than one trigger call per row.
CREATE FUNCTION enqueue_new_albums() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH queued AS (
        INSERT INTO enrichment_jobs (album_id)
        SELECT id FROM new_albums
        ON CONFLICT (album_id) WHERE state IN ('enqueued', 'scheduled', 'processing') DO NOTHING
        RETURNING id
    )
    INSERT INTO job_events (job_id, state, reason)
    SELECT id, 'enqueued', 'album added' FROM queued;
    IF FOUND THEN
        PERFORM pg_notify('enrichment_jobs', 'enqueued');
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER albums_enqueue_on_insert
    AFTER INSERT ON albums
    REFERENCING NEW TABLE AS new_albums
    FOR EACH STATEMENT EXECUTE FUNCTION enqueue_new_albums();

-- A re-import that changes what matching reads (artist, title, year, ids from tags) queues the album again.
CREATE FUNCTION enqueue_changed_albums() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH changed AS (
        SELECT n.id
        FROM new_albums n JOIN old_albums o ON o.id = n.id
        WHERE (n.artist, n.album_artist, n.title, n.year, n.catalog_number, n.barcode, n.discogs_release_id, n.discogs_master_id)
              IS DISTINCT FROM
              (o.artist, o.album_artist, o.title, o.year, o.catalog_number, o.barcode, o.discogs_release_id, o.discogs_master_id)
    ), queued AS (
        INSERT INTO enrichment_jobs (album_id)
        SELECT id FROM changed
        ON CONFLICT (album_id) WHERE state IN ('enqueued', 'scheduled', 'processing') DO NOTHING
        RETURNING id
    )
    INSERT INTO job_events (job_id, state, reason)
    SELECT id, 'enqueued', 'album tags changed' FROM queued;
    IF FOUND THEN
        PERFORM pg_notify('enrichment_jobs', 'enqueued');
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER albums_enqueue_on_update
    AFTER UPDATE ON albums
    REFERENCING OLD TABLE AS old_albums NEW TABLE AS new_albums
    FOR EACH STATEMENT EXECUTE FUNCTION enqueue_changed_albums();
