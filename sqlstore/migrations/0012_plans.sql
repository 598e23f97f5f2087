-- A person's recovery plan. plans holds the plan's own version (one more
-- with every save of any section) and the version the person last signed
-- off; plan_sections holds each section as it stands, so that reading a plan
-- never walks its history; plan_versions keeps every save, never changed.
-- body is the section's texts as a JSON object, field key → text.
CREATE TABLE plans (
	person_id BIGINT PRIMARY KEY REFERENCES users (id),
	version INTEGER NOT NULL DEFAULT 0,
	signed_version INTEGER NOT NULL DEFAULT 0,
	signed_at BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE plan_sections (
	person_id BIGINT NOT NULL REFERENCES users (id),
	section TEXT NOT NULL,
	version INTEGER NOT NULL,
	plan_version INTEGER NOT NULL,
	body TEXT NOT NULL,
	changed_by BIGINT REFERENCES users (id),
	changed_at BIGINT NOT NULL,
	PRIMARY KEY (person_id, section)
);

CREATE TABLE plan_versions (
	id {{id}},
	person_id BIGINT NOT NULL REFERENCES users (id),
	section TEXT NOT NULL,
	version INTEGER NOT NULL,
	plan_version INTEGER NOT NULL,
	body TEXT NOT NULL,
	changed_by BIGINT REFERENCES users (id),
	changed_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX plan_versions_section ON plan_versions (person_id, section, version);

-- A person's page of who has looked at or changed their plan reads the
-- audit log by its target (Store.PersonActivity). Partial, so that the
-- many audit lines about other things are not slowed by it.
CREATE INDEX audit_events_person ON audit_events (target_id, id) WHERE target_kind = 'person';
