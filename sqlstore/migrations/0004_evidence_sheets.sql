-- Evidence sheets of a review. No column records who answered: a records
-- sheet has an anonymous reference, and entered_by is whoever typed in a
-- paper or records sheet.
CREATE TABLE evidence_sheets (
	id {{id}},
	review_id BIGINT NOT NULL REFERENCES reviews (id),
	source TEXT NOT NULL,
	reference TEXT NOT NULL DEFAULT '',
	paper BOOLEAN NOT NULL DEFAULT FALSE,
	entered_by BIGINT REFERENCES users (id),
	submitted_at BIGINT NOT NULL
);
CREATE INDEX evidence_sheets_review ON evidence_sheets (review_id, source);

-- rating: 1 to 5, or 0 for N/A. An unanswered statement has no row.
CREATE TABLE sheet_ratings (
	sheet_id BIGINT NOT NULL REFERENCES evidence_sheets (id),
	indicator TEXT NOT NULL,
	n INTEGER NOT NULL,
	rating INTEGER NOT NULL,
	PRIMARY KEY (sheet_id, indicator, n)
);

CREATE TABLE sheet_evidence (
	sheet_id BIGINT NOT NULL REFERENCES evidence_sheets (id),
	indicator TEXT NOT NULL,
	text TEXT NOT NULL,
	PRIMARY KEY (sheet_id, indicator)
);
