-- A group's current items in their listing order (source, position, id), so the progress record after a
-- sync can read a group of 100,000 items a page at a time from where the last page stopped, each page an
-- index seek, instead of all of them in one statement that holds the process for seconds.
CREATE INDEX action_items_wg_order ON action_items(wg_id, removed_at, source, position, id);
