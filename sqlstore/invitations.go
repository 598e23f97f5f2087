package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
)

// Invitation limits: a batch is for a team or a group, and a link lasts
// long enough for a group discussion to be arranged, but not for ever.
const (
	MaxInvitations    = 100
	MaxInvitationDays = 60
	DefaultInviteDays = 21
)

// InvitationCounts says how a review's personal invitation links stand, per
// source.
type InvitationCounts struct {
	Issued, Used, Expired int
}

// IssueInvitations creates n personal invitation links to answer a sheet of
// one source (staff, people or carers) and returns their tokens. Nothing
// about whom a link is for is kept.
func (s *Links) IssueInvitations(ctx context.Context, r *alongside.Review, source alongside.EvidenceSource, n, days int) ([]string, error) {
	f := map[string]string{}
	if !source.Valid() || source.Document() {
		f["source"] = "Choose who the links are for: staff, people using the service, or carers."
	}
	if n < 1 || n > MaxInvitations {
		f["count"] = "Make between 1 and 100 links at a time."
	}
	if days < 1 || days > MaxInvitationDays {
		f["days"] = "Links can last from 1 to 60 days."
	}
	if len(f) > 0 {
		return nil, alongside.Invalid(f)
	}
	var tokens []string
	err := s.write(ctx, func(tx *Tx) error {
		if err := tx.requireStage(r.ID, alongside.StageGathering, "Invitations can be made while the review is gathering evidence"); err != nil {
			return err
		}
		o := alongside.OriginFrom(ctx)
		for i := 0; i < n; i++ {
			t := auth.NewToken()
			if _, err := tx.ExecContext(ctx, `INSERT INTO sheet_invitations (review_id, source, token_hash, created_by, created_at, expires_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, r.ID, string(source), auth.HashToken(t), nullID(o.ActorID), ms(tx.now),
				ms(tx.now.Add(time.Duration(days)*24*time.Hour))); err != nil {
				return err
			}
			tokens = append(tokens, t)
		}
		return tx.audit("invitations.issue", "review", r.ID, r.OrgID, r.ServiceID, string(source))
	})
	return tokens, err
}

var invitationGone = alongside.Errorf(alongside.ENOTFOUND, "This link has already been used, has expired, or its review has stopped collecting answers. If you still want to take part, ask whoever sent it for a new one.")

// Invitation returns the review and source an unused, unexpired invitation
// is for, while that review is gathering evidence.
func (s *Links) Invitation(ctx context.Context, token string) (*alongside.Review, alongside.EvidenceSource, error) {
	var reviewID, expires int64
	var source string
	var used bool
	err := s.queryRow(ctx, "SELECT review_id, source, expires_at, used FROM sheet_invitations WHERE token_hash = $1", auth.HashToken(token)).
		Scan(&reviewID, &source, &expires, &used)
	if err == sql.ErrNoRows {
		return nil, "", invitationGone
	} else if err != nil {
		return nil, "", err
	}
	if used || !s.Clock.Now().Before(fromMS(expires)) {
		return nil, "", invitationGone
	}
	r, err := s.reviews.Review(ctx, reviewID)
	if err != nil {
		return nil, "", err
	}
	if r.Stage != alongside.StageGathering {
		return nil, "", invitationGone
	}
	return r, alongside.EvidenceSource(source), nil
}

// AnswerInvitation keeps a sheet answered through an invitation and spends
// the link, together or not at all: a second submit (a double tap, a second
// tab) finds the link spent and adds nothing.
func (s *Links) AnswerInvitation(ctx context.Context, token string, r *alongside.Review, set *alongside.StatementSet, sh *alongside.EvidenceSheet) error {
	sh.Paper, sh.EnteredBy, sh.Reference, sh.Nonce = false, 0, "", ""
	if err := sh.Validate(set); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		id, err := tx.spendInvitation(token, r, sh.Source)
		if err != nil {
			return err
		}
		// A draft kept on the link goes with it: what was sent is the sheet.
		if _, err := tx.ExecContext(ctx, "DELETE FROM sheet_drafts WHERE invitation_id = $1", id); err != nil {
			return err
		}
		return tx.addSheet(r, sh)
	})
}

// spendInvitation marks an unused, unexpired link used and returns its id;
// a link already spent or expired is invitationGone.
func (tx *Tx) spendInvitation(token string, r *alongside.Review, source alongside.EvidenceSource) (int64, error) {
	var id int64
	err := tx.QueryRowContext(tx.ctx, `UPDATE sheet_invitations SET used = TRUE
		WHERE token_hash = $1 AND review_id = $2 AND source = $3 AND NOT used AND expires_at > $4 RETURNING id`,
		auth.HashToken(token), r.ID, string(source), ms(tx.now)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, invitationGone
	}
	return id, err
}

// Invitations counts a review's links per source.
func (s *Links) Invitations(ctx context.Context, reviewID int64) (map[alongside.EvidenceSource]InvitationCounts, error) {
	rows, err := s.query(ctx, `SELECT source, COUNT(*), SUM(CASE WHEN used THEN 1 ELSE 0 END),
		SUM(CASE WHEN NOT used AND expires_at <= $2 THEN 1 ELSE 0 END)
		FROM sheet_invitations WHERE review_id = $1 GROUP BY source`, reviewID, ms(s.Clock.Now()))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[alongside.EvidenceSource]InvitationCounts{}
	for rows.Next() {
		var src string
		var c InvitationCounts
		if err := rows.Scan(&src, &c.Issued, &c.Used, &c.Expired); err != nil {
			return nil, err
		}
		out[alongside.EvidenceSource(src)] = c
	}
	return out, rows.Err()
}
