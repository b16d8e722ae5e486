-- Digests that arrive once, even across crashes and downtime.
--
-- digest_log is rebuilt (SQLite cannot widen a CHECK in place) with:
--   state 'skipped'    a scheduled digest found missed beyond its catch-up window: recorded, never posted
--   kind               'scheduled' (retried by the retry job) or 'manual' (`/wg digest now`, `wgbot digest`:
--                      a failure is told to whoever asked, and never posted later behind their back)
--   due_at             when a scheduled digest was due (its cron minute); a post well after it says so
--   thread_pending_at  set just before the thread reply is sent, cleared when its ts is recorded: a
--   chart_pending_at   pending part is looked for in the thread before it is sent again
-- Nothing references digest_log, so the copy keeps every link.

CREATE TABLE digest_log_new (
  id                 INTEGER PRIMARY KEY,
  wg_id              INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  period             TEXT NOT NULL,
  state              TEXT NOT NULL CHECK (state IN ('intent', 'posted', 'failed', 'skipped')),
  kind               TEXT NOT NULL DEFAULT 'scheduled' CHECK (kind IN ('scheduled', 'manual')),
  channel            TEXT,
  message_ts         TEXT,
  marker             TEXT NOT NULL,
  snapshot_id        INTEGER REFERENCES progress_snapshots(id) ON DELETE SET NULL,
  attempts           INTEGER NOT NULL DEFAULT 0,
  error              TEXT,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  claimed_by         TEXT,
  claimed_until      TEXT,
  thread_ts          TEXT,
  chart_file_id      TEXT,
  posted_at          TEXT,
  due_at             TEXT,
  thread_pending_at  TEXT,
  chart_pending_at   TEXT,
  UNIQUE (wg_id, period)
);

INSERT INTO digest_log_new (id, wg_id, period, state, kind, channel, message_ts, marker, snapshot_id, attempts,
                            error, created_at, updated_at, claimed_by, claimed_until, thread_ts, chart_file_id,
                            posted_at)
SELECT id, wg_id, period, state, CASE WHEN period LIKE 'manual-%' THEN 'manual' ELSE 'scheduled' END, channel,
       message_ts, marker, snapshot_id, attempts, error, created_at, updated_at, claimed_by, claimed_until,
       thread_ts, chart_file_id, posted_at
  FROM digest_log;

DROP TABLE digest_log;
ALTER TABLE digest_log_new RENAME TO digest_log;
CREATE INDEX digest_log_posted ON digest_log(wg_id, state, posted_at);
CREATE INDEX digest_log_created ON digest_log(created_at);

-- From when a group's scheduled digests count as due: its creation, then each change of its schedule and
-- each return to active. A digest due before it (a schedule set at 10:05 for 10:00) was never missed.
ALTER TABLE working_groups ADD COLUMN digests_due_from TEXT;
UPDATE working_groups SET digests_due_from = created_at;
