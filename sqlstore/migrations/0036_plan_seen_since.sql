-- What a viewer last saw of a plan, as the newest save they were shown
-- (plan_versions.id), so that home pages can say which sections changed,
-- and who changed them, since the viewer last looked. plan_version stays
-- the count the caseload compares with. Rows already kept point at the save
-- that made the version they saw.
ALTER TABLE plan_seen ADD COLUMN seen_id BIGINT NOT NULL DEFAULT 0;
UPDATE plan_seen SET seen_id = COALESCE((SELECT v.id FROM plan_versions v WHERE v.person_id = plan_seen.person_id
	AND (SELECT COUNT(*) FROM plan_versions w WHERE w.person_id = v.person_id AND w.id <= v.id) = plan_seen.plan_version), 0);
