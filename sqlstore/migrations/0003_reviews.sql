-- SRI 2 review cycles of a service.
CREATE TABLE reviews (
	id {{id}},
	org_id BIGINT NOT NULL REFERENCES organisations (id),
	service_id BIGINT NOT NULL REFERENCES services (id),
	statement_set_id BIGINT NOT NULL REFERENCES statement_sets (id),
	coordinator_id BIGINT NOT NULL REFERENCES users (id),
	previous_id BIGINT REFERENCES reviews (id),
	title TEXT NOT NULL,
	stage TEXT NOT NULL,
	started_at BIGINT NOT NULL,
	completed_at BIGINT NOT NULL DEFAULT 0,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX reviews_service ON reviews (service_id, id);

CREATE TABLE review_team (
	review_id BIGINT NOT NULL REFERENCES reviews (id),
	user_id BIGINT NOT NULL REFERENCES users (id),
	PRIMARY KEY (review_id, user_id)
);
