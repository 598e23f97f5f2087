package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/alongside-recovery/alongside"
)

// keepProfile stores a review's profile as it leaves evidence gathering;
// after that no sheet is added, so it stays true. It keeps the same rule as
// alongside.Tally.Shown.
func (tx *Tx) keepProfile(reviewID int64) error {
	_, err := tx.ExecContext(tx.ctx, `INSERT INTO review_profiles (review_id, indicator, total, rated)
		SELECT review_id, indicator, SUM(total), SUM(rated) FROM (
			SELECT review_id, source, indicator, SUM(r1 + 2*r2 + 3*r3 + 4*r4 + 5*r5) AS total,
				SUM(r1 + r2 + r3 + r4 + r5) AS rated, SUM(sheets) AS sheets
			FROM review_tallies WHERE review_id = $1 GROUP BY review_id, source, indicator) t
		WHERE source IN `+documentSources+` OR sheets >= $2
		GROUP BY review_id, indicator`, reviewID, alongside.MinGroup)
	return err
}

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

// commentsSQL picks the first comments of each of n indicators by sort key,
// among the sources that may be shown ($2–$7, one per source, ” for one
// that may not). Each indicator is its own index range read in order and
// stopped at its limit, instead of ranking every comment of the review.
func commentsSQL(n int) string {
	var q strings.Builder
	q.WriteString("SELECT indicator, source, text FROM (")
	for i := range n {
		if i > 0 {
			q.WriteString(" UNION ALL ")
		}
		fmt.Fprintf(&q, `SELECT * FROM (SELECT indicator, source, text, sort_key FROM sheet_evidence
			WHERE review_id = $1 AND indicator = $%d AND source IN ($2, $3, $4, $5, $6, $7)
			ORDER BY sort_key LIMIT $%d) AS i%d`, 8+2*i, 9+2*i, i)
	}
	q.WriteString(") AS u ORDER BY indicator, sort_key")
	return q.String()
}

// ReviewResults reads what a review's sheets add up to, from the tallies
// each sheet adds itself to. allCommentsOf names an indicator whose
// comments are all wanted ("" for none).
//
// Results are cached in the process until the review has another sheet (its
// count, read each time, says so on every app server): a results page
// viewed again while nothing changed reads one count, not the tallies and
// comments. Callers must not change what is returned.
func (s *Reviews) ReviewResults(ctx context.Context, r *alongside.Review, allCommentsOf string) (*alongside.Results, error) {
	var sheets int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM evidence_sheets WHERE review_id = $1", r.ID).Scan(&sheets); err != nil {
		return nil, err
	}
	k := resultsKey{r.ID, allCommentsOf}
	if res, ok := s.results.Get(k, sheets); ok {
		return res, nil
	}
	res, err := s.readReviewResults(ctx, r, allCommentsOf)
	if err != nil {
		return nil, err
	}
	// A sheet stored since the count was read makes the next count differ,
	// and the results are read again then.
	s.results.Put(k, sheets, res)
	return res, nil
}

func (s *Reviews) readReviewResults(ctx context.Context, r *alongside.Review, allCommentsOf string) (*alongside.Results, error) {
	res := &alongside.Results{Comments: map[string][]alongside.Comment{}, CommentCounts: map[string]int{}}
	res.Sheets = map[alongside.EvidenceSource]int{}
	// The sheets per source and the tallies come back in one round trip:
	// every results page needs both. part 0 rows count sheets, part 1 rows
	// are tallies.
	rows, err := s.query(ctx, `SELECT 0, source, '', COUNT(*), 0, 0, 0, 0, 0, 0, 0
		FROM evidence_sheets WHERE review_id = $1 GROUP BY source
		UNION ALL
		SELECT 1, source, indicator, SUM(sheets), SUM(comments), SUM(na), SUM(r1), SUM(r2), SUM(r3), SUM(r4), SUM(r5)
		FROM review_tallies WHERE review_id = $1 GROUP BY source, indicator`, r.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type key struct {
		src alongside.EvidenceSource
		ind string
	}
	comments := map[key]int{}
	for rows.Next() {
		var t alongside.Tally
		var part, n int
		var src string
		if err := rows.Scan(&part, &src, &t.Indicator, &t.Sheets, &n, &t.NA, &t.Counts[1], &t.Counts[2], &t.Counts[3], &t.Counts[4], &t.Counts[5]); err != nil {
			return nil, err
		}
		t.Source = alongside.EvidenceSource(src)
		if part == 0 {
			res.Sheets[t.Source] = t.Sheets
			continue
		}
		comments[key{t.Source, t.Indicator}] = n
		if t.Sheets > 0 {
			res.Tallies = append(res.Tallies, t)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Comments of people sources with fewer than MinGroup sheets are not
	// shown, as their figures are not.
	shown := func(src alongside.EvidenceSource) bool {
		return src.Document() || alongside.EnoughPeople(res.Sheets[src])
	}
	for k, n := range comments {
		if shown(k.src) && n > 0 {
			res.CommentCounts[k.ind] += n
		}
	}
	alongside.SortTallies(res.Tallies)

	args := []any{r.ID}
	for _, src := range alongside.EvidenceSources {
		if shown(src) {
			args = append(args, string(src))
		} else {
			args = append(args, "")
		}
	}
	inds := make([]string, 0, len(res.CommentCounts))
	for ind := range res.CommentCounts {
		inds = append(inds, ind)
	}
	sort.Strings(inds)
	for _, ind := range inds {
		limit := alongside.CommentsPerIndicator
		if ind == allCommentsOf {
			limit = res.CommentCounts[ind]
		}
		args = append(args, ind, limit)
	}
	if len(inds) == 0 {
		return res, nil
	}
	crows, err := s.query(ctx, commentsSQL(len(inds)), args...)
	if err != nil {
		return nil, err
	}
	defer crows.Close()
	for crows.Next() {
		var c alongside.Comment
		var src, ind string
		if err := crows.Scan(&ind, &src, &c.Text); err != nil {
			return nil, err
		}
		c.Source = alongside.EvidenceSource(src)
		res.Comments[ind] = append(res.Comments[ind], c)
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
func (s *Reviews) KeptProfile(ctx context.Context, reviewID int64) (map[string]alongside.ProfilePoint, error) {
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
