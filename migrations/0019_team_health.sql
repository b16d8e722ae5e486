-- The team's own health (#17): self-assessment rounds and the Definition-of-Done rules.
--
-- A round asks a group's members one questionnaire, kept as it was asked (JSON), so a later edit of the
-- questionnaire never changes what an old round's answers mean. At most one round per group is open.
CREATE TABLE assessment_rounds (
  id             INTEGER PRIMARY KEY,
  wg_id          INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  questionnaire  TEXT NOT NULL,
  started_by     TEXT NOT NULL,                -- Slack user ID
  started_at     TEXT NOT NULL,
  due_at         TEXT NOT NULL,
  closed_at      TEXT,
  summary_ts     TEXT                          -- the channel summary, once posted
);
CREATE UNIQUE INDEX assessment_rounds_open ON assessment_rounds(wg_id) WHERE closed_at IS NULL;

-- Who was asked (a DM with the button), and when they were reminded (once at most).
CREATE TABLE assessment_invites (
  round_id       INTEGER NOT NULL REFERENCES assessment_rounds(id) ON DELETE CASCADE,
  slack_user_id  TEXT NOT NULL,
  invited_at     TEXT,
  reminded_at    TEXT,
  PRIMARY KEY (round_id, slack_user_id)
);

-- One answer per person and round (a second submission replaces the first): scores and notes by question.
CREATE TABLE assessment_answers (
  round_id       INTEGER NOT NULL REFERENCES assessment_rounds(id) ON DELETE CASCADE,
  slack_user_id  TEXT NOT NULL,
  answers        TEXT NOT NULL,
  submitted_at   TEXT NOT NULL,
  PRIMARY KEY (round_id, slack_user_id)
);

-- Backlog issues filed for a round's gap areas: one per area, so a second click files nothing twice.
CREATE TABLE assessment_issues (
  round_id       INTEGER NOT NULL REFERENCES assessment_rounds(id) ON DELETE CASCADE,
  area           TEXT NOT NULL,
  web_url        TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  PRIMARY KEY (round_id, area)
);

-- A group's Definition-of-Done rules (`/wg dod`); a group without a row has the defaults (both required).
CREATE TABLE dod_rules (
  wg_id              INTEGER PRIMARY KEY REFERENCES working_groups(id) ON DELETE CASCADE,
  pipeline_required  INTEGER NOT NULL DEFAULT 1 CHECK (pipeline_required IN (0, 1)),
  tests_required     INTEGER NOT NULL DEFAULT 1 CHECK (tests_required IN (0, 1)),
  exempt_label       TEXT,
  updated_at         TEXT NOT NULL
);

-- Usage and traffic, the key metric GitLab does not have: a group's source (a Prometheus instant query
-- URL, or a JSON endpoint answering a number or {"value": n}) and what it answered, for the trend.
CREATE TABLE usage_sources (
  wg_id       INTEGER PRIMARY KEY REFERENCES working_groups(id) ON DELETE CASCADE,
  url         TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('prometheus', 'json')),
  updated_at  TEXT NOT NULL
);
CREATE TABLE usage_readings (
  wg_id    INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  read_at  TEXT NOT NULL,
  value    REAL NOT NULL,
  PRIMARY KEY (wg_id, read_at)
);
