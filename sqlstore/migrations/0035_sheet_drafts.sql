-- What someone answering a sheet a part at a time through a personal
-- invitation link has given so far, kept until they send it (deleted in the
-- transaction that spends the link), until the link expires, or until its
-- review stops gathering evidence. The answers are sealed with a key made
-- from the link's token, which the server does not keep: only whoever holds
-- the link can read them. Like the link, a draft records no time of use.
CREATE TABLE sheet_drafts (
	invitation_id BIGINT PRIMARY KEY REFERENCES sheet_invitations (id),
	review_id BIGINT NOT NULL REFERENCES reviews (id),
	expires_at BIGINT NOT NULL,
	sealed TEXT NOT NULL
);
CREATE INDEX sheet_drafts_review ON sheet_drafts (review_id);
CREATE INDEX sheet_drafts_expires ON sheet_drafts (expires_at);
