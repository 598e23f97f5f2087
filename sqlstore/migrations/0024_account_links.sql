-- Sign-in links made for and used on an account that uses no service, read
-- by target on that account's own page.
CREATE INDEX audit_events_user ON audit_events (target_id, id) WHERE target_kind = 'user';
