namespace EnrichmentWorker.Enrichment;

/// <summary>The statements that read an album for its job and write what the job found. Every write is an upsert or a
/// replace keyed by album, so a job that runs twice leaves the same rows. The writes go to the database as one
/// multi-statement command (one round trip), so their parameter names are unique across them: labels', credits',
/// the master's and the release's carry that prefix.</summary>
internal static class EnrichmentSql
{
    // Dapper splits the row at Artist: the columns before it are the album's id and any manual decision, the columns
    // from it on are AlbumTags, by name and in its constructor's order.
    private const string AlbumForEnrichment = """
        SELECT a.id AS Id, m.manual AS Manual, m.status AS ManualStatus, m.master_id AS ManualMasterId, m.release_id AS ManualReleaseId,
               a.artist AS Artist, a.album_artist AS AlbumArtist, a.title AS Title, a.year AS Year, a.track_count AS TrackCount,
               a.catalog_number AS CatalogNumber, a.barcode AS Barcode, a.discogs_release_id AS DiscogsReleaseId,
               a.discogs_master_id AS DiscogsMasterId
        FROM albums a
        LEFT JOIN album_matches m ON m.album_id = a.id AND m.manual
        """;

    public const string AlbumGetForEnrichment = AlbumForEnrichment + "\nWHERE a.id = @albumId";

    /// <summary>Which source decided (migration 0012): its own statement, after the upsert, so the upsert stays as it is.</summary>
    public const string AlbumMatchSource = "UPDATE album_matches SET match_source = @matchSource WHERE album_id = @albumId";

    public const string AlbumMatchUpsert = """
        INSERT INTO album_matches (album_id, status, reason_code, reason, master_id, release_id, score, title_score,
                                   artist_score, year_score, candidates, requests_spent, mode, manual, decided_by,
                                   country, formats, cover_image_url, thumbnail_url, matched_at)
        VALUES (@albumId, @status, @reasonCode, @reason, @masterId, @releaseId, @score, @titleScore, @artistScore,
                @yearScore, @candidates::jsonb, @requestsSpent, @mode, @manual, @decidedBy, @country, @formats,
                @coverImageUrl, @thumbnailUrl, now())
        ON CONFLICT (album_id) DO UPDATE SET
            status = EXCLUDED.status, reason_code = EXCLUDED.reason_code, reason = EXCLUDED.reason,
            master_id = EXCLUDED.master_id, release_id = EXCLUDED.release_id, score = EXCLUDED.score,
            title_score = EXCLUDED.title_score, artist_score = EXCLUDED.artist_score, year_score = EXCLUDED.year_score,
            candidates = CASE WHEN EXCLUDED.manual THEN album_matches.candidates ELSE EXCLUDED.candidates END,
            requests_spent = EXCLUDED.requests_spent, mode = EXCLUDED.mode, manual = EXCLUDED.manual,
            decided_by = EXCLUDED.decided_by, country = EXCLUDED.country, formats = EXCLUDED.formats,
            cover_image_url = EXCLUDED.cover_image_url, thumbnail_url = EXCLUDED.thumbnail_url, matched_at = now()
        """;

    /// <summary>What the Discogs data says about a match a person decided (EnrichmentWriter.DiscogsData); the rest of the row is theirs.</summary>
    public const string AlbumMatchDiscogsFacts = """
        UPDATE album_matches SET country = @country, formats = @formats, cover_image_url = @coverImageUrl, thumbnail_url = @thumbnailUrl
        WHERE album_id = @albumId
        """;

    public const string AlbumGenresDelete = "DELETE FROM album_genres WHERE album_id = @albumId";

    public const string AlbumGenresInsert = """
        INSERT INTO album_genres (album_id, genre, kind, source)
        SELECT @albumId, g, k, s FROM unnest(@genres::text[], @kinds::text[], @sources::text[]) AS t(g, k, s)
        ON CONFLICT DO NOTHING
        """;

    public const string AlbumLabelsDelete = "DELETE FROM album_labels WHERE album_id = @albumId";

    public const string LabelsUpsert = """
        INSERT INTO labels (id, name)
        SELECT DISTINCT ON (id) id, name FROM unnest(@labelIds::bigint[], @labelNames::text[]) AS t(id, name) WHERE id IS NOT NULL
        ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name
        """;

    public const string AlbumLabelsInsert = """
        INSERT INTO album_labels (album_id, position, label_id, label_name, catno)
        SELECT @albumId, ordinality::int, id, name, catno
        FROM unnest(@labelIds::bigint[], @labelNames::text[], @labelCatnos::text[]) WITH ORDINALITY AS t(id, name, catno, ordinality)
        """;

    public const string AlbumCreditsDelete = "DELETE FROM album_credits WHERE album_id = @albumId";

    public const string AlbumCreditsInsert = """
        INSERT INTO album_credits (album_id, position, name, anv, role, artist_id, tracks)
        SELECT @albumId, ordinality::int, name, anv, role, artist_id, tracks
        FROM unnest(@creditNames::text[], @creditAnvs::text[], @creditRoles::text[], @creditArtistIds::bigint[], @creditTracks::text[])
             WITH ORDINALITY AS t(name, anv, role, artist_id, tracks, ordinality)
        """;

    public const string ReleaseUpsert = """
        INSERT INTO discogs_releases (id, master_id, title, artists, year, released, country, formats, data_quality,
                                      community_have, community_want, rating_average, rating_count, lowest_price,
                                      num_for_sale, cover_image_url, thumbnail_url, images, tracklist, identifiers, fetched_at)
        VALUES (@releaseRowId, @releaseMasterId, @releaseTitle, @releaseArtists, @releaseYear, @releaseReleased,
                @releaseCountry, @releaseFormats::jsonb, @releaseDataQuality, @releaseHave, @releaseWant,
                @releaseRatingAverage, @releaseRatingCount, @releaseLowestPrice, @releaseNumForSale, @coverImageUrl,
                @thumbnailUrl, @releaseImages::jsonb, @releaseTracklist::jsonb, @releaseIdentifiers::jsonb, now())
        ON CONFLICT (id) DO UPDATE SET
            master_id = EXCLUDED.master_id, title = EXCLUDED.title, artists = EXCLUDED.artists, year = EXCLUDED.year,
            released = EXCLUDED.released, country = EXCLUDED.country, formats = EXCLUDED.formats,
            data_quality = EXCLUDED.data_quality, community_have = EXCLUDED.community_have,
            community_want = EXCLUDED.community_want, rating_average = EXCLUDED.rating_average,
            rating_count = EXCLUDED.rating_count, lowest_price = EXCLUDED.lowest_price, num_for_sale = EXCLUDED.num_for_sale,
            cover_image_url = EXCLUDED.cover_image_url, thumbnail_url = EXCLUDED.thumbnail_url, images = EXCLUDED.images,
            tracklist = EXCLUDED.tracklist, identifiers = EXCLUDED.identifiers, fetched_at = now()
        """;

    public const string AlbumReleaseUpsert = """
        INSERT INTO album_releases (album_id, release_id) VALUES (@albumId, @releaseRowId)
        ON CONFLICT (album_id) DO UPDATE SET release_id = EXCLUDED.release_id
        """;

    public const string AlbumReleaseDelete = "DELETE FROM album_releases WHERE album_id = @albumId";

    public const string MasterUpsert = """
        INSERT INTO discogs_masters (id, title, artists, year, main_release_id, genres, styles, fetched_at)
        VALUES (@masterRowId, @masterTitle, @masterArtists, @masterYear, @masterMainReleaseId, @masterGenres, @masterStyles, now())
        ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, artists = EXCLUDED.artists, year = EXCLUDED.year,
            main_release_id = EXCLUDED.main_release_id, genres = EXCLUDED.genres, styles = EXCLUDED.styles, fetched_at = now()
        """;
}
