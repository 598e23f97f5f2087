package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/alongside-recovery/alongside"
)

// CloseAccount closes a person's account at their request: they are signed
// out everywhere and can no longer sign in, their practitioners and
// supporters lose access at once, and their records are erased once the
// longest retention period of the organisations whose services they used
// has passed (EraseDue). It returns when that will be.
func (s *Accounts) CloseAccount(ctx context.Context, personID int64) (time.Time, error) {
	var eraseAfter time.Time
	err := s.write(ctx, func(tx *Tx) error {
		days := alongside.DefaultRetentionDays
		if err := tx.QueryRowContext(tx.ctx, `SELECT COALESCE(MAX(o.retention_days), $2) FROM memberships m
			JOIN services sv ON sv.id = m.service_id JOIN organisations o ON o.id = sv.org_id
			WHERE m.user_id = $1 AND m.role = 'person'`, personID, alongside.DefaultRetentionDays).Scan(&days); err != nil {
			return err
		}
		eraseAfter = tx.now.AddDate(0, 0, days)
		if _, err := tx.ExecContext(tx.ctx, `INSERT INTO account_closures (person_id, closed_at, erase_after) VALUES ($1, $2, $3)`,
			personID, ms(tx.now), ms(eraseAfter)); err != nil {
			return err
		}
		for _, q := range []string{
			"UPDATE users SET disabled = TRUE, version = version + 1 WHERE id = $1",
			"DELETE FROM sessions WHERE user_id = $1",
			"DELETE FROM allocations WHERE person_id = $1",
			"DELETE FROM plan_grants WHERE link_id IN (SELECT id FROM supporters WHERE person_id = $1)",
		} {
			if _, err := tx.ExecContext(tx.ctx, q, personID); err != nil {
				return err
			}
		}
		return tx.audit("person.close", "person", personID, 0, 0, fmt.Sprintf("erase after %s", eraseAfter.UTC().Format("2006-01-02")))
	})
	return eraseAfter, err
}

// EraseDue erases the records of every closed account whose retention has
// passed: the plan and every version of it, supporters' views and links,
// progress, emergency openings, relationships and roles; the account itself
// is kept only as an anonymous, disabled row so that the audit log, which is
// never changed, still refers to something. It returns how many it erased.
func (s *Accounts) EraseDue(ctx context.Context) (int, error) {
	rows, err := s.query(ctx, "SELECT person_id FROM account_closures WHERE erased_at = 0 AND erase_after <= $1", ms(s.Clock.Now()))
	if err != nil {
		return 0, err
	}
	var due []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		due = append(due, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, id := range due {
		if err := s.write(ctx, func(tx *Tx) error { return tx.erase(id) }); err != nil {
			return 0, fmt.Errorf("erasing person %d: %w", id, err)
		}
	}
	return len(due), nil
}

func (tx *Tx) erase(personID int64) error {
	for _, q := range []string{
		"DELETE FROM plan_versions WHERE person_id = $1",
		"DELETE FROM plan_sections WHERE person_id = $1",
		"DELETE FROM plan_seen WHERE person_id = $1",
		"DELETE FROM plans WHERE person_id = $1",
		"DELETE FROM plan_supporter_views WHERE person_id = $1",
		"DELETE FROM plan_grants WHERE link_id IN (SELECT id FROM supporters WHERE person_id = $1)",
		"DELETE FROM supporters WHERE person_id = $1",
		"DELETE FROM login_failures WHERE account = (SELECT email FROM users WHERE id = $1)",
		"DELETE FROM progress_ratings WHERE person_id = $1",
		"DELETE FROM progress_areas WHERE person_id = $1",
		"DELETE FROM break_glass WHERE person_id = $1",
		"DELETE FROM allocations WHERE person_id = $1",
		"DELETE FROM sessions WHERE user_id = $1",
		"DELETE FROM recovery_codes WHERE user_id = $1",
		"DELETE FROM one_time_links WHERE user_id = $1 OR subject_id = $1",
		"DELETE FROM memberships WHERE user_id = $1",
		"DELETE FROM role_requests WHERE user_id = $1 OR allocate_to = $1",
		"DELETE FROM plan_open_circles WHERE person_id = $1",
		"DELETE FROM language_dismissals WHERE user_id = $1",
	} {
		if _, err := tx.ExecContext(tx.ctx, q, personID); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(tx.ctx, `UPDATE users SET name = 'Erased account', email = $2, password_hash = '',
		totp_secret = '', totp_enabled = FALSE, disabled = TRUE, language_suggestions = FALSE, version = version + 1 WHERE id = $1`,
		personID, fmt.Sprintf("erased-%d@erased.invalid", personID)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(tx.ctx, "UPDATE account_closures SET erased_at = $1 WHERE person_id = $2", ms(tx.now), personID); err != nil {
		return err
	}
	return tx.audit("person.erase", "person", personID, 0, 0, "")
}
