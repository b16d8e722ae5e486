-- Digests and nudges, exactly once: each row is claimed by one process before it posts, and the claim
-- expires so a crashed process's work is picked up (after checking Slack for what it already posted).

ALTER TABLE digest_log ADD COLUMN claimed_by TEXT;
ALTER TABLE digest_log ADD COLUMN claimed_until TEXT;
ALTER TABLE digest_log ADD COLUMN thread_ts TEXT;
ALTER TABLE digest_log ADD COLUMN chart_file_id TEXT;
ALTER TABLE digest_log ADD COLUMN posted_at TEXT;
CREATE INDEX digest_log_posted ON digest_log(wg_id, state, posted_at);

ALTER TABLE nudge_log ADD COLUMN claimed_by TEXT;
ALTER TABLE nudge_log ADD COLUMN claimed_until TEXT;
ALTER TABLE nudge_log ADD COLUMN kind TEXT NOT NULL DEFAULT 'owner';  -- 'owner' | 'facilitator'
CREATE INDEX nudge_log_day ON nudge_log(day);

-- When the owner last did something about an item (done, snooze, new due date): nudges before it count
-- as answered, so only unanswered ones lead to an escalation.
ALTER TABLE action_items ADD COLUMN last_response_at TEXT;

-- One escalation summary per item, ever (until it is answered and goes overdue again).
CREATE TABLE escalations (
  item_id        INTEGER PRIMARY KEY REFERENCES action_items(id) ON DELETE CASCADE,
  escalated_at   TEXT NOT NULL,
  facilitators   TEXT NOT NULL                -- JSON array of Slack user ids told
);

-- Owners without a Slack user, told to a facilitator instead: once per group and day.
CREATE TABLE unreachable_notices (
  wg_id      INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  day        TEXT NOT NULL,
  sent_at    TEXT NOT NULL,
  PRIMARY KEY (wg_id, day)
);

-- GitLab projects whose DevOps key metrics (DORA) a group follows.
CREATE TABLE metric_projects (
  wg_id         INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  project_path  TEXT NOT NULL,
  environment   TEXT NOT NULL DEFAULT 'production',
  PRIMARY KEY (wg_id, project_path)
);
