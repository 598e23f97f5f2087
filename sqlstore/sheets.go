package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/alongside-recovery/alongside"
)

// ReviewStatementSet returns the statement set a review started with.
func (s *Store) ReviewStatementSet(ctx context.Context, r *alongside.Review) (*LoadedStatementSet, error) {
	l, err := s.scanStatementSet(s.queryRow(ctx, `SELECT ss.id, ss.org_id, ss.body, ss.loaded_at, COALESCE(u.name, '')
		FROM statement_sets ss LEFT JOIN users u ON u.id = ss.loaded_by WHERE ss.id = $1`, r.StatementSetID))
	if err != nil {
		return nil, s.wrap(err)
	}
	return l, nil
}

// AddSheet keeps an evidence sheet of a review, whole or not at all. Sheets
// are collected only while the review is gathering evidence.
func (s *Store) AddSheet(ctx context.Context, r *alongside.Review, set *alongside.StatementSet, sh *alongside.EvidenceSheet) error {
	if err := sh.Validate(set); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error { return tx.addSheet(r, sh) })
}

// addSheet inserts a validated sheet, its ratings and its evidence.
func (tx *Tx) addSheet(r *alongside.Review, sh *alongside.EvidenceSheet) error {
	ctx := tx.ctx
	if err := tx.requireStage(r.ID, alongside.StageGathering, "Sheets are collected while the review is gathering evidence"); err != nil {
		return err
	}
	sh.ReviewID, sh.SubmittedAt = r.ID, tx.now
	if err := tx.QueryRowContext(ctx, `INSERT INTO evidence_sheets (review_id, source, reference, paper, entered_by, submitted_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, r.ID, string(sh.Source), sh.Reference, sh.Paper, nullID(sh.EnteredBy), ms(tx.now)).Scan(&sh.ID); err != nil {
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
	args = []any{sh.ID}
	q.WriteString("INSERT INTO sheet_evidence (sheet_id, indicator, text) VALUES ")
	for key, text := range sh.Evidence {
		if text == "" {
			continue
		}
		if len(args) > 1 {
			q.WriteString(", ")
		}
		fmt.Fprintf(&q, "($1, $%d, $%d)", len(args)+1, len(args)+2)
		args = append(args, key, text)
	}
	if len(args) > 1 {
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	return tx.audit("sheet.add", "review", r.ID, r.OrgID, r.ServiceID, string(sh.Source))
}

// PaperSheets returns how many of a review's sheets per source were
// entered from paper.
func (s *Store) PaperSheets(ctx context.Context, reviewID int64) (map[alongside.EvidenceSource]int, error) {
	return s.countSheets(ctx, "SELECT source, COUNT(*) FROM evidence_sheets WHERE review_id = $1 AND paper GROUP BY source", reviewID)
}

// SheetCounts returns how many sheets a review has for each source.
func (s *Store) SheetCounts(ctx context.Context, reviewID int64) (map[alongside.EvidenceSource]int, error) {
	return s.countSheets(ctx, "SELECT source, COUNT(*) FROM evidence_sheets WHERE review_id = $1 GROUP BY source", reviewID)
}

func (s *Store) countSheets(ctx context.Context, q string, reviewID int64) (map[alongside.EvidenceSource]int, error) {
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
