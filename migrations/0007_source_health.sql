-- Each GitLab link's own health: a link that starts failing (an epic deleted, access revoked) is reported
-- on its own, while the group's other links keep syncing.

ALTER TABLE gitlab_sources ADD COLUMN last_ok_at TEXT;      -- the last fetch of this link that succeeded
ALTER TABLE gitlab_sources ADD COLUMN last_error TEXT;      -- why the latest fetch failed; NULL once one succeeds
ALTER TABLE gitlab_sources ADD COLUMN last_error_at TEXT;
