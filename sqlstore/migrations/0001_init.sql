-- The foundation: organisations, services, people, roles, relationships,
-- sessions, one-time links, sign-in throttling and the audit log.
-- Times are Unix milliseconds (UTC).

CREATE TABLE organisations (
	id {{id}},
	name TEXT NOT NULL,
	require_staff_mfa BOOLEAN NOT NULL DEFAULT FALSE,
	created_at BIGINT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX organisations_name ON organisations (name);

CREATE TABLE services (
	id {{id}},
	org_id BIGINT NOT NULL REFERENCES organisations (id),
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX services_org_name ON services (org_id, name);

CREATE TABLE users (
	id {{id}},
	email TEXT NOT NULL,
	name TEXT NOT NULL,
	password_hash TEXT NOT NULL DEFAULT '',
	disabled BOOLEAN NOT NULL DEFAULT FALSE,
	totp_secret TEXT NOT NULL DEFAULT '',
	totp_enabled BOOLEAN NOT NULL DEFAULT FALSE,
	totp_last_step BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE recovery_codes (
	user_id BIGINT NOT NULL REFERENCES users (id),
	code_hash TEXT NOT NULL,
	used_at BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (user_id, code_hash)
);

-- A role in a scope. A system administrator has neither org nor service; an
-- organisation role has an org; a service role has both.
CREATE TABLE memberships (
	id {{id}},
	user_id BIGINT NOT NULL REFERENCES users (id),
	role TEXT NOT NULL,
	org_id BIGINT REFERENCES organisations (id),
	service_id BIGINT REFERENCES services (id),
	created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX memberships_unique ON memberships (user_id, role, COALESCE(org_id, 0), COALESCE(service_id, 0));
CREATE INDEX memberships_service ON memberships (service_id, role);
CREATE INDEX memberships_org ON memberships (org_id, role);

CREATE TABLE allocations (
	id {{id}},
	service_id BIGINT NOT NULL REFERENCES services (id),
	practitioner_id BIGINT NOT NULL REFERENCES users (id),
	person_id BIGINT NOT NULL REFERENCES users (id),
	created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX allocations_unique ON allocations (practitioner_id, person_id, service_id);
CREATE INDEX allocations_person ON allocations (person_id);

CREATE TABLE supervisions (
	id {{id}},
	org_id BIGINT NOT NULL REFERENCES organisations (id),
	supervisor_id BIGINT NOT NULL REFERENCES users (id),
	practitioner_id BIGINT NOT NULL REFERENCES users (id),
	created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX supervisions_unique ON supervisions (supervisor_id, practitioner_id);
CREATE INDEX supervisions_practitioner ON supervisions (practitioner_id);

CREATE TABLE supporters (
	id {{id}},
	person_id BIGINT NOT NULL REFERENCES users (id),
	supporter_id BIGINT NOT NULL REFERENCES users (id),
	relationship TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	accepted_at BIGINT NOT NULL DEFAULT 0 -- 0 until the supporter accepts
);
CREATE UNIQUE INDEX supporters_unique ON supporters (person_id, supporter_id);
CREATE INDEX supporters_supporter ON supporters (supporter_id);

-- Only a hash of the cookie value is stored, so a copy of the database does
-- not hand out sessions.
CREATE TABLE sessions (
	id_hash TEXT PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users (id),
	created_at BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	mfa_done BOOLEAN NOT NULL DEFAULT FALSE,
	ip TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE one_time_links (
	token_hash TEXT PRIMARY KEY,
	purpose TEXT NOT NULL,
	user_id BIGINT NOT NULL REFERENCES users (id),
	subject_id BIGINT REFERENCES users (id), -- for a supporter's link: the person who invited them
	created_by BIGINT REFERENCES users (id),
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX one_time_links_user ON one_time_links (user_id);

CREATE TABLE login_failures (
	id {{id}},
	account TEXT NOT NULL,
	ip TEXT NOT NULL,
	at BIGINT NOT NULL
);
CREATE INDEX login_failures_account ON login_failures (account, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);

CREATE TABLE audit_events (
	id {{id}},
	at BIGINT NOT NULL,
	actor_id BIGINT,
	actor_email TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	target_kind TEXT NOT NULL DEFAULT '',
	target_id BIGINT,
	org_id BIGINT,
	service_id BIGINT,
	ip TEXT NOT NULL DEFAULT '',
	request_id TEXT NOT NULL DEFAULT '',
	detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_org_at ON audit_events (org_id, at);
CREATE INDEX audit_events_at ON audit_events (at);
