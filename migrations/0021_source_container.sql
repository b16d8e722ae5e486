-- What the last fetch of a link read of its container (an epic's description and due date), so an
-- incremental fetch that learns the container did not change need not ask for it again. NULL: not
-- recorded yet (the next fetch of the link asks); an epic without a description is recorded as ''.
ALTER TABLE gitlab_sources ADD COLUMN description TEXT;
ALTER TABLE gitlab_sources ADD COLUMN due_date TEXT;
