-- Surveys (issue 6): questionnaires run in waves through an anonymous link.
-- Nothing here can tie a response to an account or an address: responses
-- carry the day they came in (not the time, which a request log could
-- match), a keyed hash of the respondent's own pairing code, and a keyed
-- hash of the form's one-time nonce (so that a double submit counts once).

-- Questionnaires an organisation's administrator added; the shipped ones
-- live in content/surveys.
CREATE TABLE questionnaires (
	id {{id}},
	org_id BIGINT NOT NULL REFERENCES organisations (id),
	key TEXT NOT NULL,
	version INTEGER NOT NULL,
	body TEXT NOT NULL,
	added_by BIGINT NOT NULL REFERENCES users (id),
	added_at BIGINT NOT NULL,
	UNIQUE (org_id, key, version)
);

-- A survey of one service (service_id) or a whole network (service_id
-- NULL). Its questionnaire is frozen as it stood when the survey began.
CREATE TABLE surveys (
	id {{id}},
	org_id BIGINT NOT NULL REFERENCES organisations (id),
	service_id BIGINT REFERENCES services (id),
	title TEXT NOT NULL,
	questionnaire TEXT NOT NULL,
	rate_limit INTEGER NOT NULL,
	secret TEXT NOT NULL,
	created_by BIGINT NOT NULL REFERENCES users (id),
	created_at BIGINT NOT NULL,
	version INTEGER NOT NULL
);
CREATE INDEX surveys_org ON surveys (org_id, id);

CREATE TABLE survey_waves (
	id {{id}},
	survey_id BIGINT NOT NULL REFERENCES surveys (id),
	label TEXT NOT NULL,
	baseline BOOLEAN NOT NULL,
	opens_on TEXT NOT NULL,
	closes_on TEXT NOT NULL,
	token TEXT NOT NULL UNIQUE
);
CREATE INDEX survey_waves_survey ON survey_waves (survey_id, id);

CREATE TABLE survey_responses (
	id {{id}},
	wave_id BIGINT NOT NULL REFERENCES survey_waves (id),
	service_id BIGINT NOT NULL,
	received_on TEXT NOT NULL,
	pair_code TEXT NOT NULL,
	nonce TEXT NOT NULL,
	paper BOOLEAN NOT NULL,
	UNIQUE (wave_id, nonce)
);
CREATE INDEX survey_responses_wave ON survey_responses (wave_id, id);

CREATE TABLE survey_answers (
	response_id BIGINT NOT NULL REFERENCES survey_responses (id),
	item TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (response_id, item)
);

-- Kept up to date as responses arrive, so that results at 100,000
-- responses read a few hundred rows: counts of each answer to each item,
-- and each domain's score count, sum and sum of squares, per service the
-- respondent named (0 for none), split over shards so that concurrent
-- responses rarely wait on one row.
CREATE TABLE survey_item_tallies (
	wave_id BIGINT NOT NULL REFERENCES survey_waves (id),
	service_id BIGINT NOT NULL,
	item TEXT NOT NULL,
	value TEXT NOT NULL,
	shard INTEGER NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (wave_id, service_id, item, value, shard)
);
-- A wave's respondents (the item "") are counted on every load of a survey.
CREATE INDEX survey_item_tallies_item ON survey_item_tallies (wave_id, item, n);
CREATE TABLE survey_domain_stats (
	wave_id BIGINT NOT NULL REFERENCES survey_waves (id),
	service_id BIGINT NOT NULL,
	domain TEXT NOT NULL,
	shard INTEGER NOT NULL,
	n INTEGER NOT NULL,
	total DOUBLE PRECISION NOT NULL,
	squares DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (wave_id, service_id, domain, shard)
);
-- Each response's domain scores, for pairing a respondent's baseline and
-- follow-up by their code.
CREATE TABLE survey_domain_scores (
	response_id BIGINT NOT NULL REFERENCES survey_responses (id),
	wave_id BIGINT NOT NULL REFERENCES survey_waves (id),
	service_id BIGINT NOT NULL,
	domain TEXT NOT NULL,
	score DOUBLE PRECISION NOT NULL,
	pair_code TEXT NOT NULL,
	PRIMARY KEY (response_id, domain)
);
CREATE INDEX survey_domain_scores_pairs ON survey_domain_scores (pair_code, domain, wave_id) WHERE pair_code <> '';
