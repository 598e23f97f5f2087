-- "If you need help now" (issue 15): an organisation's own numbers for its
-- area, in the format of content/helpnow/helpnow.txt. Without a row the
-- shipped list is used.
CREATE TABLE help_now_lists (
	org_id BIGINT PRIMARY KEY REFERENCES organisations (id),
	body TEXT NOT NULL,
	version INTEGER NOT NULL,
	updated_by BIGINT NOT NULL REFERENCES users (id),
	updated_at BIGINT NOT NULL
);
