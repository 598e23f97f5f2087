package sqlstore

import (
	"context"

	"github.com/alongside-recovery/alongside"
)

// ProgressAreas returns the areas the person has chosen, in the order chosen.
func (s *Plans) ProgressAreas(ctx context.Context, personID int64) ([]string, error) {
	rows, err := s.query(ctx, "SELECT area FROM progress_areas WHERE person_id = $1 ORDER BY added_at, area", personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AddProgressArea adds an area the person wants to rate.
func (s *Plans) AddProgressArea(ctx context.Context, personID int64, name string) error {
	area, err := alongside.CleanArea(name)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(tx.ctx, `INSERT INTO progress_areas (person_id, area, added_at) VALUES ($1, $2, $3)
			ON CONFLICT (person_id, area) DO NOTHING`, personID, area, ms(tx.now))
		return err
	})
}

// RateProgress keeps the person's ratings of their areas, all at one time:
// each from 0 to 10, of areas they chose.
func (s *Plans) RateProgress(ctx context.Context, personID int64, ratings map[string]int, serviceID int64) error {
	areas, err := s.ProgressAreas(ctx, personID)
	if err != nil {
		return err
	}
	chosen := map[string]bool{}
	for _, a := range areas {
		chosen[a] = true
	}
	for a, v := range ratings {
		if !chosen[a] || v < 0 || v > 10 {
			return alongside.Errorf(alongside.EINVALID, "Each rating is from 0 to 10, for an area you chose. Reload the page and try again.")
		}
	}
	if len(ratings) == 0 {
		return alongside.Invalid(map[string]string{"ratings": "Choose a number for at least one area."})
	}
	return s.write(ctx, func(tx *Tx) error {
		for a, v := range ratings {
			if _, err := tx.ExecContext(tx.ctx, "INSERT INTO progress_ratings (person_id, area, rating, rated_at) VALUES ($1, $2, $3, $4)",
				personID, a, v, ms(tx.now)); err != nil {
				return err
			}
		}
		return tx.audit("progress.rate", "person", personID, 0, serviceID, "")
	})
}

// ProgressRatings returns every rating of the person, oldest first.
func (s *Plans) ProgressRatings(ctx context.Context, personID int64) ([]alongside.ProgressRating, error) {
	rows, err := s.query(ctx, "SELECT area, rating, rated_at FROM progress_ratings WHERE person_id = $1 ORDER BY rated_at, id", personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alongside.ProgressRating
	for rows.Next() {
		var r alongside.ProgressRating
		var at int64
		if err := rows.Scan(&r.Area, &r.Rating, &at); err != nil {
			return nil, err
		}
		r.RatedAt = fromMS(at)
		out = append(out, r)
	}
	return out, rows.Err()
}
