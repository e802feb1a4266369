namespace EnrichmentWorker.Library;

/// <summary>Every statement the library intake runs on <c>albums</c>, by name.</summary>
internal static class AlbumSql
{
    /// <summary>
    /// A per-transaction working table for the binary COPY (dropped at commit or rollback): COPY cannot upsert, so
    /// rows land here and one set-based statement merges them. Not schema DDL: it lives only in this session.
    /// </summary>
    public const string IntakeCreate = """
        CREATE TEMP TABLE album_intake (
            ord                 integer NOT NULL,
            source              text    NOT NULL,
            source_key          text    NOT NULL,
            artist              text    NOT NULL,
            album_artist        text,
            title               text    NOT NULL,
            year                integer,
            track_count         integer,
            catalog_number      text,
            barcode             text,
            discogs_release_id  bigint,
            discogs_master_id   bigint
        ) ON COMMIT DROP
        """;

    public const string IntakeCopy = """
        COPY album_intake (ord, source, source_key, artist, album_artist, title, year, track_count, catalog_number,
                           barcode, discogs_release_id, discogs_master_id)
        FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>
    /// Adds new albums and updates those whose tags changed, in one statement; an unchanged row is not touched at all,
    /// so neither its updated_at nor the update trigger (which re-queues on changed tags) sees it. New rows are queued
    /// by the insert trigger of 0002_job_queue. <c>xmax = 0</c> marks a row this statement inserted rather than
    /// updated (the usual PostgreSQL idiom; an updated row carries the updating transaction's id there).
    /// </summary>
    public const string AlbumUpsertFromIntake = """
        WITH written AS (
            INSERT INTO albums AS a (source, source_key, artist, album_artist, title, year, track_count, catalog_number,
                                     barcode, discogs_release_id, discogs_master_id)
            SELECT source, source_key, artist, album_artist, title, year, track_count, catalog_number,
                   barcode, discogs_release_id, discogs_master_id
            FROM album_intake
            ORDER BY ord
            ON CONFLICT (source, source_key) DO UPDATE SET
                artist = excluded.artist,
                album_artist = excluded.album_artist,
                title = excluded.title,
                year = excluded.year,
                track_count = excluded.track_count,
                catalog_number = excluded.catalog_number,
                barcode = excluded.barcode,
                discogs_release_id = excluded.discogs_release_id,
                discogs_master_id = excluded.discogs_master_id,
                updated_at = now()
            WHERE (a.artist, a.album_artist, a.title, a.year, a.track_count, a.catalog_number, a.barcode,
                   a.discogs_release_id, a.discogs_master_id)
                  IS DISTINCT FROM
                  (excluded.artist, excluded.album_artist, excluded.title, excluded.year, excluded.track_count,
                   excluded.catalog_number, excluded.barcode, excluded.discogs_release_id, excluded.discogs_master_id)
            RETURNING (xmax = 0) AS inserted
        )
        SELECT count(*) FILTER (WHERE inserted) AS Added,
               count(*) FILTER (WHERE NOT inserted) AS Updated
        FROM written
        """;

    /// <summary>
    /// One album as <see cref="StoredAlbum"/>: Dapper splits the row at Artist and AddedAt, so the middle columns are
    /// <see cref="AlbumTags"/>, by name and in its constructor's order.
    /// </summary>
    public const string AlbumGetById = """
        SELECT id AS Id, source AS Source, source_key AS SourceKey,
               artist AS Artist, album_artist AS AlbumArtist, title AS Title, year AS Year, track_count AS TrackCount,
               catalog_number AS CatalogNumber, barcode AS Barcode, discogs_release_id AS DiscogsReleaseId,
               discogs_master_id AS DiscogsMasterId,
               added_at AS AddedAt, updated_at AS UpdatedAt, missing_since AS MissingSince
        FROM albums
        WHERE id = @id
        """;
}
