-- GitLab sources a working group is linked to: its epic, a milestone or a label-filtered issue list for its
-- action items, and optionally an issue, epic or milestone behind one exit criterion.

CREATE TABLE gitlab_sources (
  id              INTEGER PRIMARY KEY,
  wg_id           INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  criterion_id    INTEGER REFERENCES criteria(id) ON DELETE CASCADE,   -- NULL: the group's own items
  kind            TEXT NOT NULL CHECK (kind IN ('epic', 'milestone', 'issues', 'issue')),
  url             TEXT NOT NULL,
  namespace_kind  TEXT NOT NULL CHECK (namespace_kind IN ('group', 'project')),
  namespace_path  TEXT NOT NULL,
  iid             INTEGER,
  labels          TEXT,                        -- JSON array, for label-filtered issue lists
  title           TEXT,                        -- as GitLab last reported it
  web_url         TEXT,
  state           TEXT,
  external_id     TEXT,                        -- GitLab's global id of the epic, milestone or issue
  cursor          TEXT,                        -- JSON: where the next incremental sync resumes
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX gitlab_sources_unique ON gitlab_sources(wg_id, url, ifnull(criterion_id, 0));

-- Which items each source contributes: an issue can sit in the group's epic and behind a criterion at once.
CREATE TABLE gitlab_source_items (
  source_id  INTEGER NOT NULL REFERENCES gitlab_sources(id) ON DELETE CASCADE,
  item_id    INTEGER NOT NULL REFERENCES action_items(id) ON DELETE CASCADE,
  PRIMARY KEY (source_id, item_id)
);
CREATE INDEX gitlab_source_items_item ON gitlab_source_items(item_id);

ALTER TABLE action_items ADD COLUMN tasks_completed INTEGER;
ALTER TABLE action_items ADD COLUMN tasks_total INTEGER;
ALTER TABLE action_items ADD COLUMN gitlab_path TEXT;      -- project path (issues) or group path (epics), for write-back
ALTER TABLE action_items ADD COLUMN gitlab_iid INTEGER;
CREATE INDEX action_items_external ON action_items(external_id);

-- Webhook deliveries already seen (X-Gitlab-Event-UUID), so a redelivery schedules nothing twice.
CREATE TABLE webhook_deliveries (
  uuid         TEXT PRIMARY KEY,
  received_at  TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_received ON webhook_deliveries(received_at);

-- A lease on a group's sync: two wgbot processes started by mistake never sync one group at once.
ALTER TABLE sync_state ADD COLUMN lease_owner TEXT;
ALTER TABLE sync_state ADD COLUMN lease_until TEXT;
