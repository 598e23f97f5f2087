UPDATE survey_responses r SET answers = COALESCE((SELECT json_object_agg(item, value ORDER BY item)::text FROM survey_answers a
	WHERE a.response_id = r.id), '{}');
DROP TABLE survey_answers;
-- A wave's responses not yet folded, counted through
-- survey_responses_unfolded whatever the statistics say. Statistics taken
-- mid-burst (every response unfolded) would have the planner read the whole
-- table on every load of a survey, and a bitmap scan would visit in the
-- table every version a fold left dead until vacuum; an index scan marks
-- those entries dead once and then steps over them.
CREATE FUNCTION survey_unfolded(wave BIGINT) RETURNS BIGINT LANGUAGE plpgsql STABLE
	SET enable_seqscan = off SET enable_bitmapscan = off
	AS $$ BEGIN RETURN (SELECT COUNT(*) FROM survey_responses WHERE wave_id = wave AND NOT folded); END $$;
