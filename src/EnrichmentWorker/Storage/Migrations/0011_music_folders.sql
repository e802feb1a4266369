-- The user's music folders as a source of albums (MusicFolders/). Albums found there live in `albums` like any
-- other (source = the root's path, source_key = a key from the album's tags, so a rename or move keeps the row).

-- An album whose folder is gone is kept, with its results, and marked missing until it comes back.
ALTER TABLE albums ADD COLUMN missing_since timestamptz;

-- What was read from each audio file, so a rescan reads only files whose size or modification time changed.
-- A file that could not be read keeps its reason here too, so it is not read (nor logged) again until it changes.
CREATE TABLE music_folder_files (
    root                text        NOT NULL,
    path                text        NOT NULL, -- relative to root, '/'-separated
    size                bigint      NOT NULL,
    modified_at         timestamptz NOT NULL,
    album               text,
    album_artist        text,
    artist              text,
    year                integer,
    disc                integer,
    compilation         boolean     NOT NULL DEFAULT false,
    catalog_number      text,
    barcode             text,
    discogs_release_id  bigint,
    musicbrainz_album_id text,
    problem             text,
    read_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (root, path)
);

-- One row per configured root: what its last scan saw, for the dashboard's library page.
CREATE TABLE music_folder_roots (
    root               text        PRIMARY KEY,
    files              integer     NOT NULL DEFAULT 0,
    other_files        integer     NOT NULL DEFAULT 0,
    albums             integer     NOT NULL DEFAULT 0,
    last_scan_at       timestamptz,
    last_scan_seconds  real,
    -- Set while the root cannot be read at all (an unmounted share): its albums are then left as they were.
    unavailable        text
);

-- Every file or folder the last scan could not use, with the reason; first_seen_at tells a new problem (logged
-- once) from one already known.
CREATE TABLE music_folder_problems (
    root           text        NOT NULL,
    path           text        NOT NULL,
    reason         text        NOT NULL,
    first_seen_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (root, path)
);
