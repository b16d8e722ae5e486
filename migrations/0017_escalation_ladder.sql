-- The escalation ladder: an overdue item's owner is reminded (the nudge DM), then its group's facilitators
-- are asked, then its executive sponsor. Each step is reached once per item; each person it asks is asked
-- once, in their own working hours, and the row is claimed before the message is sent (a second message
-- is worse than none).

-- How far up a group's ladder goes and when: NULL columns (or no row) mean the defaults 3 / 5 / 10.
CREATE TABLE escalation_settings (
  wg_id               INTEGER PRIMARY KEY REFERENCES working_groups(id) ON DELETE CASCADE,
  after_nudges        INTEGER NOT NULL CHECK (after_nudges BETWEEN 1 AND 60),
  after_late_days     INTEGER NOT NULL CHECK (after_late_days BETWEEN 1 AND 365),
  sponsor_after_days  INTEGER NOT NULL CHECK (sponsor_after_days BETWEEN 1 AND 365),
  updated_by          TEXT,
  updated_at          TEXT NOT NULL
);

-- The steps an item has reached: when, why ('nudges', 'late', 'blocked', 'after-facilitators'), and the
-- owner's note when they said they are blocked.
CREATE TABLE ladder_steps (
  item_id     INTEGER NOT NULL REFERENCES action_items(id) ON DELETE CASCADE,
  step        TEXT NOT NULL CHECK (step IN ('owner', 'facilitators', 'sponsor')),
  reached_at  TEXT NOT NULL,
  reason      TEXT NOT NULL,
  note        TEXT,
  PRIMARY KEY (item_id, step)
);

-- Who each step asks: one row per person, 'pending' until their working hours, 'sending' while claimed,
-- then 'sent' or 'failed'.
CREATE TABLE ladder_asks (
  item_id        INTEGER NOT NULL,
  step           TEXT NOT NULL,
  slack_user_id  TEXT NOT NULL,
  name           TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
  asked_at       TEXT,
  error          TEXT,
  PRIMARY KEY (item_id, step, slack_user_id),
  FOREIGN KEY (item_id, step) REFERENCES ladder_steps(item_id, step) ON DELETE CASCADE
);
CREATE INDEX ladder_asks_pending ON ladder_asks(state);

-- "I'm on it — new date": the ladder stops for the item until that date has passed.
CREATE TABLE ladder_holds (
  item_id     INTEGER PRIMARY KEY REFERENCES action_items(id) ON DELETE CASCADE,
  until_date  TEXT NOT NULL,
  by_user     TEXT NOT NULL,
  created_at  TEXT NOT NULL
);

-- A role the ladder could not reach (no Slack user): said once per group, role and name.
CREATE TABLE ladder_notices (
  wg_id      INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL,
  name       TEXT NOT NULL,
  noticed_at TEXT NOT NULL,
  PRIMARY KEY (wg_id, kind, name)
);
