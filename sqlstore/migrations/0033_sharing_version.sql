-- What a person shares with each supporter is chosen on a page of its own,
-- one supporter at a time; the version guards against two saves of the same
-- supporter's choices crossing (a stale save is a conflict, never a silent
-- overwrite).
ALTER TABLE supporters ADD COLUMN sharing_version BIGINT NOT NULL DEFAULT 0;
