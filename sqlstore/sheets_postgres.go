package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/alongside-recovery/alongside"
)

// addSheetPostgres writes sheets side by side on their own connections,
// each in one statement (addSheetInOne); when that keeps nothing (the
// review is no longer gathering, or the form was kept before) the general
// path says why.
func (s *Reviews) addSheetPostgres(ctx context.Context, r *alongside.Review, sh *alongside.EvidenceSheet) error {
	if kept, err := s.addSheetInOne(ctx, r, sh); kept || err != nil {
		return err
	}
	return s.addSheetAlone(ctx, r, sh)
}

// addSheetInOne is addSheet as one PostgreSQL statement, through
// data-modifying CTEs: the sheet (only while its review is gathering, the
// review row held against change until commit), its ratings, its
// evidence, the audit line and the tallies, in indicator order as
// addToTallies takes them. One round trip a sheet instead of seven. It
// reports false, having written nothing, when the review is not gathering
// or the sheet's form was kept before.
func (s *Reviews) addSheetInOne(ctx context.Context, r *alongside.Review, sh *alongside.EvidenceSheet) (bool, error) {
	now := s.Clock.Now()
	o := alongside.OriginFrom(ctx)
	var v valuesList
	v.args = []any{r.ID, string(sh.Source), sh.Reference, sh.Paper, nullID(sh.EnteredBy), ms(now), string(alongside.StageGathering),
		nullID(o.ActorID), o.ActorEmail, nullID(r.OrgID), nullID(r.ServiceID), o.IP, o.RequestID, nullText(sh.Nonce)}
	var ratings, evidence, tallies []string
	for ref, x := range sh.Ratings {
		v.row("(?::text, ?::int, ?::int)", ref.Indicator, ref.N, x)
		ratings = append(ratings, v.rows[len(v.rows)-1])
	}
	for key, text := range sh.Evidence {
		if text == "" {
			continue
		}
		v.row("(?::text, ?::text, ?::bigint)", key, text, rand.Int64())
		evidence = append(evidence, v.rows[len(v.rows)-1])
	}
	adds, inds := sheetTallies(sh)
	for _, ind := range inds {
		a := adds[ind]
		v.row("(?::text, ?::int, ?::int, ?::int, ?::int, ?::int, ?::int, ?::int, ?::int)",
			ind, a.sheets, a.comments, a.counts[0], a.counts[1], a.counts[2], a.counts[3], a.counts[4], a.counts[5])
		tallies = append(tallies, v.rows[len(v.rows)-1])
	}
	var b strings.Builder
	b.WriteString(`WITH sh AS (INSERT INTO evidence_sheets (review_id, source, reference, paper, entered_by, submitted_at, form_nonce)
		SELECT id, $2, $3, $4, $5, $6, $14::text FROM reviews WHERE id = $1 AND stage = $7 FOR SHARE
		ON CONFLICT (review_id, form_nonce) DO NOTHING RETURNING id)`)
	if len(ratings) > 0 {
		b.WriteString(`, rt AS (INSERT INTO sheet_ratings (sheet_id, indicator, n, rating)
			SELECT sh.id, x.indicator, x.n, x.rating FROM sh, (VALUES ` + strings.Join(ratings, ", ") + `) AS x (indicator, n, rating))`)
	}
	if len(evidence) > 0 {
		b.WriteString(`, ev AS (INSERT INTO sheet_evidence (sheet_id, review_id, source, indicator, text, sort_key)
			SELECT sh.id, $1, $2, x.indicator, x.text, x.sort_key FROM sh, (VALUES ` + strings.Join(evidence, ", ") + `) AS x (indicator, text, sort_key))`)
	}
	b.WriteString(`, au AS (INSERT INTO audit_events (at, actor_id, actor_email, action, target_kind, target_id, org_id, service_id, ip, request_id, detail)
		SELECT $6, $8::bigint, $9::text, 'sheet.add', 'review', $1, COALESCE($10::bigint, (SELECT org_id FROM services WHERE id = $11::bigint)), $11::bigint, $12::text, $13::text, $2 FROM sh)`)
	if len(tallies) > 0 {
		b.WriteString(fmt.Sprintf(`, ta AS (INSERT INTO review_tallies (review_id, source, shard, indicator, sheets, comments, na, r1, r2, r3, r4, r5)
			SELECT $1, $2, sh.id %% %d, x.indicator, x.sheets, x.comments, x.na, x.r1, x.r2, x.r3, x.r4, x.r5
			FROM sh, (VALUES `+strings.Join(tallies, ", ")+`) AS x (indicator, sheets, comments, na, r1, r2, r3, r4, r5)
			ON CONFLICT (review_id, source, indicator, shard) DO UPDATE SET
			sheets = review_tallies.sheets + excluded.sheets, comments = review_tallies.comments + excluded.comments,
			na = review_tallies.na + excluded.na, r1 = review_tallies.r1 + excluded.r1, r2 = review_tallies.r2 + excluded.r2,
			r3 = review_tallies.r3 + excluded.r3, r4 = review_tallies.r4 + excluded.r4, r5 = review_tallies.r5 + excluded.r5)`, tallyShards))
	}
	b.WriteString(` SELECT id FROM sh`)
	err := s.w.QueryRowContext(ctx, b.String(), v.args...).Scan(&sh.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, s.wrap(err)
	}
	sh.ReviewID, sh.SubmittedAt = r.ID, now
	return true, nil
}
