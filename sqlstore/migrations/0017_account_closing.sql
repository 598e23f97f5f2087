-- How long a closed account's records are kept before they are erased,
-- set per organisation; and each closing, with when its erasure is due and
-- when it was done.
ALTER TABLE organisations ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 30;

CREATE TABLE account_closures (
	person_id BIGINT PRIMARY KEY REFERENCES users (id),
	closed_at BIGINT NOT NULL,
	erase_after BIGINT NOT NULL,
	erased_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX account_closures_due ON account_closures (erased_at, erase_after);
