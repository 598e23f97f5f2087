-- Statement sets an organisation has loaded. The file is kept as loaded, so
-- a review started on a set can always be read with exactly its wording.
CREATE TABLE statement_sets (
	id {{id}},
	org_id BIGINT NOT NULL REFERENCES organisations (id),
	name TEXT NOT NULL,
	version INTEGER NOT NULL,
	source TEXT NOT NULL,
	body TEXT NOT NULL,
	loaded_at BIGINT NOT NULL,
	loaded_by BIGINT REFERENCES users (id)
);
CREATE UNIQUE INDEX statement_sets_org_name_version ON statement_sets (org_id, name, version);
