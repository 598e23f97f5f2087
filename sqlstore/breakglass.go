package sqlstore

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/alongside-recovery/alongside"
)

// OpenCrisisPlanInEmergency records a practitioner opening the crisis plan
// of a person of their service, with their reason, and lets them read it
// for alongside.BreakGlassFor. Both must be in the service: the person as
// someone using it, the practitioner on its staff.
func (s *Accounts) OpenCrisisPlanInEmergency(ctx context.Context, b *alongside.BreakGlass) error {
	b.Reason = strings.TrimSpace(b.Reason)
	f := map[string]string{}
	switch {
	case b.Reason == "":
		f["reason"] = "Say why you need to open the crisis plan now. The person and the service manager will see it."
	case alongside.TextProblem(b.Reason) != "":
		f["reason"] = alongside.TextProblem(b.Reason)
	case utf8.RuneCountInString(b.Reason) > 1000:
		f["reason"] = "Please keep the reason to 1,000 characters or fewer."
	}
	if b.PersonID == 0 {
		f["person"] = "Choose whose crisis plan you need."
	}
	if len(f) > 0 {
		return alongside.Invalid(f)
	}
	return s.write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM memberships
			WHERE service_id = $1 AND ((user_id = $2 AND role = 'person') OR (user_id = $3 AND role = 'practitioner'))`,
			b.ServiceID, b.PersonID, b.PractitionerID).Scan(&n); err != nil {
			return err
		}
		if n != 2 {
			return alongside.Invalid(map[string]string{"person": "Choose someone who uses this service."})
		}
		b.OpenedAt, b.ExpiresAt = tx.now, tx.now.Add(alongside.BreakGlassFor)
		if err := tx.QueryRowContext(tx.ctx, `INSERT INTO break_glass (person_id, practitioner_id, service_id, reason, opened_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, b.PersonID, b.PractitionerID, b.ServiceID, b.Reason, ms(b.OpenedAt), ms(b.ExpiresAt)).Scan(&b.ID); err != nil {
			return err
		}
		return tx.audit("plan.break_glass", "person", b.PersonID, 0, b.ServiceID, b.Reason)
	})
}

// ServiceBreakGlass returns the emergency openings of crisis plans in a
// service, newest first, for its manager.
func (s *Accounts) ServiceBreakGlass(ctx context.Context, serviceID int64, limit int) ([]alongside.BreakGlass, error) {
	rows, err := s.query(ctx, `SELECT b.id, b.person_id, b.practitioner_id, b.service_id, b.reason, b.opened_at, b.expires_at, pe.name, pr.name
		FROM break_glass b JOIN users pe ON pe.id = b.person_id JOIN users pr ON pr.id = b.practitioner_id
		WHERE b.service_id = $1 ORDER BY b.id DESC LIMIT $2`, serviceID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alongside.BreakGlass
	for rows.Next() {
		var b alongside.BreakGlass
		var opened, expires int64
		if err := rows.Scan(&b.ID, &b.PersonID, &b.PractitionerID, &b.ServiceID, &b.Reason, &opened, &expires, &b.PersonName, &b.PractitionerName); err != nil {
			return nil, err
		}
		b.OpenedAt, b.ExpiresAt = fromMS(opened), fromMS(expires)
		out = append(out, b)
	}
	return out, rows.Err()
}
