-- My progress: life areas the person chooses and rates from 0 to 10
-- whenever they like. Ratings are added, never changed.
CREATE TABLE progress_areas (
	person_id BIGINT NOT NULL REFERENCES users (id),
	area TEXT NOT NULL,
	added_at BIGINT NOT NULL,
	PRIMARY KEY (person_id, area)
);
CREATE TABLE progress_ratings (
	id {{id}},
	person_id BIGINT NOT NULL REFERENCES users (id),
	area TEXT NOT NULL,
	rating INTEGER NOT NULL,
	rated_at BIGINT NOT NULL
);
CREATE INDEX progress_ratings_person ON progress_ratings (person_id, rated_at);
