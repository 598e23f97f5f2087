-- A role offered to an account that has none in the organisation waits
-- here for its holder's answer, so that adding someone tells the one who
-- adds them nothing about accounts elsewhere. allocate_to is the
-- practitioner who invited a person, allocated to them on acceptance.
CREATE TABLE role_requests (
	id {{id}},
	user_id BIGINT NOT NULL REFERENCES users (id),
	role TEXT NOT NULL,
	org_id BIGINT NOT NULL REFERENCES organisations (id),
	service_id BIGINT REFERENCES services (id),
	allocate_to BIGINT REFERENCES users (id),
	created_by BIGINT REFERENCES users (id),
	created_at BIGINT NOT NULL
);
CREATE INDEX role_requests_user ON role_requests (user_id);
CREATE INDEX role_requests_org ON role_requests (org_id, user_id);

-- A person who lets their supporters see each other's names and views.
CREATE TABLE plan_open_circles (
	person_id BIGINT PRIMARY KEY REFERENCES users (id)
);
