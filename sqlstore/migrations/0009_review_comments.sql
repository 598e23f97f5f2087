-- A review's evidence comments that may be shown, ranked within their
-- indicator by text, kept when the review leaves evidence gathering so that
-- a results page reads the first few of each indicator instead of sorting
-- every comment on every request. total: the indicator's comments in all.
CREATE TABLE review_comments (
	review_id BIGINT NOT NULL REFERENCES reviews (id),
	indicator TEXT NOT NULL,
	rank INTEGER NOT NULL,
	total INTEGER NOT NULL,
	source TEXT NOT NULL,
	text TEXT NOT NULL,
	PRIMARY KEY (review_id, indicator, rank)
);
