-- The other names Discogs knows an artist by (name variations and alias names from /artists/{id}), learned when the
-- artist gate alone rejected a candidate whose title and year agreed (see Matching/AlbumMatcher). Kept across
-- restarts so an artist costs one /artists request ever. Keyed by the name as a search hit writes it (hits carry no
-- artist id), with the id it was fetched under.
CREATE TABLE discogs_artist_names (
    discogs_name text        PRIMARY KEY,
    artist_id    bigint      NOT NULL CHECK (artist_id > 0),
    other_names  text[]      NOT NULL,
    fetched_at   timestamptz NOT NULL DEFAULT now()
);
