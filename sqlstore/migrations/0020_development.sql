-- Practitioner development (issue 5). Everything here is the
-- practitioner's own: others see a development plan only when the
-- practitioner shares it, and a self-assessment or reflection never.

-- A self-assessment against the framework: one rating per item, and
-- whether the practitioner marks it as a development need.
CREATE TABLE self_assessments (
	id {{id}},
	practitioner_id BIGINT NOT NULL REFERENCES users (id),
	content_version TEXT NOT NULL,
	taken_at BIGINT NOT NULL
);
CREATE INDEX self_assessments_practitioner ON self_assessments (practitioner_id, taken_at);
CREATE TABLE self_assessment_ratings (
	assessment_id BIGINT NOT NULL REFERENCES self_assessments (id),
	item TEXT NOT NULL,
	rating INTEGER NOT NULL,
	need BOOLEAN NOT NULL,
	PRIMARY KEY (assessment_id, item)
);

-- The personal development plan: objectives, each from a need through a
-- learning activity and a target date to evidence and a reflection.
CREATE TABLE development_objectives (
	id {{id}},
	practitioner_id BIGINT NOT NULL REFERENCES users (id),
	need_item TEXT NOT NULL,
	need TEXT NOT NULL,
	objective TEXT NOT NULL,
	status TEXT NOT NULL,
	activity_kind TEXT NOT NULL,
	activity TEXT NOT NULL,
	activity_status TEXT NOT NULL,
	target_date TEXT NOT NULL,
	evidence TEXT NOT NULL,
	links TEXT NOT NULL,
	reflection TEXT NOT NULL,
	version INTEGER NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX development_objectives_practitioner ON development_objectives (practitioner_id, id);
CREATE TABLE development_shares (
	practitioner_id BIGINT NOT NULL REFERENCES users (id),
	viewer_id BIGINT NOT NULL REFERENCES users (id),
	shared_at BIGINT NOT NULL,
	PRIMARY KEY (practitioner_id, viewer_id)
);
CREATE INDEX development_shares_viewer ON development_shares (viewer_id);
CREATE TABLE development_comments (
	id {{id}},
	practitioner_id BIGINT NOT NULL REFERENCES users (id),
	author_id BIGINT NOT NULL REFERENCES users (id),
	text TEXT NOT NULL,
	written_at BIGINT NOT NULL
);
CREATE INDEX development_comments_practitioner ON development_comments (practitioner_id, id);
CREATE TABLE development_signoffs (
	id {{id}},
	practitioner_id BIGINT NOT NULL REFERENCES users (id),
	supervisor_id BIGINT NOT NULL REFERENCES users (id),
	note TEXT NOT NULL,
	signed_at BIGINT NOT NULL
);
CREATE INDEX development_signoffs_practitioner ON development_signoffs (practitioner_id, id);

-- After-session reflections: yes, partly or no for each of the Ten Top
-- Tips, and an optional note about the practitioner's own practice.
CREATE TABLE reflections (
	id {{id}},
	practitioner_id BIGINT NOT NULL REFERENCES users (id),
	taken_at BIGINT NOT NULL,
	note TEXT NOT NULL
);
CREATE INDEX reflections_practitioner ON reflections (practitioner_id, taken_at);
CREATE TABLE reflection_answers (
	reflection_id BIGINT NOT NULL REFERENCES reflections (id),
	tip TEXT NOT NULL,
	answer TEXT NOT NULL,
	PRIMARY KEY (reflection_id, tip)
);
