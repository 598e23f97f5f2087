package sqlstore

import (
	"context"
	"sort"

	"github.com/alongside-recovery/alongside"
)

// tallySQL adds up a review's ratings per source and indicator.
const tallySQL = `SELECT s.source, r.indicator, COUNT(DISTINCT r.sheet_id),
	SUM(CASE WHEN r.rating = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN r.rating = 1 THEN 1 ELSE 0 END),
	SUM(CASE WHEN r.rating = 2 THEN 1 ELSE 0 END), SUM(CASE WHEN r.rating = 3 THEN 1 ELSE 0 END),
	SUM(CASE WHEN r.rating = 4 THEN 1 ELSE 0 END), SUM(CASE WHEN r.rating = 5 THEN 1 ELSE 0 END)
	FROM sheet_ratings r JOIN evidence_sheets s ON s.id = r.sheet_id
	WHERE s.review_id = $1 GROUP BY s.source, r.indicator`

// keepTallies stores a review's tallies as it leaves evidence gathering;
// after that no sheet is added, so they stay true.
func (tx *Tx) keepTallies(reviewID int64) error {
	_, err := tx.ExecContext(tx.ctx, `INSERT INTO review_tallies (review_id, source, indicator, sheets, na, r1, r2, r3, r4, r5)
		SELECT CAST($1 AS BIGINT), q.* FROM (`+tallySQL+`) q`, reviewID)
	if err != nil {
		return err
	}
	// The profile keeps the same rule as alongside.Tally.Shown.
	_, err = tx.ExecContext(tx.ctx, `INSERT INTO review_profiles (review_id, indicator, total, rated)
		SELECT review_id, indicator, SUM(r1 + 2*r2 + 3*r3 + 4*r4 + 5*r5), SUM(r1 + r2 + r3 + r4 + r5)
		FROM review_tallies WHERE review_id = $1 AND (source IN ('assessments', 'care-plans', 'service-information') OR sheets >= $2)
		GROUP BY review_id, indicator`, reviewID, alongside.MinGroup)
	return err
}

// ReviewResults adds up a review's sheets: live while evidence is being
// gathered, from the kept tallies after.
func (s *Store) ReviewResults(ctx context.Context, r *alongside.Review) (*alongside.Results, error) {
	res := &alongside.Results{Comments: map[string][]alongside.Comment{}}
	var err error
	if res.Sheets, err = s.SheetCounts(ctx, r.ID); err != nil {
		return nil, err
	}
	q := tallySQL
	if r.Stage == alongside.StageActionPlanning || r.Stage == alongside.StageComplete {
		q = "SELECT source, indicator, sheets, na, r1, r2, r3, r4, r5 FROM review_tallies WHERE review_id = $1"
	}
	rows, err := s.query(ctx, q, r.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var t alongside.Tally
		var src string
		if err := rows.Scan(&src, &t.Indicator, &t.Sheets, &t.NA, &t.Counts[1], &t.Counts[2], &t.Counts[3], &t.Counts[4], &t.Counts[5]); err != nil {
			return nil, err
		}
		t.Source = alongside.EvidenceSource(src)
		res.Tallies = append(res.Tallies, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	alongside.SortTallies(res.Tallies)

	// Comments come sorted by text, not by sheet, so that their order does
	// not tie one comment to another from the same sheet.
	crows, err := s.query(ctx, `SELECT s.source, e.indicator, e.text FROM sheet_evidence e JOIN evidence_sheets s ON s.id = e.sheet_id
		WHERE s.review_id = $1 ORDER BY e.indicator, e.text`, r.ID)
	if err != nil {
		return nil, err
	}
	defer crows.Close()
	for crows.Next() {
		var c alongside.Comment
		var src, ind string
		if err := crows.Scan(&src, &ind, &c.Text); err != nil {
			return nil, err
		}
		c.Source = alongside.EvidenceSource(src)
		if res.CommentsShown(c.Source) {
			res.Comments[ind] = append(res.Comments[ind], c)
		}
	}
	rank := map[alongside.EvidenceSource]int{}
	for i, src := range alongside.EvidenceSources {
		rank[src] = i
	}
	for _, cs := range res.Comments {
		sort.SliceStable(cs, func(i, j int) bool { return rank[cs[i].Source] < rank[cs[j].Source] })
	}
	return res, crows.Err()
}
