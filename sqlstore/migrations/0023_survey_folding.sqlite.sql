UPDATE survey_responses SET answers = COALESCE((SELECT json_group_object(item, value) FROM survey_answers a
	WHERE a.response_id = survey_responses.id), '{}');
DROP TABLE survey_answers;
