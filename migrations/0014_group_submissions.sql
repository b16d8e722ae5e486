-- The create form, at most once per submission: Slack sends a second view_submission for the same view
-- when Submit is pressed twice, and people fill the form in again when nothing seems to happen. Each
-- submission is claimed here (in the acknowledgement, before any group exists), so a second one of the
-- same view, or one with the same name shortly after, creates nothing and moves no channel.
CREATE TABLE group_submissions (
  view_id     TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL,
  name_key    TEXT NOT NULL,                  -- the name folded (case, spaces), for "same name"
  state       TEXT NOT NULL CHECK (state IN ('pending', 'created', 'refused')),
  wg_id       INTEGER REFERENCES working_groups(id) ON DELETE SET NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX group_submissions_name ON group_submissions(name_key, created_at);

-- A click in a nudge DM finds the reminder it belongs to (and so the items it was about) by its message.
CREATE INDEX nudge_log_message ON nudge_log(channel, message_ts);
