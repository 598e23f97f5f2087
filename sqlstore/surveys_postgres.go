package sqlstore

// postgresUnfoldedResponses counts a wave's responses not yet folded
// (unfoldedResponses, the general SQL) through survey_unfolded, a stored
// function that migration 0023_survey_folding.postgres.sql defines:
//
//	survey_unfolded(wave BIGINT) RETURNS BIGINT
//
// is the number of the wave's survey_responses with folded false, counted
// through the partial index survey_responses_unfolded with sequential and
// bitmap scans turned off for that one statement. Without it, statistics
// taken mid-burst (every response unfolded) would have the planner read
// the whole table on every load of a survey, queueing each survey page
// behind a scan that grows with every answer; and a bitmap scan would
// visit in the table every row version a fold left dead until vacuum,
// where an index scan marks those entries dead once and then steps over
// them.
const postgresUnfoldedResponses = "survey_unfolded(survey_waves.id)"

// postgresFoldLock makes folds of one wave take turns across app servers:
// two int4 keys, a space apart from the migration lock's bigint.
const postgresFoldLock = "SELECT pg_advisory_xact_lock(6, ($1 % 2147483647)::int)"
