package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/serverkey"
)

// Drafts of sheets answered through a personal invitation link, a part at a
// time. A draft is sealed with a key made from the link's token
// (serverkey.FromSecret), which the server never keeps: a copy of the
// database, or the server key, does not show what anyone has answered so
// far. Saving a draft writes no audit line and no time: like the link
// itself, it must not be matched to the sheet it becomes.

// holdSheetDraft is the kind of hold (Tx.hold; the others are in store.go)
// a draft's save takes on its link, so that two saves on one link (two
// tabs) take turns and neither loses the other's part.
const holdSheetDraft = 35

// draftPurpose names what a key made from a link's token is for.
const draftPurpose = "sheet draft"

func draftContext(invitationID int64) string {
	return "invitation " + strconv.FormatInt(invitationID, 10)
}

// draftJSON is a draft as it is sealed: ratings by "indicator#n".
type draftJSON struct {
	R map[string]int    `json:"r,omitempty"`
	E map[string]string `json:"e,omitempty"`
	P int               `json:"p,omitempty"`
}

func sealDraft(token string, invitationID int64, d *alongside.SheetDraft) (string, error) {
	j := draftJSON{R: map[string]int{}, E: d.Evidence, P: d.Part}
	for ref, v := range d.Ratings {
		j.R[ref.Indicator+"#"+strconv.Itoa(ref.N)] = v
	}
	b, err := json.Marshal(j)
	if err != nil {
		return "", err
	}
	return serverkey.FromSecret(draftPurpose, token).Seal(draftPurpose, draftContext(invitationID), string(b)), nil
}

// openDraft opens a sealed draft; one that does not open (it cannot happen
// but by damage) is an empty draft, to be written over.
func openDraft(token string, invitationID int64, sealed string) *alongside.SheetDraft {
	d := &alongside.SheetDraft{Ratings: map[alongside.StatementRef]int{}, Evidence: map[string]string{}}
	plain, err := serverkey.FromSecret(draftPurpose, token).Open(draftPurpose, draftContext(invitationID), sealed)
	if err != nil {
		return d
	}
	var j draftJSON
	if json.Unmarshal([]byte(plain), &j) != nil {
		return d
	}
	for k, v := range j.R {
		in, n, _ := strings.Cut(k, "#")
		if i, err := strconv.Atoi(n); err == nil {
			d.Ratings[alongside.StatementRef{Indicator: in, N: i}] = v
		}
	}
	for k, v := range j.E {
		d.Evidence[k] = v
	}
	d.Part = j.P
	return d
}

// SheetDraft returns what has been answered so far through an invitation
// link that can still be used, or an empty draft if nothing is kept.
func (s *Reviews) SheetDraft(ctx context.Context, token string) (*alongside.SheetDraft, error) {
	var id int64
	var sealed string
	err := s.queryRow(ctx, `SELECT d.invitation_id, d.sealed FROM sheet_drafts d JOIN sheet_invitations i ON i.id = d.invitation_id
		WHERE i.token_hash = $1 AND NOT i.used AND i.expires_at > $2`, auth.HashToken(token), ms(s.Clock.Now())).Scan(&id, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return &alongside.SheetDraft{Ratings: map[alongside.StatementRef]int{}, Evidence: map[string]string{}}, nil
	} else if err != nil {
		return nil, err
	}
	return openDraft(token, id, sealed), nil
}

// SaveSheetDraft keeps one part of a sheet answered through a link: its
// answers to one indicator's statements and its examples replace those kept
// before, and at (the part now to be shown) is remembered. A part with an
// answer that cannot be kept is refused whole, and nothing changes. Only a
// link that can still be used keeps a draft.
func (s *Reviews) SaveSheetDraft(ctx context.Context, token string, r *alongside.Review, set *alongside.StatementSet, indicator string, part *alongside.EvidenceSheet, at int) error {
	part.Paper, part.EnteredBy, part.Reference, part.Nonce = false, 0, "", ""
	for ref := range part.Ratings {
		if ref.Indicator != indicator {
			delete(part.Ratings, ref)
		}
	}
	for k := range part.Evidence {
		if k != indicator {
			delete(part.Evidence, k)
		}
	}
	if err := part.ValidateAnswers(set); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		hash := auth.HashToken(token)
		if err := tx.hold(holdSheetDraft, hash); err != nil {
			return err
		}
		// Held until commit (as the review's stage is), so the link cannot
		// be spent, nor the review move on, while its draft is written.
		var id, expires int64
		err := tx.QueryRowContext(ctx, `SELECT id, expires_at FROM sheet_invitations
			WHERE token_hash = $1 AND review_id = $2 AND source = $3 AND NOT used AND expires_at > $4`+tx.s.dialect.forShare,
			hash, r.ID, string(part.Source), ms(tx.now)).Scan(&id, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return invitationGone
		} else if err != nil {
			return err
		}
		if stage, err := tx.reviewStage(r.ID); err != nil {
			return err
		} else if stage != alongside.StageGathering {
			return invitationGone
		}
		d, err := tx.sheetDraft(token, id)
		if err != nil {
			return err
		}
		d.Put(indicator, part)
		d.Part = at
		sealed, err := sealDraft(token, id, d)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sheet_drafts (invitation_id, review_id, expires_at, sealed) VALUES ($1, $2, $3, $4)
			ON CONFLICT (invitation_id) DO UPDATE SET sealed = excluded.sealed`, id, r.ID, expires, sealed); err != nil {
			return err
		}
		// Drafts of links that have expired go as other drafts are written
		// (and hourly, PruneSheetDrafts).
		_, err = tx.ExecContext(ctx, "DELETE FROM sheet_drafts WHERE expires_at <= $1", ms(tx.now))
		return err
	})
}

// sheetDraft reads a link's draft within a write.
func (tx *Tx) sheetDraft(token string, invitationID int64) (*alongside.SheetDraft, error) {
	var sealed string
	err := tx.QueryRowContext(tx.ctx, "SELECT sealed FROM sheet_drafts WHERE invitation_id = $1", invitationID).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return &alongside.SheetDraft{Ratings: map[alongside.StatementRef]int{}, Evidence: map[string]string{}}, nil
	} else if err != nil {
		return nil, err
	}
	return openDraft(token, invitationID, sealed), nil
}

// SendSheetDraft keeps a link's draft as its sheet and spends the link,
// together or not at all: the draft is deleted in the same transaction. A
// draft with nothing rated is refused, and stays as it was.
func (s *Reviews) SendSheetDraft(ctx context.Context, token string, r *alongside.Review, set *alongside.StatementSet, source alongside.EvidenceSource) error {
	return s.write(ctx, func(tx *Tx) error {
		id, err := tx.spendInvitation(token, r, source)
		if err != nil {
			return err
		}
		d, err := tx.sheetDraft(token, id)
		if err != nil {
			return err
		}
		sh := d.Sheet(source)
		if err := sh.Validate(set); err != nil {
			return err
		}
		if _, err := tx.ExecContext(tx.ctx, "DELETE FROM sheet_drafts WHERE invitation_id = $1", id); err != nil {
			return err
		}
		return tx.addSheet(r, sh)
	})
}

// PruneSheetDrafts deletes the drafts of links that have expired or whose
// review has stopped gathering evidence (AdvanceReview deletes those as
// the review moves on; this catches any left), and says how many.
func (s *Reviews) PruneSheetDrafts(ctx context.Context) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sheet_drafts WHERE expires_at <= $1
			OR review_id IN (SELECT id FROM reviews WHERE stage <> $2)`, ms(tx.now), string(alongside.StageGathering))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
