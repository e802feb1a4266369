namespace EnrichmentWorker.Dashboard;

/// <summary>
/// Every query the dashboard reads with, one per intent (STYLE 1, 13): the dashboard never reads through the
/// queue's write path. Each names the index that serves it at a million jobs (migrations 0002, 0004, 0006).
/// </summary>
internal static class DashboardSql
{
    /// <summary>
    /// Exact counts per state, but never more than @cap rows each: a LIMITed index-only scan of
    /// enrichment_jobs_by_state costs at most @cap tuples per state, where count(*) over a million-row state costs
    /// the whole index. States at the cap are then estimated from the planner's statistics (below).
    /// </summary>
    public const string JobCountsCapped = """
        SELECT s.state AS State, c.n AS Count
        FROM unnest(@states::text[]) AS s(state)
        CROSS JOIN LATERAL (
            SELECT count(*) AS n FROM (SELECT 1 FROM enrichment_jobs j WHERE j.state = s.state LIMIT @cap) capped
        ) c
        """;

    /// <summary>
    /// The planner's own estimate per state: reltuples (kept by autovacuum/ANALYZE) times the state's frequency in
    /// pg_stats. Costs nothing; close enough for a state holding more than the cap.
    /// </summary>
    public const string JobCountsEstimated = """
        SELECT u.state AS State, (u.freq * greatest(c.reltuples, 0))::bigint AS Count
        FROM pg_class c
        JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = 'enrichment_jobs' AND s.attname = 'state'
        CROSS JOIN LATERAL unnest(s.most_common_vals::text::text[], s.most_common_freqs) AS u(state, freq)
        WHERE c.oid = 'enrichment_jobs'::regclass
        """;

    /// <summary>Finished jobs per minute over the last hour (enrichment_jobs_finished): the live throughput graph.</summary>
    public const string ThroughputByMinute = """
        SELECT date_trunc('minute', finished_at) AS At,
               count(*) FILTER (WHERE state = 'succeeded') AS Succeeded,
               count(*) FILTER (WHERE state = 'failed') AS Failed
        FROM enrichment_jobs
        WHERE finished_at > now() - make_interval(mins => @minutes)
        GROUP BY 1
        ORDER BY 1
        """;

    /// <summary>Finished jobs per hour or day (index-only on enrichment_jobs_finished); cached briefly by the caller.</summary>
    public const string HistoryByBucket = """
        SELECT date_trunc(@unit, finished_at) AS At, count(*) AS Finished
        FROM enrichment_jobs
        WHERE finished_at > now() - make_interval(hours => @hours)
        GROUP BY 1
        ORDER BY 1
        """;

    public const string RecentRate = """
        SELECT count(*) FROM enrichment_jobs WHERE finished_at > now() - make_interval(mins => @minutes)
        """;

    /// <summary>Requests per album over the latest decisions (album_matches_recent), for the budget-bound ETA.</summary>
    public const string RequestsPerAlbum = """
        SELECT avg(requests_spent)::float8 FROM (
            SELECT requests_spent FROM album_matches WHERE NOT manual ORDER BY matched_at DESC LIMIT 500
        ) recent
        """;

    private const string JobColumns = """
        j.id AS Id, j.album_id AS AlbumId, a.artist AS Artist, a.title AS Title, a.year AS Year, j.state AS State,
        j.attempt AS Attempt, j.run_at AS RunAt, j.created_at AS CreatedAt, j.state_changed_at AS StateChangedAt,
        j.finished_at AS FinishedAt, j.server_id AS ServerId, j.reason AS Reason, j.error_type AS ErrorType,
        j.error_message AS ErrorMessage, j.cancel_requested AS CancelRequested, j.overwrite_manual AS OverwriteManual,
        j.mode AS Mode
        """;

    /// <summary>One state, newest first, keyset-paged on id (enrichment_jobs_by_state; never OFFSET).</summary>
    public const string JobsByState = $"""
        SELECT {JobColumns}
        FROM enrichment_jobs j JOIN albums a ON a.id = j.album_id
        WHERE j.state = @state AND j.id < @after
        ORDER BY j.id DESC
        LIMIT @limit
        """;

    /// <summary>
    /// One state, searched: the matching ids come from the trigram indexes (albums_search_trgm,
    /// enrichment_jobs_error_trgm) as a UNION, since an OR across the join could use neither.
    /// </summary>
    public const string JobsByStateSearched = $"""
        SELECT {JobColumns}
        FROM enrichment_jobs j JOIN albums a ON a.id = j.album_id
        WHERE j.state = @state AND j.id < @after
          AND j.id IN (
              SELECT m.id FROM enrichment_jobs m
              WHERE m.album_id IN (SELECT id FROM albums WHERE (artist || ' ' || title) ILIKE @pattern)
              UNION
              SELECT id FROM enrichment_jobs WHERE error_message ILIKE @pattern)
        ORDER BY j.id DESC
        LIMIT @limit
        """;

    public const string JobById = $"""
        SELECT {JobColumns}
        FROM enrichment_jobs j JOIN albums a ON a.id = j.album_id
        WHERE j.id = @id
        """;

    public const string JobEvents = """
        SELECT id AS Id, at AS At, state AS State, reason AS Reason, server_id AS ServerId, attempt AS Attempt,
               exception_type AS ExceptionType, message AS Message, stack_trace AS StackTrace
        FROM job_events WHERE job_id = @jobId ORDER BY id DESC LIMIT 200
        """;

    public const string JobsForAlbum = $"""
        SELECT {JobColumns}
        FROM enrichment_jobs j JOIN albums a ON a.id = j.album_id
        WHERE j.album_id = @albumId
        ORDER BY j.id DESC
        LIMIT 20
        """;

    public const string AlbumById = """
        SELECT id AS Id, source AS Source, source_key AS SourceKey, artist AS Artist, album_artist AS AlbumArtist,
               title AS Title, year AS Year, track_count AS TrackCount, catalog_number AS CatalogNumber,
               barcode AS Barcode, discogs_release_id AS DiscogsReleaseId, discogs_master_id AS DiscogsMasterId,
               added_at AS AddedAt, updated_at AS UpdatedAt, missing_since AS MissingSince
        FROM albums WHERE id = @albumId
        """;

    public const string MatchForAlbum = """
        SELECT album_id AS AlbumId, status AS Status, reason_code AS ReasonCode, reason AS Reason, master_id AS MasterId,
               release_id AS ReleaseId, score AS Score, title_score AS TitleScore, artist_score AS ArtistScore,
               year_score AS YearScore, candidates::text AS CandidatesJson, requests_spent AS RequestsSpent, mode AS Mode,
               manual AS Manual, decided_by AS DecidedBy, country AS Country, formats AS Formats,
               cover_image_url AS CoverImageUrl, thumbnail_url AS ThumbnailUrl, matched_at AS MatchedAt
        FROM album_matches WHERE album_id = @albumId
        """;

    public const string ReleaseForAlbum = """
        SELECT r.id AS Id, r.master_id AS MasterId, r.title AS Title, r.artists AS Artists, r.year AS Year,
               r.released AS Released, r.country AS Country, r.formats::text AS FormatsJson, r.data_quality AS DataQuality,
               r.community_have AS CommunityHave, r.community_want AS CommunityWant, r.rating_average AS RatingAverage,
               r.rating_count AS RatingCount, r.lowest_price AS LowestPrice, r.num_for_sale AS NumForSale,
               r.cover_image_url AS CoverImageUrl, r.thumbnail_url AS ThumbnailUrl, r.tracklist::text AS TracklistJson,
               r.identifiers::text AS IdentifiersJson, r.fetched_at AS FetchedAt
        FROM album_releases ar JOIN discogs_releases r ON r.id = ar.release_id
        WHERE ar.album_id = @albumId
        """;

    public const string MasterById = """
        SELECT id AS Id, title AS Title, artists AS Artists, year AS Year, main_release_id AS MainReleaseId,
               genres AS Genres, styles AS Styles
        FROM discogs_masters WHERE id = @masterId
        """;

    public const string LabelsForAlbum = """
        SELECT position AS Position, label_id AS LabelId, label_name AS Name, catno AS CatalogNumber
        FROM album_labels WHERE album_id = @albumId ORDER BY position
        """;

    public const string CreditsForAlbum = """
        SELECT position AS Position, name AS Name, anv AS Anv, role AS Role, artist_id AS ArtistId, tracks AS Tracks
        FROM album_credits WHERE album_id = @albumId ORDER BY position
        """;

    public const string GenresForAlbum = """
        SELECT genre AS Name, kind AS Kind, source AS Source
        FROM album_genres WHERE album_id = @albumId ORDER BY kind, genre, source
        """;

    /// <summary>
    /// Albums waiting for a person, highest best-candidate score first. A reviewer clears the list fastest from the
    /// top: the likeliest matches are one-click accepts, and each accept is an album enriched; the low scorers,
    /// which mostly end as "no match", sink to the end. Ties (and albums without a score, last) go by album id.
    /// Keyset-paged on (score, album id) through album_matches_needs_review (migration 0008), never OFFSET.
    /// </summary>
    public const string NeedsReview = """
        SELECT m.album_id AS AlbumId, a.artist AS Artist, a.title AS Title, a.year AS Year, m.reason AS Reason,
               m.score AS Score, m.candidates::text AS CandidatesJson, m.matched_at AS MatchedAt
        FROM album_matches m JOIN albums a ON a.id = m.album_id
        WHERE m.status = 'needs_review' AND (coalesce(m.score, -1), m.album_id) < (@score, @after)
        ORDER BY coalesce(m.score, -1) DESC, m.album_id DESC
        LIMIT @limit
        """;

    /// <summary>Each live instance and what it runs now (enrichment_jobs_processing_by_server).</summary>
    public const string Servers = """
        SELECT s.id AS Id, s.host_name AS HostName, s.process_id AS ProcessId, s.workers AS Workers,
               s.started_at AS StartedAt, s.heartbeat_at AS HeartbeatAt,
               extract(epoch FROM now() - s.heartbeat_at)::float8 AS HeartbeatAgeSeconds
        FROM servers s
        ORDER BY s.started_at
        """;

    public const string ProcessingOnServers = $"""
        SELECT {JobColumns}
        FROM enrichment_jobs j JOIN albums a ON a.id = j.album_id
        WHERE j.state = 'processing'
        ORDER BY j.server_id, j.id
        LIMIT 500
        """;
}
