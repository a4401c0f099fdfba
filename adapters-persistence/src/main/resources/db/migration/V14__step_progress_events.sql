-- step_progress events (docs/api.md "Events"): the attempt they are about and their text. Null for
-- every other type of event.
ALTER TABLE thread_event ADD COLUMN attempt INTEGER;
ALTER TABLE thread_event ADD COLUMN detail CHARACTER VARYING;
