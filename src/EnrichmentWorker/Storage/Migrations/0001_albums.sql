-- The integration point for a music library. Another application may INSERT here directly: only artist and
-- title are required, and a row without a source is keyed by a fresh uuid so it never collides.
CREATE TABLE albums (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source              text        NOT NULL DEFAULT 'sql',
    source_key          text        NOT NULL DEFAULT gen_random_uuid()::text,
    artist              text        NOT NULL,
    album_artist        text,
    title               text        NOT NULL,
    year                integer,
    track_count         integer,
    catalog_number      text,
    barcode             text,
    discogs_release_id  bigint,
    discogs_master_id   bigint,
    added_at            timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT albums_source_key_unique UNIQUE (source, source_key),
    CONSTRAINT albums_title_not_blank CHECK (btrim(title) <> ''),
    CONSTRAINT albums_artist_not_blank CHECK (btrim(artist) <> ''),
    CONSTRAINT albums_year_plausible CHECK (year IS NULL OR year BETWEEN 1000 AND 2100),
    CONSTRAINT albums_track_count_positive CHECK (track_count IS NULL OR track_count BETWEEN 1 AND 10000),
    CONSTRAINT albums_discogs_ids_positive CHECK (coalesce(discogs_release_id, 1) > 0 AND coalesce(discogs_master_id, 1) > 0)
);
