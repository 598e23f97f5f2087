-- A self-assessment under way (issue 15): the answers given so far, kept
-- part by part until the last part is saved, when they become a
-- self-assessment and the draft goes. One draft per practitioner; each save
-- of a part raises its version, and a save from an older version is refused.
CREATE TABLE self_assessment_drafts (
	practitioner_id BIGINT PRIMARY KEY REFERENCES users (id),
	version INTEGER NOT NULL,
	started_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
-- A rating of 0 is an item seen but not answered yet.
CREATE TABLE self_assessment_draft_ratings (
	practitioner_id BIGINT NOT NULL REFERENCES self_assessment_drafts (practitioner_id),
	item TEXT NOT NULL,
	rating INTEGER NOT NULL,
	need BOOLEAN NOT NULL,
	PRIMARY KEY (practitioner_id, item)
);
