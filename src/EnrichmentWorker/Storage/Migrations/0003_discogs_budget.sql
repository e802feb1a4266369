-- The Discogs request budget shared by every worker of every process on this database (see Discogs/DiscogsRequestBudget).
-- One row per budget; each request locks it, decides, and updates it in one short transaction.
CREATE TABLE discogs_budget (
    name              text        PRIMARY KEY,
    -- GCRA "theoretical arrival time": no request may start before it (null: never used).
    tat               timestamptz,
    -- When the most recent requests were granted (newest last, at most the limit kept): the exact count in any
    -- moving window, so an idle budget still respects what was sent in the last window.
    recent_grants     timestamptz[] NOT NULL DEFAULT '{}',
    -- After a 429 nobody sends before this (Retry-After).
    blocked_until     timestamptz,
    last_429_at       timestamptz,
    last_retry_after  interval,
    -- Requests the server counted in its window that were not ours (another program on the same IP), and until when
    -- that estimate holds.
    foreign_used      integer     NOT NULL DEFAULT 0 CHECK (foreign_used >= 0),
    foreign_until     timestamptz,
    -- The last X-Discogs-Ratelimit, -Used and -Remaining headers seen, for the dashboard and for the limit itself.
    server_limit      integer,
    server_used       integer,
    server_remaining  integer,
    server_seen_at    timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
