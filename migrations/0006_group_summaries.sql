-- Per-group figures for `/wg list`, `wgbot list` and the App Home, so those reads never load every item of
-- every group. The triggers below mark a group's row stale when anything its figures depend on is written;
-- the same transaction recomputes the stale rows before it commits (Store.transaction), with the code that
-- computes `/wg status`. The rows inserted here start stale and are computed when wgbot next opens the
-- database.

CREATE TABLE group_summaries (
  wg_id            INTEGER PRIMARY KEY REFERENCES working_groups(id) ON DELETE CASCADE,
  slug             TEXT NOT NULL,
  name             TEXT NOT NULL,
  channel          TEXT,
  timezone         TEXT NOT NULL,
  target_end_date  TEXT,
  overall          REAL,                         -- NULL: no figure anybody can support
  measured         INTEGER NOT NULL DEFAULT 0,   -- top-level exit criteria that have a figure
  total            INTEGER NOT NULL DEFAULT 0,   -- top-level exit criteria
  items            INTEGER NOT NULL DEFAULT 0,   -- current (not removed) action items
  open             INTEGER NOT NULL DEFAULT 0,
  -- JSON [["YYYY-MM-DD", n], …] in date order: how many open items fall due each day (the earlier of the
  -- due date and the sprint's end). Overdue on a day = the sum before it, so "today" needs no rewrite.
  open_due         TEXT NOT NULL DEFAULT '[]',
  synced_at        TEXT,                         -- the last good sync
  updated_at       TEXT,                         -- when these figures were last computed
  stale            INTEGER NOT NULL DEFAULT 1 CHECK (stale IN (0, 1))
);
CREATE INDEX group_summaries_slug ON group_summaries(slug);
CREATE INDEX group_summaries_stale ON group_summaries(wg_id) WHERE stale = 1;

INSERT INTO group_summaries (wg_id, slug, name, channel, timezone, target_end_date)
  SELECT id, slug, name, channel, timezone, target_end_date FROM working_groups;

CREATE TRIGGER group_summaries_group_added AFTER INSERT ON working_groups BEGIN
  INSERT INTO group_summaries (wg_id, slug, name, channel, timezone, target_end_date)
  VALUES (NEW.id, NEW.slug, NEW.name, NEW.channel, NEW.timezone, NEW.target_end_date);
END;
CREATE TRIGGER group_summaries_group_changed AFTER UPDATE ON working_groups BEGIN
  UPDATE group_summaries SET stale = 1 WHERE wg_id = NEW.id AND stale = 0;
END;

CREATE TRIGGER group_summaries_item_added AFTER INSERT ON action_items BEGIN
  UPDATE group_summaries SET stale = 1 WHERE wg_id = NEW.wg_id AND stale = 0;
END;
CREATE TRIGGER group_summaries_item_changed
AFTER UPDATE OF wg_id, state, due_date, sprint_number, sprint_title, sprint_source, removed_at ON action_items
BEGIN
  UPDATE group_summaries SET stale = 1 WHERE wg_id IN (OLD.wg_id, NEW.wg_id) AND stale = 0;
END;
CREATE TRIGGER group_summaries_item_deleted AFTER DELETE ON action_items BEGIN
  UPDATE group_summaries SET stale = 1 WHERE wg_id = OLD.wg_id AND stale = 0;
END;

CREATE TRIGGER group_summaries_criterion_added AFTER INSERT ON criteria BEGIN
  UPDATE group_summaries SET stale = 1 WHERE wg_id = NEW.wg_id AND stale = 0;
END;
CREATE TRIGGER group_summaries_criterion_changed AFTER UPDATE ON criteria BEGIN
  UPDATE group_summaries SET stale = 1 WHERE wg_id IN (OLD.wg_id, NEW.wg_id) AND stale = 0;
END;
CREATE TRIGGER group_summaries_criterion_deleted AFTER DELETE ON criteria BEGIN
  UPDATE group_summaries SET stale = 1 WHERE wg_id = OLD.wg_id AND stale = 0;
END;

CREATE TRIGGER group_summaries_sprint_added AFTER INSERT ON sprints BEGIN
  UPDATE group_summaries SET stale = 1 WHERE wg_id = NEW.wg_id AND stale = 0;
END;
CREATE TRIGGER group_summaries_sprint_changed AFTER UPDATE ON sprints BEGIN
  UPDATE group_summaries SET stale = 1 WHERE wg_id IN (OLD.wg_id, NEW.wg_id) AND stale = 0;
END;
CREATE TRIGGER group_summaries_sprint_deleted AFTER DELETE ON sprints BEGIN
  UPDATE group_summaries SET stale = 1 WHERE wg_id = OLD.wg_id AND stale = 0;
END;

CREATE TRIGGER group_summaries_synced AFTER INSERT ON sync_state BEGIN
  UPDATE group_summaries SET stale = 1 WHERE wg_id = NEW.wg_id AND stale = 0;
END;
CREATE TRIGGER group_summaries_sync_changed AFTER UPDATE OF last_success_at ON sync_state BEGIN
  UPDATE group_summaries SET stale = 1 WHERE wg_id = NEW.wg_id AND stale = 0;
END;
