-- The needs-review list is ordered for the person reviewing it: highest best-candidate score first, then album id
-- (see Dashboard/DashboardSql.cs, NeedsReview). Partial on the status, so it holds only the albums waiting for a
-- person, and its expression matches the query's ORDER BY and keyset cursor, so each page is a short index scan
-- however many albums there are. It replaces 0006's index, which served the old album-id order and nothing else.
CREATE INDEX album_matches_needs_review ON album_matches ((coalesce(score, -1)) DESC, album_id DESC)
    WHERE status = 'needs_review';
DROP INDEX album_matches_by_status_album;
