-- Each service points at its latest completed review and counts its
-- completed reviews, kept as a review completes (Store.AdvanceReview), so
-- that the network view joins a thousand services straight to their latest
-- profile and plan instead of grouping every review on each request.
ALTER TABLE services ADD COLUMN latest_review_id BIGINT REFERENCES reviews (id);
ALTER TABLE services ADD COLUMN completed_reviews INTEGER NOT NULL DEFAULT 0;
UPDATE services SET
	latest_review_id = (SELECT MAX(r.id) FROM reviews r WHERE r.service_id = services.id AND r.stage = 'complete'),
	completed_reviews = (SELECT COUNT(*) FROM reviews r WHERE r.service_id = services.id AND r.stage = 'complete');
