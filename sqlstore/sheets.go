package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/alongside-recovery/alongside"
)

// ReviewStatementSet returns the statement set a review started with.
// Every sheet and results page needs it, and a stored set never changes, so
// each is fetched and parsed once per process. (A database is restored
// only with the server stopped, so an id cannot come to name another set.)
func (s *Reviews) ReviewStatementSet(ctx context.Context, r *alongside.Review) (*alongside.StatementSet, error) {
	if set, ok := s.setsByID.Get(r.StatementSetID, struct{}{}); ok {
		return set, nil
	}
	l, err := s.organisations.scanStatementSet(s.queryRow(ctx, `SELECT ss.id, ss.org_id, ss.body, ss.loaded_at, COALESCE(u.name, '')
		FROM statement_sets ss LEFT JOIN users u ON u.id = ss.loaded_by WHERE ss.id = $1`, r.StatementSetID))
	if err != nil {
		return nil, s.wrap(err)
	}
	s.setsByID.Put(r.StatementSetID, struct{}{}, l.Set)
	return l.Set, nil
}

// AddSheet keeps an evidence sheet of a review, whole or not at all. Sheets
// are collected only while the review is gathering evidence.
func (s *Reviews) AddSheet(ctx context.Context, r *alongside.Review, set *alongside.StatementSet, sh *alongside.EvidenceSheet) error {
	if err := sh.Validate(set); err != nil {
		return err
	}
	return s.dialect.addSheet(s, ctx, r, sh)
}

// addSheetAlone is the general path: the sheet in a transaction of its own.
func (s *Reviews) addSheetAlone(ctx context.Context, r *alongside.Review, sh *alongside.EvidenceSheet) error {
	return s.write(ctx, func(tx *Tx) error { return tx.addSheet(r, sh) })
}

// nullText stores "" as NULL: a sheet with no form nonce clashes with none.
func nullText(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// addSheet inserts a validated sheet, its ratings and its evidence.
func (tx *Tx) addSheet(r *alongside.Review, sh *alongside.EvidenceSheet) error {
	ctx := tx.ctx
	sh.ReviewID, sh.SubmittedAt = r.ID, tx.now
	// The sheet is kept only if the review is gathering evidence, checked
	// in the same statement (one round trip fewer on every sheet) and held
	// as reviewStage holds it.
	// A form's nonce already kept is the same sheet sent again.
	err := tx.QueryRowContext(ctx, `INSERT INTO evidence_sheets (review_id, source, reference, paper, entered_by, submitted_at, form_nonce)
		SELECT id, $2, $3, $4, $5, $6, $8 FROM reviews WHERE id = $1 AND stage = $7`+tx.s.dialect.forShare+`
		ON CONFLICT (review_id, form_nonce) DO NOTHING RETURNING id`,
		r.ID, string(sh.Source), sh.Reference, sh.Paper, nullID(sh.EnteredBy), ms(tx.now), string(alongside.StageGathering), nullText(sh.Nonce)).Scan(&sh.ID)
	if errors.Is(err, sql.ErrNoRows) {
		if sh.Nonce != "" {
			var kept int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM evidence_sheets WHERE review_id = $1 AND form_nonce = $2", r.ID, sh.Nonce).Scan(&kept); err != nil {
				return err
			}
			if kept > 0 {
				return alongside.ErrAlreadyCounted
			}
		}
		if err := tx.requireStage(r.ID, alongside.StageGathering, "Sheets are collected while the review is gathering evidence"); err != nil {
			return err
		}
		return alongside.Errorf(alongside.ECONFLICT, "This review changed while the sheet was being kept. Please send it again.")
	}
	if err != nil {
		return err
	}
	// One INSERT for all the ratings and one for the evidence: a sheet is a
	// single round trip each, not one per statement.
	var q strings.Builder
	args := []any{sh.ID}
	q.WriteString("INSERT INTO sheet_ratings (sheet_id, indicator, n, rating) VALUES ")
	for ref, v := range sh.Ratings {
		if len(args) > 1 {
			q.WriteString(", ")
		}
		fmt.Fprintf(&q, "($1, $%d, $%d, $%d)", len(args)+1, len(args)+2, len(args)+3)
		args = append(args, ref.Indicator, ref.N, v)
	}
	if len(args) > 1 {
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	q.Reset()
	args = []any{sh.ID, r.ID, string(sh.Source)}
	q.WriteString("INSERT INTO sheet_evidence (sheet_id, review_id, source, indicator, text, sort_key) VALUES ")
	for key, text := range sh.Evidence {
		if text == "" {
			continue
		}
		if len(args) > 3 {
			q.WriteString(", ")
		}
		fmt.Fprintf(&q, "($1, $2, $3, $%d, $%d, $%d)", len(args)+1, len(args)+2, len(args)+3)
		args = append(args, key, text, rand.Int64())
	}
	if len(args) > 3 {
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	if err := tx.audit("sheet.add", "review", r.ID, r.OrgID, r.ServiceID, string(sh.Source)); err != nil {
		return err
	}
	return tx.addToTallies(r, sh)
}

// tallyShards is how many rows each source and indicator of a review's
// tallies is split over: sheets arriving together mostly update different
// rows instead of queueing for one until each commits.
const tallyShards = 8

// tallyAdd is what one sheet adds to the tallies of one indicator.
type tallyAdd struct {
	sheets, comments int
	counts           [6]int
}

// sheetTallies is what a sheet adds to its review's tallies, by
// indicator, and the indicators in order.
func sheetTallies(sh *alongside.EvidenceSheet) (map[string]*tallyAdd, []string) {
	adds := map[string]*tallyAdd{}
	at := func(ind string) *tallyAdd {
		if adds[ind] == nil {
			adds[ind] = &tallyAdd{}
		}
		return adds[ind]
	}
	for ref, v := range sh.Ratings {
		a := at(ref.Indicator)
		a.sheets = 1
		a.counts[v]++
	}
	for ind, text := range sh.Evidence {
		if text != "" {
			at(ind).comments = 1
		}
	}
	inds := make([]string, 0, len(adds))
	for ind := range adds {
		inds = append(inds, ind)
	}
	sort.Strings(inds)
	return adds, inds
}

// addToTallies adds a sheet to its review's tallies, so that results read
// a few maintained rows instead of adding up every rating. It runs last, to
// hold the rows for as short a time as it can, and takes them in indicator
// order, so that two sheets never wait on each other in a circle.
func (tx *Tx) addToTallies(r *alongside.Review, sh *alongside.EvidenceSheet) error {
	adds, inds := sheetTallies(sh)
	var q strings.Builder
	q.WriteString("INSERT INTO review_tallies (review_id, source, shard, indicator, sheets, comments, na, r1, r2, r3, r4, r5) VALUES ")
	args := []any{r.ID, string(sh.Source), sh.ID % tallyShards}
	for i, ind := range inds {
		if i > 0 {
			q.WriteString(", ")
		}
		n := len(args)
		fmt.Fprintf(&q, "($1, $2, $3, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8, n+9)
		a := adds[ind]
		args = append(args, ind, a.sheets, a.comments, a.counts[0], a.counts[1], a.counts[2], a.counts[3], a.counts[4], a.counts[5])
	}
	q.WriteString(` ON CONFLICT (review_id, source, indicator, shard) DO UPDATE SET
		sheets = review_tallies.sheets + excluded.sheets, comments = review_tallies.comments + excluded.comments,
		na = review_tallies.na + excluded.na, r1 = review_tallies.r1 + excluded.r1, r2 = review_tallies.r2 + excluded.r2,
		r3 = review_tallies.r3 + excluded.r3, r4 = review_tallies.r4 + excluded.r4, r5 = review_tallies.r5 + excluded.r5`)
	if len(inds) == 0 {
		return nil
	}
	_, err := tx.ExecContext(tx.ctx, q.String(), args...)
	return err
}

// PaperSheets returns how many of a review's sheets per source were
// entered from paper.
func (s *Reviews) PaperSheets(ctx context.Context, reviewID int64) (map[alongside.EvidenceSource]int, error) {
	return s.countSheets(ctx, "SELECT source, COUNT(*) FROM evidence_sheets WHERE review_id = $1 AND paper GROUP BY source", reviewID)
}

// SheetCounts returns how many sheets a review has for each source.
func (s *Reviews) SheetCounts(ctx context.Context, reviewID int64) (map[alongside.EvidenceSource]int, error) {
	return s.countSheets(ctx, "SELECT source, COUNT(*) FROM evidence_sheets WHERE review_id = $1 GROUP BY source", reviewID)
}

func (s *Reviews) countSheets(ctx context.Context, q string, reviewID int64) (map[alongside.EvidenceSource]int, error) {
	rows, err := s.query(ctx, q, reviewID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[alongside.EvidenceSource]int{}
	for rows.Next() {
		var src string
		var n int
		if err := rows.Scan(&src, &n); err != nil {
			return nil, err
		}
		out[alongside.EvidenceSource(src)] = n
	}
	return out, rows.Err()
}
