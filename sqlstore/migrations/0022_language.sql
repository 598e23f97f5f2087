-- Language suggestions (issue 7): gentle suggestions of recovery-focused
-- words where staff and supporters write.

-- An organisation's own suggestions list, in the format of
-- content/language/suggestions.txt. Without a row the shipped list is used.
CREATE TABLE language_lists (
	org_id BIGINT PRIMARY KEY REFERENCES organisations (id),
	body TEXT NOT NULL,
	version INTEGER NOT NULL,
	updated_by BIGINT NOT NULL REFERENCES users (id),
	updated_at BIGINT NOT NULL
);

-- Suggestions a writer set aside: for one text (text_key names the field
-- it was written in) or for good (text_key '').
CREATE TABLE language_dismissals (
	user_id BIGINT NOT NULL REFERENCES users (id),
	entry_key TEXT NOT NULL,
	text_key TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (user_id, entry_key, text_key)
);

-- Staff-written text per service and month, in total: words written and
-- suggestions raised, for the service review. No figure per writer is
-- kept; language_writers only says who wrote that month, so that totals
-- from fewer than five writers are not shown.
CREATE TABLE language_totals (
	service_id BIGINT NOT NULL REFERENCES services (id),
	month TEXT NOT NULL,
	words BIGINT NOT NULL,
	suggestions BIGINT NOT NULL,
	PRIMARY KEY (service_id, month)
);
CREATE TABLE language_writers (
	service_id BIGINT NOT NULL REFERENCES services (id),
	month TEXT NOT NULL,
	user_id BIGINT NOT NULL REFERENCES users (id),
	PRIMARY KEY (service_id, month, user_id)
);

-- A person may ask for suggestions in their own writing; off unless they do.
ALTER TABLE users ADD COLUMN language_suggestions BOOLEAN NOT NULL DEFAULT FALSE;
