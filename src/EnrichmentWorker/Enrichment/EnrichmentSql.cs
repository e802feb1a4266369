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

    /// <summary>
    /// The release as fetched or read from the dump. A release from the dump (@releaseFiguresFetched false) carries no
    /// community or marketplace figures and no images, so it keeps the ones stored (from an earlier API fetch, or
    /// <see cref="ReleaseFiguresQueue"/>'s) rather than blank them.
    /// </summary>
    public const string ReleaseUpsert = """
        INSERT INTO discogs_releases (id, master_id, title, artists, year, released, country, formats, data_quality,
                                      community_have, community_want, rating_average, rating_count, lowest_price,
                                      num_for_sale, cover_image_url, thumbnail_url, images, tracklist, identifiers, fetched_at,
                                      figures_fetched_at)
        VALUES (@releaseRowId, @releaseMasterId, @releaseTitle, @releaseArtists, @releaseYear, @releaseReleased,
                @releaseCountry, @releaseFormats::jsonb, @releaseDataQuality, @releaseHave, @releaseWant,
                @releaseRatingAverage, @releaseRatingCount, @releaseLowestPrice, @releaseNumForSale, @coverImageUrl,
                @thumbnailUrl, @releaseImages::jsonb, @releaseTracklist::jsonb, @releaseIdentifiers::jsonb, now(),
                CASE WHEN @releaseFiguresFetched THEN now() END)
        ON CONFLICT (id) DO UPDATE SET
            master_id = EXCLUDED.master_id, title = EXCLUDED.title, artists = EXCLUDED.artists, year = EXCLUDED.year,
            released = EXCLUDED.released, country = EXCLUDED.country, formats = EXCLUDED.formats,
            data_quality = coalesce(EXCLUDED.data_quality, discogs_releases.data_quality),
            tracklist = EXCLUDED.tracklist, identifiers = EXCLUDED.identifiers, fetched_at = now(),
            community_have = CASE WHEN @releaseFiguresFetched THEN EXCLUDED.community_have ELSE discogs_releases.community_have END,
            community_want = CASE WHEN @releaseFiguresFetched THEN EXCLUDED.community_want ELSE discogs_releases.community_want END,
            rating_average = CASE WHEN @releaseFiguresFetched THEN EXCLUDED.rating_average ELSE discogs_releases.rating_average END,
            rating_count = CASE WHEN @releaseFiguresFetched THEN EXCLUDED.rating_count ELSE discogs_releases.rating_count END,
            lowest_price = CASE WHEN @releaseFiguresFetched THEN EXCLUDED.lowest_price ELSE discogs_releases.lowest_price END,
            num_for_sale = CASE WHEN @releaseFiguresFetched THEN EXCLUDED.num_for_sale ELSE discogs_releases.num_for_sale END,
            cover_image_url = CASE WHEN @releaseFiguresFetched THEN EXCLUDED.cover_image_url ELSE discogs_releases.cover_image_url END,
            thumbnail_url = CASE WHEN @releaseFiguresFetched THEN EXCLUDED.thumbnail_url ELSE discogs_releases.thumbnail_url END,
            images = CASE WHEN @releaseFiguresFetched THEN EXCLUDED.images ELSE discogs_releases.images END,
            figures_fetched_at = CASE WHEN @releaseFiguresFetched THEN now() ELSE discogs_releases.figures_fetched_at END
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
