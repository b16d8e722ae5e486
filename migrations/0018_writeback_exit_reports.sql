-- Follow-through (#16, parts 4 and 5).
--
-- handbook_writebacks: where a group's handbook page lives in HANDBOOK_PROJECT when the rule that maps the
-- imported page to a file gets it wrong (file_path, set by `wgbot writeback <slug> --path`), and the merge
-- request wgbot last opened or updated for it. One row per group; the MR itself is found again by its
-- deterministic branch, so this is a record for the operator, not the source of truth.
CREATE TABLE handbook_writebacks (
  wg_id       INTEGER PRIMARY KEY REFERENCES working_groups(id) ON DELETE CASCADE,
  file_path   TEXT,                           -- the override; NULL: derived from the imported page
  branch      TEXT,
  mr_iid      INTEGER,
  mr_url      TEXT,
  commit_id   TEXT,
  changes     INTEGER,                        -- markers changed by the last commit
  written_at  TEXT
);

-- exit_reports: the closing summary, posted to a group's channel once when it reaches 100 % (every
-- top-level exit criterion measured) or is ended. The row is claimed before the post ('posting'), so two
-- runs never both post; a failed post is retried a few times ('failed', attempts), a post cut off by a
-- crash is not (at most once beats twice).
CREATE TABLE exit_reports (
  wg_id       INTEGER PRIMARY KEY REFERENCES working_groups(id) ON DELETE CASCADE,
  reason      TEXT NOT NULL CHECK (reason IN ('complete', 'ended')),
  state       TEXT NOT NULL CHECK (state IN ('posting', 'posted', 'failed')),
  attempts    INTEGER NOT NULL DEFAULT 1,
  channel     TEXT,
  message_ts  TEXT,
  error       TEXT,
  claimed_at  TEXT NOT NULL,
  posted_at   TEXT
);
