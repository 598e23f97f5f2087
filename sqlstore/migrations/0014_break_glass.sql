-- A practitioner of the person's service who is not allocated to them may
-- open their crisis plan in an emergency by giving a reason. Each opening
-- is kept here (and in the audit log), shown to the person and to the
-- service manager, and lets that practitioner read the crisis plan until
-- it expires.
CREATE TABLE break_glass (
	id {{id}},
	person_id BIGINT NOT NULL REFERENCES users (id),
	practitioner_id BIGINT NOT NULL REFERENCES users (id),
	service_id BIGINT NOT NULL REFERENCES services (id),
	reason TEXT NOT NULL,
	opened_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX break_glass_practitioner ON break_glass (practitioner_id, expires_at);
CREATE INDEX break_glass_service ON break_glass (service_id, id);
CREATE INDEX break_glass_person ON break_glass (person_id, id);
