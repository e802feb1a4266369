-- Discogs' monthly data dumps, imported into tables of the service's own (Dumps/). Each entity's table is split
-- into two slots (list partitions 0 and 1): an import truncates and fills the slot not in use, and only when the
-- whole file has been read does one UPDATE of dump_installed point the entity at it. A half-imported or refused
-- dump is therefore never read, and the previous one keeps serving until the new one is complete. No DDL runs at
-- import time: TRUNCATE of one partition and COPY into it.

CREATE TABLE dump_installed (
    entity       text        PRIMARY KEY CHECK (entity IN ('artists', 'labels', 'masters', 'releases')),
    slot         smallint    NOT NULL CHECK (slot IN (0, 1)),
    dump_date    date        NOT NULL,
    file_name    text        NOT NULL,
    -- 'all', or 'library' for releases chosen by the library's artists and masters.
    scope        text        NOT NULL DEFAULT 'all' CHECK (scope IN ('all', 'library')),
    row_count    bigint      NOT NULL,
    seconds      real        NOT NULL,
    imported_at  timestamptz NOT NULL DEFAULT now()
);

-- The keys (artist_keys, title_key) are the matcher's own normalised forms (Matching/ArtistNormalizer,
-- TitleNormalizer: their compact spelling), computed at import so that a lookup is an index probe.
CREATE TABLE dump_masters (
    slot             smallint NOT NULL,
    id               bigint   NOT NULL,
    title            text     NOT NULL,
    artists          text[]   NOT NULL,
    artist_ids       bigint[] NOT NULL,
    year             integer,
    main_release_id  bigint,
    genres           text[]   NOT NULL,
    styles           text[]   NOT NULL,
    data_quality     text,
    title_key        text     NOT NULL,
    artist_keys      text[]   NOT NULL
) PARTITION BY LIST (slot);
CREATE TABLE dump_masters_0 PARTITION OF dump_masters FOR VALUES IN (0);
CREATE TABLE dump_masters_1 PARTITION OF dump_masters FOR VALUES IN (1);
CREATE INDEX dump_masters_by_id ON dump_masters (id);
CREATE INDEX dump_masters_by_title ON dump_masters (title_key);
CREATE INDEX dump_masters_by_artist ON dump_masters USING gin (artist_keys);

-- Releases keep what full enrichment writes: formats, labels with catalogue numbers, credits, tracklist (with
-- sub-tracks), identifiers, country. Only releases without a master carry lookup keys: a release with a master is
-- found through its master.
CREATE TABLE dump_releases (
    slot          smallint NOT NULL,
    id            bigint   NOT NULL,
    master_id     bigint,
    is_main       boolean  NOT NULL DEFAULT false,
    status        text,
    title         text     NOT NULL,
    artists       text[]   NOT NULL,
    artist_ids    bigint[] NOT NULL,
    year          integer,
    released      text,
    country       text,
    genres        text[]   NOT NULL,
    styles        text[]   NOT NULL,
    data_quality  text,
    notes         text,
    -- [{"name":"Vinyl","qty":"2","text":"","descriptions":["12\""]}]
    formats       jsonb    NOT NULL,
    -- [{"id":5,"name":"Svek","catno":"SK032"}]
    labels        jsonb    NOT NULL,
    -- [{"id":239,"name":"..","anv":"","join":"","role":"Music By","tracks":""}]
    extraartists  jsonb    NOT NULL,
    -- [{"position":"1","title":"..","duration":"7:00","type":"track","sub_tracks":[..]}]
    tracklist     jsonb    NOT NULL,
    -- [{"type":"Barcode","description":"","value":".."}]
    identifiers   jsonb    NOT NULL,
    -- [{"id":1,"name":"..","catno":"","entity_type":"23","entity_type_name":"Recorded At"}]
    companies     jsonb    NOT NULL,
    title_key     text,
    artist_keys   text[]
) PARTITION BY LIST (slot);
CREATE TABLE dump_releases_0 PARTITION OF dump_releases FOR VALUES IN (0);
CREATE TABLE dump_releases_1 PARTITION OF dump_releases FOR VALUES IN (1);
CREATE INDEX dump_releases_by_id ON dump_releases (id);
CREATE INDEX dump_releases_by_master ON dump_releases (master_id);
CREATE INDEX dump_releases_by_title ON dump_releases (title_key) WHERE title_key IS NOT NULL;
CREATE INDEX dump_releases_by_artist ON dump_releases USING gin (artist_keys) WHERE artist_keys IS NOT NULL;

-- Name variations widen the candidate lookup: an album tagged "Persuader" finds the masters of "The Persuader".
CREATE TABLE dump_artists (
    slot             smallint NOT NULL,
    id               bigint   NOT NULL,
    name             text     NOT NULL,
    real_name        text,
    name_variations  text[]   NOT NULL,
    aliases          text[]   NOT NULL,
    alias_ids        bigint[] NOT NULL,
    data_quality     text,
    -- The keys of the name and of every name variation.
    name_keys        text[]   NOT NULL
) PARTITION BY LIST (slot);
CREATE TABLE dump_artists_0 PARTITION OF dump_artists FOR VALUES IN (0);
CREATE TABLE dump_artists_1 PARTITION OF dump_artists FOR VALUES IN (1);
CREATE INDEX dump_artists_by_id ON dump_artists (id);
CREATE INDEX dump_artists_by_name ON dump_artists USING gin (name_keys);

CREATE TABLE dump_labels (
    slot              smallint NOT NULL,
    id                bigint   NOT NULL,
    name              text     NOT NULL,
    parent_label_id   bigint,
    parent_label      text,
    sublabels         text[]   NOT NULL,
    data_quality      text
) PARTITION BY LIST (slot);
CREATE TABLE dump_labels_0 PARTITION OF dump_labels FOR VALUES IN (0);
CREATE TABLE dump_labels_1 PARTITION OF dump_labels FOR VALUES IN (1);
CREATE INDEX dump_labels_by_id ON dump_labels (id);

-- Which source decided a match: the Discogs API, or the imported dump (no request spent).
ALTER TABLE album_matches ADD COLUMN match_source text NOT NULL DEFAULT 'api' CHECK (match_source IN ('api', 'dump'));
