-- Results are read from maintained figures in every stage, not added up
-- from the sheets on each request: each sheet adds itself to its review's
-- tallies as it is kept (Tx.addToTallies).
--
-- review_tallies gains how many evidence comments each source wrote per
-- indicator, and holds a row wherever a sheet rated or commented on an
-- indicator (sheets stays 0 where it only commented). Each source and
-- indicator is split over a few shards, one chosen by each sheet, so that
-- sheets arriving together do not all wait on one row; readers add the
-- shards up.
CREATE TABLE review_tallies_sharded (
	review_id BIGINT NOT NULL REFERENCES reviews (id),
	source TEXT NOT NULL,
	indicator TEXT NOT NULL,
	shard INTEGER NOT NULL,
	sheets INTEGER NOT NULL,
	comments INTEGER NOT NULL DEFAULT 0,
	na INTEGER NOT NULL,
	r1 INTEGER NOT NULL,
	r2 INTEGER NOT NULL,
	r3 INTEGER NOT NULL,
	r4 INTEGER NOT NULL,
	r5 INTEGER NOT NULL,
	PRIMARY KEY (review_id, source, indicator, shard)
);
INSERT INTO review_tallies_sharded (review_id, source, indicator, shard, sheets, na, r1, r2, r3, r4, r5)
SELECT review_id, source, indicator, 0, sheets, na, r1, r2, r3, r4, r5 FROM review_tallies;
DROP TABLE review_tallies;
ALTER TABLE review_tallies_sharded RENAME TO review_tallies;

-- Comments carry their review and source, and a sort key drawn at random
-- when written: results show the first few of each indicator in that
-- order, a fair sample whose order ties no comment to its sheet, read
-- from the index instead of sorting every comment on each request.
ALTER TABLE sheet_evidence ADD COLUMN review_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sheet_evidence ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE sheet_evidence ADD COLUMN sort_key BIGINT NOT NULL DEFAULT 0;
UPDATE sheet_evidence SET
	review_id = (SELECT s.review_id FROM evidence_sheets s WHERE s.id = sheet_evidence.sheet_id),
	source = (SELECT s.source FROM evidence_sheets s WHERE s.id = sheet_evidence.sheet_id);
CREATE INDEX sheet_evidence_order ON sheet_evidence (review_id, indicator, sort_key);

-- Tallies of reviews still gathering evidence were not kept until now.
INSERT INTO review_tallies (review_id, source, indicator, shard, sheets, na, r1, r2, r3, r4, r5)
SELECT s.review_id, s.source, r.indicator, 0, COUNT(DISTINCT r.sheet_id),
	SUM(CASE WHEN r.rating = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN r.rating = 1 THEN 1 ELSE 0 END),
	SUM(CASE WHEN r.rating = 2 THEN 1 ELSE 0 END), SUM(CASE WHEN r.rating = 3 THEN 1 ELSE 0 END),
	SUM(CASE WHEN r.rating = 4 THEN 1 ELSE 0 END), SUM(CASE WHEN r.rating = 5 THEN 1 ELSE 0 END)
FROM sheet_ratings r JOIN evidence_sheets s ON s.id = r.sheet_id JOIN reviews v ON v.id = s.review_id
WHERE v.stage = 'gathering'
GROUP BY s.review_id, s.source, r.indicator;
INSERT INTO review_tallies (review_id, source, indicator, shard, sheets, na, r1, r2, r3, r4, r5)
SELECT DISTINCT e.review_id, e.source, e.indicator, 0, 0, 0, 0, 0, 0, 0, 0 FROM sheet_evidence e
WHERE NOT EXISTS (SELECT 1 FROM review_tallies t
	WHERE t.review_id = e.review_id AND t.source = e.source AND t.indicator = e.indicator);
UPDATE review_tallies SET comments = (SELECT COUNT(*) FROM sheet_evidence e
	WHERE e.review_id = review_tallies.review_id AND e.source = review_tallies.source AND e.indicator = review_tallies.indicator);

-- The ranked copy kept at the end of gathering is no longer needed.
DROP TABLE review_comments;
