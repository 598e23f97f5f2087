-- What each supporter may see of the person's plan, section by section, as
-- the person chooses; add_view lets them add their own view to it. Read
-- with the supporter's relationships on every request, so taking a grant
-- away takes effect on their next request.
CREATE TABLE plan_grants (
	link_id BIGINT NOT NULL REFERENCES supporters (id),
	section TEXT NOT NULL,
	add_view BOOLEAN NOT NULL DEFAULT FALSE,
	PRIMARY KEY (link_id, section)
);

-- A supporter's own view on a section, where the person allows it. Added,
-- never changed: the person sees who wrote what, and when.
CREATE TABLE plan_supporter_views (
	id {{id}},
	person_id BIGINT NOT NULL REFERENCES users (id),
	section TEXT NOT NULL,
	supporter_id BIGINT NOT NULL REFERENCES users (id),
	text TEXT NOT NULL,
	written_at BIGINT NOT NULL
);
CREATE INDEX plan_supporter_views_person ON plan_supporter_views (person_id, section, id);
