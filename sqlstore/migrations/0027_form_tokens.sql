-- A sheet typed in by the team keeps the nonce of its form's one-time
-- token, so the same form sent again adds nothing. Sheets answered through
-- an invitation spend their link instead and have none (NULLs never clash).
ALTER TABLE evidence_sheets ADD COLUMN form_nonce TEXT;
CREATE UNIQUE INDEX evidence_sheets_form_nonce ON evidence_sheets (review_id, form_nonce);

-- Answers a minute through each survey link, counted here so that every
-- app server shares one limit. Rows of past minutes are pruned as a new
-- minute begins.
CREATE TABLE survey_link_counts (
	wave_id BIGINT NOT NULL,
	minute BIGINT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (wave_id, minute)
);
