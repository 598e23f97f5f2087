package sqlstore

import (
	"context"
	"sort"
	"strings"

	"github.com/alongside-recovery/alongside"
)

// tallySQL adds up a review's ratings per source and indicator.
const tallySQL = `SELECT s.source, r.indicator, COUNT(DISTINCT r.sheet_id),
	SUM(CASE WHEN r.rating = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN r.rating = 1 THEN 1 ELSE 0 END),
	SUM(CASE WHEN r.rating = 2 THEN 1 ELSE 0 END), SUM(CASE WHEN r.rating = 3 THEN 1 ELSE 0 END),
	SUM(CASE WHEN r.rating = 4 THEN 1 ELSE 0 END), SUM(CASE WHEN r.rating = 5 THEN 1 ELSE 0 END)
	FROM sheet_ratings r JOIN evidence_sheets s ON s.id = r.sheet_id
	WHERE s.review_id = $1 GROUP BY s.source, r.indicator`

// documentSources is the SQL list of the sources that are documents, from
// alongside.EvidenceSource.Document: their figures are shown whatever their
// number, as the rule on small numbers is about people.
var documentSources = func() string {
	var quoted []string
	for _, src := range alongside.EvidenceSources {
		if src.Document() {
			quoted = append(quoted, "'"+string(src)+"'")
		}
	}
	return "(" + strings.Join(quoted, ", ") + ")"
}()

// rankedCommentsSQL lists a review's comments that may be shown (documents,
// and people sources with MinGroup sheets: $2), ranked within their indicator
// by text, so that their order does not tie one comment to another from the
// same sheet.
var rankedCommentsSQL = `SELECT e.indicator, s.source, e.text,
		ROW_NUMBER() OVER (PARTITION BY e.indicator ORDER BY e.text) AS rn,
		COUNT(*) OVER (PARTITION BY e.indicator) AS total
	FROM sheet_evidence e JOIN evidence_sheets s ON s.id = e.sheet_id
	WHERE s.review_id = $1 AND (s.source IN ` + documentSources + `
		OR (SELECT COUNT(*) FROM evidence_sheets x WHERE x.review_id = s.review_id AND x.source = s.source) >= $2)`

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
		FROM review_tallies WHERE review_id = $1 AND (source IN `+documentSources+` OR sheets >= $2)
		GROUP BY review_id, indicator`, reviewID, alongside.MinGroup)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(tx.ctx, `INSERT INTO review_comments (review_id, indicator, rank, total, source, text)
		SELECT CAST($1 AS BIGINT), q.indicator, q.rn, q.total, q.source, q.text FROM (`+rankedCommentsSQL+`) q`, reviewID, alongside.MinGroup)
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
	kept := r.Stage == alongside.StageActionPlanning || r.Stage == alongside.StageComplete
	if kept {
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

	// For each indicator the first CommentsPerIndicator comments, unless all
	// of one indicator's are asked for.
	cq := `SELECT source, indicator, text, total FROM (` + rankedCommentsSQL + `) q
		WHERE rn <= $3 OR indicator = $4 ORDER BY indicator, rn`
	args := []any{r.ID, alongside.MinGroup, alongside.CommentsPerIndicator, allCommentsOf}
	if kept {
		cq = `SELECT source, indicator, text, total FROM review_comments
			WHERE review_id = $1 AND (rank <= $2 OR indicator = $3) ORDER BY indicator, rank`
		args = []any{r.ID, alongside.CommentsPerIndicator, allCommentsOf}
	}
	crows, err := s.query(ctx, cq, args...)
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

// KeptProfile returns the profile kept when a review left evidence
// gathering, by indicator; an indicator without a figure is absent. A
// previous review is always complete, so this is how a review compares
// itself with the last without adding up the last one's sheets again.
func (s *Store) KeptProfile(ctx context.Context, reviewID int64) (map[string]alongside.ProfilePoint, error) {
	rows, err := s.query(ctx, "SELECT indicator, total, rated FROM review_profiles WHERE review_id = $1", reviewID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]alongside.ProfilePoint{}
	for rows.Next() {
		var ind string
		var total, rated int
		if err := rows.Scan(&ind, &total, &rated); err != nil {
			return nil, err
		}
		if rated > 0 {
			out[ind] = alongside.NewProfilePoint(ind, total, rated)
		}
	}
	return out, rows.Err()
}
