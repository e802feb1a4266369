-- A job that only asks the installed dump (issue 17): queued for the misses when a newer dump is installed. It spends
-- no request, and it changes an album's result only when the dump now matches the album (Dumps/DumpMissRecheck).
ALTER TABLE album_jobs ADD COLUMN dump_only boolean NOT NULL DEFAULT false;
