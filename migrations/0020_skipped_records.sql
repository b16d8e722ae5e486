-- The records GitLab sent that a link's last good fetch could not understand and left out (one odd
-- record is a warning naming it, not a failed sync): how many, and their names, for /healthz.

ALTER TABLE gitlab_sources ADD COLUMN last_skipped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE gitlab_sources ADD COLUMN last_skipped_records TEXT;  -- JSON array of one line per record, capped
