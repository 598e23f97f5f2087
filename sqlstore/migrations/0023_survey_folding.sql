-- An answer to a survey is one row (issue 6 §8): its answers are a column
-- of the response (a JSON object of item → answer), and the tallies are
-- no longer updated by every answer. Responses not yet in the tallies are
-- marked so (folded false); whoever next reads a wave's results adds them
-- to its tallies and domain scores in one transaction (Store.foldWave), and
-- a wave's count of respondents is its tallies' count plus its responses
-- not yet folded, so it is exact whenever it is read.
ALTER TABLE survey_responses ADD COLUMN answers TEXT NOT NULL DEFAULT '{}';
ALTER TABLE survey_responses ADD COLUMN folded BOOLEAN NOT NULL DEFAULT FALSE;
-- Responses already here were tallied as they came in.
UPDATE survey_responses SET folded = TRUE;
CREATE INDEX survey_responses_unfolded ON survey_responses (wave_id) WHERE NOT folded;
-- Responses are found by wave through (wave_id, nonce); one index fewer to
-- write per answer.
DROP INDEX survey_responses_wave;
