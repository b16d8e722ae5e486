-- Where a working group stands in its life, and who owns each criterion.
--
-- lifecycle: 'active' (digests, nudges, periodic syncs), 'paused' (none of those but syncs) or 'ended'
-- (none of them). lifecycle_source says who set it: 'page' (the handbook page said paused or ended) or
-- 'command' (`wgbot archive`/`unarchive`, `/wg archive`/`unarchive`); a page that says nothing leaves a
-- lifecycle set by command alone. ended_on is the day it ended (only while ended); page_ended_on is the end
-- date the page last gave, used when a command ends the group. The old archived_at (written by nothing) is
-- folded in: an archived group becomes ended on the day it was archived.

ALTER TABLE working_groups ADD COLUMN lifecycle TEXT NOT NULL DEFAULT 'active'
  CHECK (lifecycle IN ('active', 'paused', 'ended'));
ALTER TABLE working_groups ADD COLUMN lifecycle_source TEXT CHECK (lifecycle_source IN ('page', 'command'));
ALTER TABLE working_groups ADD COLUMN ended_on TEXT;
ALTER TABLE working_groups ADD COLUMN page_ended_on TEXT;
ALTER TABLE working_groups ADD COLUMN outcome TEXT;
UPDATE working_groups
   SET lifecycle = 'ended', lifecycle_source = 'command', ended_on = substr(archived_at, 1, 10)
 WHERE archived_at IS NOT NULL;
ALTER TABLE working_groups DROP COLUMN archived_at;
CREATE INDEX working_groups_lifecycle ON working_groups(lifecycle, slug);

-- The criterion's owner (DRI) as the page names it.
ALTER TABLE criteria ADD COLUMN owner TEXT;

-- A snapshot of a group with no measured exit criterion has no overall figure: the column may be NULL.
-- (Renaming through a copy keeps the data and needs no table rebuild, so digest_log's references stay.)
ALTER TABLE progress_snapshots ADD COLUMN overall_known REAL;
UPDATE progress_snapshots SET overall_known = overall;
ALTER TABLE progress_snapshots DROP COLUMN overall;
ALTER TABLE progress_snapshots RENAME COLUMN overall_known TO overall;
