-- The overview, the progress line and the stall check read the finished part of album_job_history (succeeded and
-- failed jobs: the queue's last movement, jobs done in the last day, the current run, throughput): at 100,000 albums
-- and their history a scan of the whole table took ~200 ms per read. Finished entries are a third of the rows.
CREATE INDEX album_job_history_finished ON album_job_history (at, state) WHERE state IN ('succeeded', 'failed');
