-- Sharing the IP with other programs (see Discogs/BudgetPolicy): the adaptive back-off after a 429 (requests of the
-- window held back, and since when: it shrinks by one for every quiet stretch after that), and the foreign count the
-- last answer showed, which the next answer must confirm before it is taken for another program's use.
ALTER TABLE discogs_budget
    ADD COLUMN backoff           integer NOT NULL DEFAULT 0 CHECK (backoff >= 0),
    ADD COLUMN backoff_at        timestamptz,
    ADD COLUMN foreign_sample    integer NOT NULL DEFAULT 0 CHECK (foreign_sample >= 0),
    ADD COLUMN foreign_sample_at timestamptz;
