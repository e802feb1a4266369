-- Indexes the dashboard's queries use, so every page stays fast with a million jobs (see Dashboard/DashboardSql.cs).

-- Search by artist/title and by error text with ILIKE '%words%': trigram GIN indexes serve infix matches that a
-- b-tree cannot. pg_trgm ships with PostgreSQL's contrib (Debian's postgresql package includes it) and is a trusted
-- extension since PostgreSQL 13, so the database owner may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX albums_search_trgm ON albums USING gin ((artist || ' ' || title) gin_trgm_ops);
CREATE INDEX enrichment_jobs_error_trgm ON enrichment_jobs USING gin (error_message gin_trgm_ops)
    WHERE error_message IS NOT NULL;

-- Throughput and history graphs count finished jobs by time; partial, so live jobs add nothing to it.
CREATE INDEX enrichment_jobs_finished ON enrichment_jobs (finished_at) WHERE finished_at IS NOT NULL;

-- Servers page: what each instance is processing now.
CREATE INDEX enrichment_jobs_processing_by_server ON enrichment_jobs (server_id, id) WHERE state = 'processing';

-- Needs-review list, newest album first, keyset-paged by album id.
CREATE INDEX album_matches_by_status_album ON album_matches (status, album_id DESC);
-- The ETA's "requests per album" reads the most recent decisions.
CREATE INDEX album_matches_recent ON album_matches (matched_at DESC);
