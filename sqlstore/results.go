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
// gathered, from the kept tallies after. allCommentsOf names an indicator
// whose comments are all wanted ("" for none).
func (s *Store) ReviewResults(ctx context.Context, r *alongside.Review, allCommentsOf string) (*alongside.Results, error) {
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
	// not tie one comment to another from the same sheet. Only sources whose
	// comments may be shown are read, and for each indicator the first
	// CommentsPerIndicator, unless all of one indicator's are asked for.
	shown := []any{r.ID}
	for _, src := range alongside.EvidenceSources {
		if res.CommentsShown(src) {
			shown = append(shown, string(src))
		} else {
			shown = append(shown, "")
		}
	}
	shown = append(shown, alongside.CommentsPerIndicator, allCommentsOf)
	crows, err := s.query(ctx, `SELECT source, indicator, text, total FROM (
		SELECT s.source, e.indicator, e.text, ROW_NUMBER() OVER (PARTITION BY e.indicator ORDER BY e.text) AS rn,
			COUNT(*) OVER (PARTITION BY e.indicator) AS total
		FROM sheet_evidence e JOIN evidence_sheets s ON s.id = e.sheet_id
		WHERE s.review_id = $1 AND s.source IN ($2, $3, $4, $5, $6, $7)) q
		WHERE rn <= $8 OR indicator = $9 ORDER BY indicator, text`, shown...)
	if err != nil {
		return nil, err
	}
	defer crows.Close()
	res.CommentCounts = map[string]int{}
	for crows.Next() {
		var c alongside.Comment
		var src, ind string
		var total int
		if err := crows.Scan(&src, &ind, &c.Text, &total); err != nil {
			return nil, err
		}
		c.Source = alongside.EvidenceSource(src)
		res.Comments[ind] = append(res.Comments[ind], c)
		res.CommentCounts[ind] = total
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
