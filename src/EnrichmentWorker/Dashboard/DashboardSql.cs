namespace EnrichmentWorker.Dashboard;

/// <summary>
/// Every query the dashboard reads with, one per intent (STYLE 1, 13): the dashboard never reads through the
/// queue's write path. Each names the index that serves it (migrations 0004, 0006, 0009). Job lists, details and
/// servers are Hangfire's dashboard's (/hangfire).
/// </summary>
internal static class DashboardSql
{
    /// <summary>Jobs finished per minute over the last hour (album_job_history_recent): the live throughput graph.</summary>
    public const string ThroughputByMinute = """
        SELECT date_trunc('minute', at) AS At,
               count(*) FILTER (WHERE state = 'succeeded') AS Succeeded,
               count(*) FILTER (WHERE state = 'failed') AS Failed
        FROM album_job_history
        WHERE at > now() - make_interval(mins => @minutes) AND state IN ('succeeded', 'failed')
        GROUP BY 1
        ORDER BY 1
        """;

    /// <summary>Finished jobs per hour or day (album_job_history_recent); cached briefly by the caller.</summary>
    public const string HistoryByBucket = """
        SELECT date_trunc(@unit, at) AS At, count(*) AS Finished
        FROM album_job_history
        WHERE at > now() - make_interval(hours => @hours) AND state IN ('succeeded', 'failed')
        GROUP BY 1
        ORDER BY 1
        """;

    /// <summary>
    /// The current run for the ETA: it began when the oldest album still waiting was requested (the queue has not been
    /// empty since), looked at over the last @minutes at most; with nothing waiting, the last @minutes.
    /// </summary>
    public const string CurrentRun = """
        SELECT r.since AS Since,
               (SELECT count(*) FROM album_job_history h WHERE h.state = 'succeeded' AND h.at > r.since) AS Finished,
               now() AS Now
        FROM (SELECT greatest(now() - make_interval(mins => @minutes), (SELECT min(requested_at) FROM album_jobs)) AS since) r
        """;

    /// <summary>Hangfire servers alive now (its own registry; a killed one drops out after its server timeout).</summary>
    public const string Servers = "SELECT count(*)::int FROM hangfire.server";

    /// <summary>Requests per album over the latest decisions (album_matches_recent), for the budget-bound ETA.</summary>
    public const string RequestsPerAlbum = """
        SELECT avg(requests_spent)::float8 FROM (
            SELECT requests_spent FROM album_matches WHERE NOT manual ORDER BY matched_at DESC LIMIT 500
        ) recent
        """;

    /// <summary>The album's live job, if any, with its Hangfire state (album_jobs is keyed by album).</summary>
    public const string JobForAlbum = """
        SELECT j.hangfire_job_id AS HangfireJobId, coalesce(lower(hj.statename), 'waiting') AS State, j.rerun AS Rerun,
               j.reason AS Reason, j.requested_at AS RequestedAt
        FROM album_jobs j LEFT JOIN hangfire.job hj ON hj.id = j.hangfire_job_id
        WHERE j.album_id = @albumId
        """;

    /// <summary>The album's history, newest first (album_job_history_by_album).</summary>
    public const string HistoryForAlbum = """
        SELECT id AS Id, at AS At, state AS State, reason AS Reason, hangfire_job_id AS HangfireJobId, attempt AS Attempt,
               exception_type AS ExceptionType, message AS Message
        FROM album_job_history WHERE album_id = @albumId ORDER BY id DESC LIMIT 50
        """;

    /// <summary>Succeeded albums in the last day, for the overview (Hangfire keeps its succeeded jobs only a day).</summary>
    public const string SucceededLastDay = """
        SELECT count(*) FROM album_job_history WHERE at > now() - interval '1 day' AND state = 'succeeded'
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
}
