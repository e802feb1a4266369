-- What enrichment found, album by album. Every table is keyed by album (or by Discogs id for shared Discogs
-- entities) and written with upserts in the job's completing transaction, so a job that runs twice leaves the
-- same rows and a crash loses nothing already committed.

CREATE TABLE album_matches (
    album_id        bigint      PRIMARY KEY REFERENCES albums (id) ON DELETE CASCADE,
    status          text        NOT NULL CHECK (status IN ('matched', 'needs_review', 'no_match')),
    -- machine-readable reason code (e.g. 'clear_winner', 'ambiguous', 'artist_mismatch') and the human sentence.
    reason_code     text        NOT NULL,
    reason          text        NOT NULL,
    master_id       bigint,
    release_id      bigint,
    score           real,
    title_score     real,
    artist_score    real,
    year_score      real,
    -- Every candidate considered, best first: [{"kind":"master"|"release","id":1,"masterId":1,"title":"..",
    --  "artists":[".."],"year":1997,"masterYear":1997,"scores":{"title":1,"artist":1,"year":1,"total":1},
    --  "rejected":null|"reason"}]. The dashboard shows why a decision was made from this.
    candidates      jsonb       NOT NULL DEFAULT '[]',
    requests_spent  integer     NOT NULL DEFAULT 0,
    mode            text        NOT NULL CHECK (mode IN ('genres', 'full')),
    -- A person's decision ("use this candidate" / "no match") is kept: a forced re-run leaves it unless asked.
    manual          boolean     NOT NULL DEFAULT false,
    decided_by      text        NOT NULL DEFAULT 'matcher',
    -- Release facts known from the search result even in 'genres' mode.
    country         text,
    formats         text[]      NOT NULL DEFAULT '{}',
    cover_image_url text,
    thumbnail_url   text,
    matched_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX album_matches_by_status ON album_matches (status, matched_at);

CREATE TABLE discogs_masters (
    id               bigint      PRIMARY KEY,
    title            text        NOT NULL,
    artists          text[]      NOT NULL DEFAULT '{}',
    year             integer,
    main_release_id  bigint,
    genres           text[]      NOT NULL DEFAULT '{}',
    styles           text[]      NOT NULL DEFAULT '{}',
    fetched_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE discogs_releases (
    id               bigint      PRIMARY KEY,
    master_id        bigint,
    title            text        NOT NULL,
    artists          text[]      NOT NULL DEFAULT '{}',
    year             integer,
    released         text,
    country          text,
    -- [{"name":"Vinyl","qty":"1","descriptions":["LP","Album"]}]
    formats          jsonb       NOT NULL DEFAULT '[]',
    data_quality     text,
    community_have   integer,
    community_want   integer,
    rating_average   real,
    rating_count     integer,
    lowest_price     numeric(12, 2),
    num_for_sale     integer,
    cover_image_url  text,
    thumbnail_url    text,
    -- [{"type":"primary","uri":"..","uri150":"..","width":600,"height":600}]
    images           jsonb       NOT NULL DEFAULT '[]',
    -- [{"position":"A1","title":"..","duration":"3:45","type":"track"}]
    tracklist        jsonb       NOT NULL DEFAULT '[]',
    -- [{"type":"Barcode","value":".."}]
    identifiers      jsonb       NOT NULL DEFAULT '[]',
    fetched_at       timestamptz NOT NULL DEFAULT now()
);

-- Which release an album was enriched from (full mode fetches it; genres mode has only the search result).
CREATE TABLE album_releases (
    album_id    bigint PRIMARY KEY REFERENCES albums (id) ON DELETE CASCADE,
    release_id  bigint NOT NULL REFERENCES discogs_releases (id)
);

CREATE TABLE labels (
    id    bigint PRIMARY KEY,
    name  text   NOT NULL
);

CREATE TABLE album_labels (
    album_id    bigint  NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
    position    integer NOT NULL,
    label_id    bigint  REFERENCES labels (id),
    label_name  text    NOT NULL,
    catno       text,
    PRIMARY KEY (album_id, position)
);

CREATE TABLE album_credits (
    album_id    bigint  NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
    position    integer NOT NULL,
    name        text    NOT NULL,
    anv         text,
    role        text    NOT NULL,
    artist_id   bigint,
    tracks      text,
    PRIMARY KEY (album_id, position)
);

-- The table the playlist pipeline reads: one row per genre or style, and where it came from.
CREATE TABLE album_genres (
    album_id  bigint NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
    genre     text   NOT NULL,
    source    text   NOT NULL CHECK (source IN ('discogs_release', 'discogs_master')),
    kind      text   NOT NULL DEFAULT 'genre' CHECK (kind IN ('genre', 'style')),
    PRIMARY KEY (album_id, kind, genre, source)
);
CREATE INDEX album_genres_by_genre ON album_genres (genre);
