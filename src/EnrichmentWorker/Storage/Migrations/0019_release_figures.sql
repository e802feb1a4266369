-- The Discogs dumps hold no community figures (have, want, rating), no marketplace figures (lowest price, copies for
-- sale) and no images. A release written from the dump has figures_fetched_at NULL: the recurring job
-- "fetch-release-figures" asks the API for those (one request per release, after the albums waiting), and an API
-- fetch sets it. figures_requested_at keeps a release from being queued twice while its job waits.
ALTER TABLE discogs_releases
    ADD COLUMN figures_fetched_at   timestamptz,
    ADD COLUMN figures_requested_at timestamptz;

-- Releases fetched from the API before this migration have their figures already.
UPDATE discogs_releases SET figures_fetched_at = fetched_at
WHERE community_have IS NOT NULL OR rating_count IS NOT NULL OR num_for_sale IS NOT NULL OR images <> '[]';

CREATE INDEX discogs_releases_figures_missing ON discogs_releases (id) WHERE figures_fetched_at IS NULL;
