-- A table that stays empty: after a write failed for want of disk space,
-- /readyz writes a row of a few pages here and takes it away in the same
-- transaction, to learn whether writes succeed again (Store.Ready).
CREATE TABLE write_probes (
    id {{id}},
    filler TEXT NOT NULL
);
