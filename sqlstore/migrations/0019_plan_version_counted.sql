-- A plan's version is now the number of saves it has had, counted from
-- plan_versions, rather than a counter every save had to update: saves of
-- different sections of one plan no longer wait for each other. Each
-- section's save is a compare-and-swap on its own row. plans keeps only the
-- sign-off.
ALTER TABLE plan_sections DROP COLUMN plan_version;
ALTER TABLE plan_versions DROP COLUMN plan_version;
ALTER TABLE plans DROP COLUMN version;
