-- The album list (Dashboard/Albums): searched with accents and case folded, as the matcher folds them ("bjork" finds
-- Björk, "motorhead" finds Motörhead), filtered by outcome and by genre or style, keyset-paged newest album first.

-- unaccent ships with PostgreSQL's contrib like pg_trgm (0006) and is a trusted extension since PostgreSQL 13.
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (its dictionary could be changed), so it cannot index an expression itself. This wrapper
-- names the dictionary and, as a SQL-standard body, binds the function and dictionary when it is created: no
-- search_path can make the index and a query fold differently. The list query folds the search text with the same
-- function, so both sides always agree.
CREATE FUNCTION album_search_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(unaccent('unaccent'::regdictionary, value));

-- Infix search on the folded "artist title": trigrams, as 0006 does for the unfolded text.
CREATE INDEX albums_search_folded_trgm ON albums USING gin (album_search_fold(artist || ' ' || title) gin_trgm_ops);

-- Browse by outcome, newest album first: an index range per status, read backwards from the cursor.
CREATE INDEX album_matches_by_status_album ON album_matches (status, album_id DESC);

-- Browse by genre or style, newest album first.
CREATE INDEX album_genres_by_genre_album ON album_genres (genre, album_id DESC);
