-- GitLab's health status and OKR progress, and a history of every criterion's changes.
--
-- health: 'on_track' | 'needs_attention' | 'at_risk' as GitLab reports it (NULL: GitLab gives none, which is
-- not "on track"); progress: an objective's or key result's progress 0–100 from GitLab's progress widget
-- (NULL for every other kind of item).

ALTER TABLE action_items ADD COLUMN health TEXT CHECK (health IN ('on_track', 'needs_attention', 'at_risk'));
ALTER TABLE action_items ADD COLUMN progress REAL CHECK (progress BETWEEN 0 AND 100);

-- The linked object itself (an epic, an objective, a key result): what GitLab last said of it.
ALTER TABLE gitlab_sources ADD COLUMN health TEXT CHECK (health IN ('on_track', 'needs_attention', 'at_risk'));
ALTER TABLE gitlab_sources ADD COLUMN progress REAL CHECK (progress BETWEEN 0 AND 100);

-- Where a criterion's GitLab figure comes from and how old it is: the GitLab object's title as last synced
-- and when; and the health GitLab gives that object.
ALTER TABLE criteria ADD COLUMN gitlab_from TEXT;
ALTER TABLE criteria ADD COLUMN gitlab_synced_at TEXT;
ALTER TABLE criteria ADD COLUMN gitlab_health TEXT CHECK (gitlab_health IN ('on_track', 'needs_attention', 'at_risk'));
-- A criterion made from a key result of an objective the group links: 'kr:<GitLab id>'. Such criteria
-- belong to the sync (created, renamed, retired with their key results); a page import leaves them be.
ALTER TABLE criteria ADD COLUMN okr_key TEXT;
CREATE UNIQUE INDEX criteria_okr ON criteria(wg_id, okr_key) WHERE okr_key IS NOT NULL;

-- Every change of a criterion's figure, figure source, title or owner: from → to, by whom, when. A
-- criterion deleted later keeps its history (criterion_id becomes NULL; the title at the time stays).
CREATE TABLE criterion_changes (
  id              INTEGER PRIMARY KEY,
  wg_id           INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  criterion_id    INTEGER REFERENCES criteria(id) ON DELETE SET NULL,
  criterion_title TEXT NOT NULL,
  field           TEXT NOT NULL CHECK (field IN ('percent', 'source', 'title', 'owner')),
  from_value,                                  -- no declared type: a figure stays a number, a title text
  to_value,
  by              TEXT NOT NULL CHECK (by IN ('sync', 'import', 'cli') OR by GLOB 'slack:?*'),
  at              TEXT NOT NULL
);
CREATE INDEX criterion_changes_wg ON criterion_changes(wg_id, at, id);
CREATE INDEX criterion_changes_criterion ON criterion_changes(criterion_id, at, id);
