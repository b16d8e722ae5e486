-- Progress history that stays small. Until now every change stored a JSON copy of the whole group (every
-- criterion and every item) in progress_snapshots; a year of 100 groups grew to gigabytes. From here on:
--   progress_days / progress_day_criteria  one row per group and UTC day (and per criterion and day) with
--                                          that day's last figures, updated in place during the day: the
--                                          burn-up chart;
--   item_states / item_events              each item's last recorded state, sprint and due date, and one
--                                          event per change: "what changed since the last digest";
--   progress_snapshots (+ _criteria)       only the figures at each posted digest (its baseline), which
--                                          digest_log.snapshot_id points to.
-- Figures nobody can support are NULL, never 0. Existing snapshots are converted below: for each group and
-- day the day's last snapshot gives the figures (the burn-up keeps every day), and consecutive snapshots
-- give the item events. Then the JSON goes.

CREATE TABLE progress_days (
  wg_id    INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  day      TEXT NOT NULL,                     -- UTC calendar day of `at`
  at       TEXT NOT NULL,                     -- when the day's figures were last recorded
  overall  REAL,                              -- NULL: no criterion had a figure
  fingerprint TEXT,                           -- hash of the group's figures and items at `at`: unchanged, nothing is written
  PRIMARY KEY (wg_id, day)
) WITHOUT ROWID;

CREATE TABLE progress_day_criteria (
  wg_id    INTEGER NOT NULL,
  day      TEXT NOT NULL,
  path     TEXT NOT NULL,                     -- '1', '1.2': the criterion's number that day
  percent  REAL,                              -- NULL: no figure
  PRIMARY KEY (wg_id, day, path),
  FOREIGN KEY (wg_id, day) REFERENCES progress_days(wg_id, day) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE item_states (
  item_id        INTEGER PRIMARY KEY REFERENCES action_items(id) ON DELETE CASCADE,
  wg_id          INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  present        INTEGER NOT NULL CHECK (present IN (0, 1)),   -- 0: gone from the group
  state          TEXT NOT NULL CHECK (state IN ('open', 'done')),
  sprint_number  INTEGER,
  sprint_title   TEXT,
  due_date       TEXT
);
CREATE INDEX item_states_wg ON item_states(wg_id);

CREATE TABLE item_events (
  id          INTEGER PRIMARY KEY,
  wg_id       INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  item_id     INTEGER NOT NULL REFERENCES action_items(id) ON DELETE CASCADE,
  at          TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('added', 'removed', 'state', 'sprint_number', 'sprint_title', 'due_date')),
  from_value,                                 -- no declared type: a state or title stays text, a sprint number an integer
  to_value
);
CREATE INDEX item_events_wg_at ON item_events(wg_id, at);
CREATE INDEX item_events_item ON item_events(item_id);

CREATE TABLE progress_snapshot_criteria (
  snapshot_id    INTEGER NOT NULL REFERENCES progress_snapshots(id) ON DELETE CASCADE,
  criterion_key  TEXT NOT NULL,               -- 'c<criterion id>'
  percent        REAL,
  PRIMARY KEY (snapshot_id, criterion_key)
) WITHOUT ROWID;

-- Conversion. Snapshots in order per group (seq), without their JSON.
CREATE TEMP TABLE snapshot_order AS
  SELECT id, wg_id, taken_at, row_number() OVER (PARTITION BY wg_id ORDER BY taken_at, id) AS seq
  FROM progress_snapshots;
CREATE UNIQUE INDEX temp.snapshot_order_seq ON snapshot_order(wg_id, seq);
CREATE TEMP TABLE snapshot_last_seq AS SELECT wg_id, max(seq) AS seq FROM snapshot_order GROUP BY wg_id;

-- Each day's last snapshot: the same point the burn-up chart drew for that day.
CREATE TEMP TABLE day_last AS
  SELECT id, wg_id, day, taken_at FROM (
    SELECT id, wg_id, substr(taken_at, 1, 10) AS day, taken_at,
           row_number() OVER (PARTITION BY wg_id, substr(taken_at, 1, 10) ORDER BY taken_at DESC, id DESC) AS r
    FROM progress_snapshots)
  WHERE r = 1;

INSERT INTO progress_days (wg_id, day, at, overall)
  SELECT d.wg_id, d.day, d.taken_at, json_extract(s.data, '$.overall')
  FROM day_last d JOIN progress_snapshots s ON s.id = d.id;

INSERT OR IGNORE INTO progress_day_criteria (wg_id, day, path, percent)
  SELECT d.wg_id, d.day, json_extract(c.value, '$.path'), json_extract(c.value, '$.percent')
  FROM day_last d JOIN progress_snapshots s ON s.id = d.id, json_each(s.data, '$.criteria') c
  WHERE json_type(c.value, '$.path') = 'text';

-- Every item of every snapshot (keys 'i<item id>'), then each occurrence beside the item's previous and
-- next one.
CREATE TEMP TABLE snapshot_items AS
  SELECT o.wg_id, o.seq,
         CAST(substr(json_extract(j.value, '$.key'), 2) AS INTEGER) AS item_id,
         json_extract(j.value, '$.state') AS state,
         json_extract(j.value, '$.sprintNumber') AS sprint_number,
         json_extract(j.value, '$.sprintTitle') AS sprint_title,
         json_extract(j.value, '$.dueDate') AS due_date
  FROM snapshot_order o JOIN progress_snapshots s ON s.id = o.id, json_each(s.data, '$.items') j
  WHERE json_extract(j.value, '$.key') GLOB 'i[0-9]*'
    AND json_extract(j.value, '$.state') IN ('open', 'done');

CREATE TEMP TABLE item_runs AS
  SELECT i.*,
         lag(seq) OVER w AS prev_seq, lead(seq) OVER w AS next_seq,
         lag(state) OVER w AS prev_state, lag(sprint_number) OVER w AS prev_sprint_number,
         lag(sprint_title) OVER w AS prev_sprint_title, lag(due_date) OVER w AS prev_due_date
  FROM snapshot_items i
  WINDOW w AS (PARTITION BY wg_id, item_id ORDER BY seq);
DELETE FROM item_runs WHERE item_id NOT IN (SELECT id FROM action_items);

CREATE TEMP TABLE converted_events AS
  -- Added: in this snapshot, not in the one before.
  SELECT wg_id, item_id, seq, 0 AS rank, 'added' AS kind, NULL AS from_value, NULL AS to_value
  FROM item_runs WHERE prev_seq IS NULL OR prev_seq < seq - 1
  UNION ALL
  -- Removed: not in the snapshot after this one.
  SELECT r.wg_id, r.item_id, r.seq + 1, 1, 'removed', NULL, NULL
  FROM item_runs r JOIN snapshot_last_seq l ON l.wg_id = r.wg_id
  WHERE (r.next_seq IS NULL AND r.seq < l.seq) OR r.next_seq > r.seq + 1
  UNION ALL
  SELECT wg_id, item_id, seq, 2, 'state', prev_state, state
  FROM item_runs WHERE prev_seq IS NOT NULL AND prev_state IS NOT state
  UNION ALL
  SELECT wg_id, item_id, seq, 3, 'sprint_number', prev_sprint_number, sprint_number
  FROM item_runs WHERE prev_seq IS NOT NULL AND prev_sprint_number IS NOT sprint_number
  UNION ALL
  SELECT wg_id, item_id, seq, 4, 'sprint_title', prev_sprint_title, sprint_title
  FROM item_runs WHERE prev_seq IS NOT NULL AND prev_sprint_title IS NOT sprint_title
  UNION ALL
  SELECT wg_id, item_id, seq, 5, 'due_date', prev_due_date, due_date
  FROM item_runs WHERE prev_seq IS NOT NULL AND prev_due_date IS NOT due_date;

INSERT INTO item_events (wg_id, item_id, at, kind, from_value, to_value)
  SELECT e.wg_id, e.item_id, o.taken_at, e.kind, e.from_value, e.to_value
  FROM converted_events e JOIN snapshot_order o ON o.wg_id = e.wg_id AND o.seq = e.seq
  ORDER BY o.taken_at, o.seq, e.item_id, e.rank;

-- Each item's last recorded facts: its last occurrence; present when that is the group's last snapshot.
INSERT OR IGNORE INTO item_states (item_id, wg_id, present, state, sprint_number, sprint_title, due_date)
  SELECT r.item_id, r.wg_id, r.seq = l.seq, r.state, r.sprint_number, r.sprint_title, r.due_date
  FROM item_runs r JOIN snapshot_last_seq l ON l.wg_id = r.wg_id
  WHERE r.next_seq IS NULL;

-- The figures of the snapshots posted digests point to stay, as those digests' baselines; the rest goes.
INSERT OR IGNORE INTO progress_snapshot_criteria (snapshot_id, criterion_key, percent)
  SELECT s.id, json_extract(c.value, '$.key'), json_extract(c.value, '$.percent')
  FROM progress_snapshots s, json_each(s.data, '$.criteria') c
  WHERE s.id IN (SELECT snapshot_id FROM digest_log WHERE snapshot_id IS NOT NULL)
    AND json_type(c.value, '$.key') = 'text';
DELETE FROM progress_snapshots WHERE id NOT IN (SELECT snapshot_id FROM digest_log WHERE snapshot_id IS NOT NULL);

-- The JSON goes (the overall column is nullable since 0004).
ALTER TABLE progress_snapshots DROP COLUMN data;

DROP TABLE temp.converted_events;
DROP TABLE temp.item_runs;
DROP TABLE temp.snapshot_items;
DROP TABLE temp.day_last;
DROP TABLE temp.snapshot_last_seq;
DROP TABLE temp.snapshot_order;
