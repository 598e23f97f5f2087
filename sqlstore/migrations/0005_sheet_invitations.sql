-- Personal invitation links, each good for one sheet of one source. Only the
-- token's hash is kept, and nothing about whom a link was given to; a used
-- link records that it was used, not when, so it cannot be matched to the
-- sheet it produced.
CREATE TABLE sheet_invitations (
	id {{id}},
	review_id BIGINT NOT NULL REFERENCES reviews (id),
	source TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_by BIGINT REFERENCES users (id),
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX sheet_invitations_review ON sheet_invitations (review_id);

-- The tallies of a review's ratings, per source and indicator, kept when the
-- review leaves evidence gathering (no sheet is added after that), so that
-- results and the network view read a few rows instead of every rating.
-- sheets: how many sheets rated any statement of the indicator.
CREATE TABLE review_tallies (
	review_id BIGINT NOT NULL REFERENCES reviews (id),
	source TEXT NOT NULL,
	indicator TEXT NOT NULL,
	sheets INTEGER NOT NULL,
	na INTEGER NOT NULL,
	r1 INTEGER NOT NULL,
	r2 INTEGER NOT NULL,
	r3 INTEGER NOT NULL,
	r4 INTEGER NOT NULL,
	r5 INTEGER NOT NULL,
	PRIMARY KEY (review_id, source, indicator)
);

