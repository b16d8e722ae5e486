-- A group's current items in their listing order (source, position, id), so the progress record after a
-- sync can read a group of 100,000 items a page at a time from where the last page stopped, each page an
-- index seek, instead of all of them in one statement that holds the process for seconds.
CREATE INDEX action_items_wg_order ON action_items(wg_id, removed_at, source, position, id);

-- The open items' due dates and sprints, which the group's summary counts at the end of every write
-- transaction that touched the group: read from this index alone, not from 100,000 rows of the table.
CREATE INDEX action_items_wg_open ON action_items(wg_id, removed_at, state, due_date, sprint_number, sprint_title, sprint_source);
