-- wgbot schema, version 1.
-- Dates a person reads (target end date, due dates, sprint bounds) are ISO calendar dates 'YYYY-MM-DD';
-- instants (created_at, synced_at, …) are ISO-8601 UTC strings from the injected clock.

CREATE TABLE working_groups (
  id                    INTEGER PRIMARY KEY,
  slug                  TEXT NOT NULL UNIQUE CHECK (slug GLOB '[a-z0-9]*' AND length(slug) BETWEEN 1 AND 80),
  name                  TEXT NOT NULL,
  description           TEXT,
  business_goal         TEXT,
  created_date          TEXT,
  target_end_date       TEXT,
  channel               TEXT,                 -- as written: '#wg_name' or a Slack channel ID
  slack_channel_id      TEXT UNIQUE,          -- the channel the WG is bound to in Slack, once known
  doc_url               TEXT,
  task_board_url        TEXT,
  source_kind           TEXT CHECK (source_kind IN ('handbook', 'epic', 'slack', 'cli')),
  source_ref            TEXT,                 -- file path or URL the WG was imported from
  timezone              TEXT NOT NULL DEFAULT 'UTC',
  sprint_length_days    INTEGER CHECK (sprint_length_days BETWEEN 1 AND 90),
  sprint_anchor_number  INTEGER,
  sprint_anchor_date    TEXT,
  digest_cron           TEXT,
  digest_timezone       TEXT,
  archived_at           TEXT,
  created_at            TEXT NOT NULL,
  updated_at            TEXT NOT NULL
);

CREATE TABLE people (
  id               INTEGER PRIMARY KEY,
  name             TEXT NOT NULL,
  name_key         TEXT NOT NULL UNIQUE,      -- lower-cased, whitespace-collapsed name: how pages refer to people
  slack_user_id    TEXT UNIQUE,
  gitlab_username  TEXT UNIQUE,
  email            TEXT,
  timezone         TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);

CREATE TABLE roles (
  id         INTEGER PRIMARY KEY,
  wg_id      INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  role       TEXT NOT NULL,                   -- the page's own label, e.g. 'Co-Facilitator'
  kind       TEXT NOT NULL CHECK (kind IN ('executive_sponsor', 'facilitator', 'functional_lead', 'stakeholder', 'member', 'other')),
  title      TEXT,
  position   INTEGER NOT NULL,
  source     TEXT NOT NULL CHECK (source IN ('handbook', 'slack', 'cli')),
  UNIQUE (wg_id, person_id, role)
);
CREATE INDEX roles_person ON roles(person_id);

CREATE TABLE criteria (
  id                INTEGER PRIMARY KEY,
  wg_id             INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  parent_id         INTEGER REFERENCES criteria(id) ON DELETE CASCADE,
  section           TEXT NOT NULL CHECK (section IN ('entry', 'exit')),
  position          INTEGER NOT NULL,
  title             TEXT NOT NULL,
  url               TEXT,
  handbook_percent  REAL CHECK (handbook_percent BETWEEN 0 AND 100),
  manual_percent    REAL CHECK (manual_percent BETWEEN 0 AND 100),
  gitlab_percent    REAL CHECK (gitlab_percent BETWEEN 0 AND 100),
  weight            REAL CHECK (weight >= 0),
  source_line       INTEGER
);
CREATE INDEX criteria_wg ON criteria(wg_id, section, parent_id, position);

CREATE TABLE follow_ups (
  id        INTEGER PRIMARY KEY,
  wg_id     INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  title     TEXT NOT NULL,
  url       TEXT
);
CREATE INDEX follow_ups_wg ON follow_ups(wg_id, position);

CREATE TABLE sprints (
  id          INTEGER PRIMARY KEY,
  wg_id       INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  source      TEXT NOT NULL CHECK (source IN ('iteration', 'milestone')),
  external_id TEXT NOT NULL,                  -- GitLab id of the iteration or milestone
  number      INTEGER,                        -- N of 'Sprint N' when the title says so
  title       TEXT NOT NULL,
  start_date  TEXT,
  end_date    TEXT,
  state       TEXT,
  web_url     TEXT,
  UNIQUE (wg_id, source, external_id)
);
CREATE INDEX sprints_dates ON sprints(wg_id, start_date, end_date);

CREATE TABLE action_items (
  id                 INTEGER PRIMARY KEY,
  wg_id              INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  source             TEXT NOT NULL CHECK (source IN ('epic_task', 'gitlab_issue', 'gitlab_epic', 'manual')),
  source_key         TEXT NOT NULL,           -- stable identity within (wg, source): lets re-imports update in place
  title              TEXT NOT NULL,
  notes              TEXT,
  state              TEXT NOT NULL CHECK (state IN ('open', 'done')),
  sprint_number      INTEGER,
  sprint_title       TEXT,
  sprint_source      TEXT CHECK (sprint_source IN ('iteration', 'milestone', 'text')),
  owner_names        TEXT,                    -- JSON array of names as written ('Thor') or GitLab usernames
  due_date           TEXT,
  url                TEXT,
  story_ref          TEXT,                    -- '#2148' as written in a task line
  confidential       INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)),
  weight             REAL,
  labels             TEXT,                    -- JSON array
  external_id        TEXT,                    -- GitLab global id for issues
  external_updated_at TEXT,
  closed_at          TEXT,
  snoozed_until      TEXT,
  position           INTEGER NOT NULL DEFAULT 0,
  source_line        INTEGER,
  removed_at         TEXT,                    -- soft delete: history (snapshots, nudge log) keeps pointing here
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  UNIQUE (wg_id, source, source_key)
);
CREATE INDEX action_items_wg ON action_items(wg_id, removed_at, state);

CREATE TABLE action_item_owners (
  item_id    INTEGER NOT NULL REFERENCES action_items(id) ON DELETE CASCADE,
  person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  PRIMARY KEY (item_id, person_id)
);
CREATE INDEX action_item_owners_person ON action_item_owners(person_id);

CREATE TABLE progress_snapshots (
  id        INTEGER PRIMARY KEY,
  wg_id     INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  taken_at  TEXT NOT NULL,
  trigger   TEXT NOT NULL,                    -- 'import', 'sync', 'digest', …
  overall   REAL NOT NULL,
  data      TEXT NOT NULL                     -- JSON: domain ProgressSnapshot (criteria and items at that time)
);
CREATE INDEX progress_snapshots_wg ON progress_snapshots(wg_id, taken_at);

CREATE TABLE digest_log (
  id           INTEGER PRIMARY KEY,
  wg_id        INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  period       TEXT NOT NULL,                 -- e.g. '2026-W48': one digest per group and period
  state        TEXT NOT NULL CHECK (state IN ('intent', 'posted', 'failed')),
  channel      TEXT,
  message_ts   TEXT,
  marker       TEXT NOT NULL,                 -- embedded in the post so a crashed run can find it again
  snapshot_id  INTEGER REFERENCES progress_snapshots(id) ON DELETE SET NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  error        TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  UNIQUE (wg_id, period)
);

CREATE TABLE nudge_log (
  id          INTEGER PRIMARY KEY,
  person_id   INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  day         TEXT NOT NULL,                  -- the person's local calendar day
  state       TEXT NOT NULL CHECK (state IN ('intent', 'sent', 'failed')),
  channel     TEXT,
  message_ts  TEXT,
  error       TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (person_id, day)
);

CREATE TABLE nudge_log_items (
  nudge_id  INTEGER NOT NULL REFERENCES nudge_log(id) ON DELETE CASCADE,
  item_id   INTEGER NOT NULL REFERENCES action_items(id) ON DELETE CASCADE,
  PRIMARY KEY (nudge_id, item_id)
);
CREATE INDEX nudge_log_items_item ON nudge_log_items(item_id);

CREATE TABLE sync_state (
  wg_id            INTEGER PRIMARY KEY REFERENCES working_groups(id) ON DELETE CASCADE,
  last_attempt_at  TEXT,
  last_success_at  TEXT,
  last_error       TEXT,
  last_error_at    TEXT,
  cursor           TEXT                       -- JSON: per-source incremental sync position
);
