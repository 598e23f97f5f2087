package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/alongside-recovery/alongside"
)

// AttachEvidence attaches an item to a review under one of its indicators,
// keeping its figures as they are now. A complete review is closed.
func (s *Reviews) AttachEvidence(ctx context.Context, r *alongside.Review, set *alongside.StatementSet, e *alongside.AttachedEvidence) error {
	if err := e.Validate(set); err != nil {
		return err
	}
	if e.Figures == nil {
		e.Figures = []alongside.Figure{}
	}
	snap, err := json.Marshal(e.Figures)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		stage, err := tx.reviewStage(r.ID)
		if err != nil {
			return err
		}
		if stage == alongside.StageComplete {
			return alongside.Errorf(alongside.ECONFLICT, "This review is complete, so nothing more can be attached to it. Attach it to the next review.")
		}
		e.ReviewID, e.AttachedAt = r.ID, tx.now
		e.AttachedBy = alongside.OriginFrom(ctx).ActorID
		if err := tx.QueryRowContext(ctx, `INSERT INTO review_evidence (review_id, indicator, kind, title, body, snapshot, link, attached_by, attached_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, r.ID, e.Indicator, string(e.Kind), e.Title, e.Text, string(snap), e.Link,
			nullID(e.AttachedBy), ms(tx.now)).Scan(&e.ID); err != nil {
			return err
		}
		return tx.audit("evidence.attach", "review", r.ID, r.OrgID, r.ServiceID, string(e.Kind)+" "+e.Indicator)
	})
}

// ReviewEvidence returns what is attached to a review, oldest first.
func (s *Reviews) ReviewEvidence(ctx context.Context, reviewID int64) ([]alongside.AttachedEvidence, error) {
	rows, err := s.query(ctx, `SELECT e.id, e.indicator, e.kind, e.title, e.body, e.snapshot, e.link, COALESCE(e.attached_by, 0), COALESCE(u.name, ''), e.attached_at
		FROM review_evidence e LEFT JOIN users u ON u.id = e.attached_by WHERE e.review_id = $1 ORDER BY e.id`, reviewID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alongside.AttachedEvidence
	for rows.Next() {
		e := alongside.AttachedEvidence{ReviewID: reviewID}
		var kind, snap string
		var at int64
		if err := rows.Scan(&e.ID, &e.Indicator, &kind, &e.Title, &e.Text, &snap, &e.Link, &e.AttachedBy, &e.AttachedByName, &at); err != nil {
			return nil, err
		}
		e.Kind, e.AttachedAt = alongside.EvidenceKind(kind), fromMS(at)
		if err := json.Unmarshal([]byte(snap), &e.Figures); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
