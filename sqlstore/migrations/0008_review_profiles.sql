-- Each review's profile point per indicator, kept with its tallies when the
-- review leaves evidence gathering: the total and number of the ratings
-- that may be shown (documents, and people sources with 5 or more sheets).
-- The network view reads these, one row per review and indicator.
CREATE TABLE review_profiles (
	review_id BIGINT NOT NULL REFERENCES reviews (id),
	indicator TEXT NOT NULL,
	total INTEGER NOT NULL,
	rated INTEGER NOT NULL,
	PRIMARY KEY (review_id, indicator)
);
CREATE INDEX reviews_service_stage ON reviews (service_id, stage);
