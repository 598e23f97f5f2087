-- Evidence attached to a review under an indicator. snapshot holds the
-- figures as JSON, frozen when attached: it is never recomputed.
CREATE TABLE review_evidence (
	id {{id}},
	review_id BIGINT NOT NULL REFERENCES reviews (id),
	indicator TEXT NOT NULL,
	kind TEXT NOT NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL DEFAULT '',
	snapshot TEXT NOT NULL DEFAULT '[]',
	link TEXT NOT NULL DEFAULT '',
	attached_by BIGINT REFERENCES users (id),
	attached_at BIGINT NOT NULL
);
CREATE INDEX review_evidence_review ON review_evidence (review_id);
