-- A wave's name and dates are saved from the version the manager saw, so
-- two people changing them at once do not overwrite each other unseen.
ALTER TABLE survey_waves ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
