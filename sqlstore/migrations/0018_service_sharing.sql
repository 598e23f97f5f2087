-- A person who already has a plan and joins another service chooses what
-- that service's practitioners see. plan_service_limits marks such a
-- service (its practitioners see only the sections in plan_service_sharing);
-- a service with no row sees the whole plan, as the first service does.
CREATE TABLE plan_service_limits (
	person_id BIGINT NOT NULL REFERENCES users (id),
	service_id BIGINT NOT NULL REFERENCES services (id),
	PRIMARY KEY (person_id, service_id)
);
CREATE TABLE plan_service_sharing (
	person_id BIGINT NOT NULL REFERENCES users (id),
	service_id BIGINT NOT NULL REFERENCES services (id),
	section TEXT NOT NULL,
	PRIMARY KEY (person_id, service_id, section)
);
