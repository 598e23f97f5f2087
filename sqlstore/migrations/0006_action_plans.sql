-- The action plan of a review: per indicator, strengths to build on and
-- areas for development; actions followed up with dated notes and examples
-- of change in practice. Notes and examples are only ever added.
CREATE TABLE plan_findings (
	review_id BIGINT NOT NULL REFERENCES reviews (id),
	indicator TEXT NOT NULL,
	strengths TEXT NOT NULL DEFAULT '',
	areas TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	updated_by BIGINT REFERENCES users (id),
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (review_id, indicator)
);

-- due_date: 'YYYY-MM-DD', or '' for none (a calendar day, not an instant).
CREATE TABLE plan_actions (
	id {{id}},
	review_id BIGINT NOT NULL REFERENCES reviews (id),
	what TEXT NOT NULL,
	who TEXT NOT NULL DEFAULT '',
	due_date TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	created_by BIGINT REFERENCES users (id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX plan_actions_review ON plan_actions (review_id, id);

CREATE TABLE plan_action_indicators (
	action_id BIGINT NOT NULL REFERENCES plan_actions (id),
	indicator TEXT NOT NULL,
	PRIMARY KEY (action_id, indicator)
);

-- The network view counts themes across services from this table.
CREATE TABLE plan_action_themes (
	action_id BIGINT NOT NULL REFERENCES plan_actions (id),
	theme TEXT NOT NULL,
	PRIMARY KEY (action_id, theme)
);
CREATE INDEX plan_action_themes_theme ON plan_action_themes (theme, action_id);

CREATE TABLE plan_action_notes (
	id {{id}},
	action_id BIGINT NOT NULL REFERENCES plan_actions (id),
	text TEXT NOT NULL,
	written_by BIGINT REFERENCES users (id),
	written_at BIGINT NOT NULL
);
CREATE INDEX plan_action_notes_action ON plan_action_notes (action_id, id);

CREATE TABLE plan_change_examples (
	id {{id}},
	action_id BIGINT NOT NULL REFERENCES plan_actions (id),
	text TEXT NOT NULL,
	added_by BIGINT REFERENCES users (id),
	added_at BIGINT NOT NULL
);
CREATE INDEX plan_change_examples_action ON plan_change_examples (action_id, id);
