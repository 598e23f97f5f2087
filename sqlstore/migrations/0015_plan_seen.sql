-- The plan version each practitioner last saw of each person's plan, so
-- that their list of the people they work alongside can say whose plan
-- changed since they last looked.
CREATE TABLE plan_seen (
	person_id BIGINT NOT NULL REFERENCES users (id),
	user_id BIGINT NOT NULL REFERENCES users (id),
	plan_version INTEGER NOT NULL,
	PRIMARY KEY (user_id, person_id)
);
