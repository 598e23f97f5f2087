-- An email link carries the new address it confirms: the change waits
-- until the link, sent to that address, is opened.
ALTER TABLE one_time_links ADD COLUMN new_email TEXT NOT NULL DEFAULT '';
