package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/alongside-recovery/alongside"
)

// Audit stores reading the audit log.
type Audit struct {
	*db
}

// Audit records an event that changes nothing else, such as reading a
// person's record. It returns once the line is committed: every read stays
// audited before its page is shown. Lines from concurrent requests share a
// commit (writeTogether), so a burst of reads costs one commit, not one
// each.
func (s *Audit) Audit(ctx context.Context, action, targetKind string, targetID, orgID, serviceID int64, detail string) error {
	return s.writeTogether(ctx, func(tx *Tx) error {
		return tx.audit(action, targetKind, targetID, orgID, serviceID, detail)
	})
}

// AuditEvents returns events matching the filter, newest first, and whether
// there are more after this page.
func (s *Audit) AuditEvents(ctx context.Context, f alongside.AuditFilter) (events []alongside.AuditEvent, more bool, err error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+itoa(int64(len(args)))))
	}
	if f.OrgID != 0 {
		// An organisation's log holds events within it and events about its
		// members (sign-ins, password changes) that carry no organisation.
		add(`(org_id = ? OR (org_id IS NULL AND target_kind = 'user' AND target_id IN
			(SELECT user_id FROM memberships WHERE org_id = ?)))`, f.OrgID)
	}
	if f.ActorEmail != "" {
		add("actor_email = ?", alongside.NormaliseEmail(f.ActorEmail))
	}
	if f.Action != "" {
		add("action LIKE ?", strings.TrimSpace(f.Action)+"%")
	}
	if f.TargetKind != "" {
		add("target_kind = ?", f.TargetKind)
	}
	if f.TargetID != 0 {
		add("target_id = ?", f.TargetID)
	}
	if !f.From.IsZero() {
		add("at >= ?", ms(f.From))
	}
	if !f.To.IsZero() {
		add("at < ?", ms(f.To))
	}
	q := auditSelect
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q += " ORDER BY id DESC LIMIT " + itoa(int64(limit+1)) + " OFFSET " + itoa(int64(max(f.Offset, 0)))
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, false, err
	}
	return scanAuditEvents(rows, limit)
}

const auditSelect = `SELECT id, at, COALESCE(actor_id, 0), actor_email, action, target_kind, COALESCE(target_id, 0),
	COALESCE(org_id, 0), COALESCE(service_id, 0), ip, request_id, detail FROM audit_events`

// PersonActivity returns the audit events about a person (reads and changes
// of their page and plan), newest first, and whether there are more after
// this page. The literal target kind lets it use the partial index that
// holds only events about people, which other audit lines do not pay for.
func (s *Audit) PersonActivity(ctx context.Context, personID int64, offset, limit int) ([]alongside.AuditEvent, bool, error) {
	rows, err := s.query(ctx, auditSelect+" WHERE target_kind = 'person' AND target_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3",
		personID, limit+1, max(offset, 0))
	if err != nil {
		return nil, false, err
	}
	return scanAuditEvents(rows, limit)
}

func scanAuditEvents(rows *sql.Rows, limit int) (events []alongside.AuditEvent, more bool, err error) {
	defer rows.Close()
	for rows.Next() {
		var e alongside.AuditEvent
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.ActorEmail, &e.Action, &e.TargetKind, &e.TargetID, &e.OrgID, &e.ServiceID, &e.IP, &e.RequestID, &e.Detail); err != nil {
			return nil, false, err
		}
		e.At = fromMS(at)
		events = append(events, e)
	}
	if len(events) > limit {
		return events[:limit], true, rows.Err()
	}
	return events, false, rows.Err()
}

// AuditPeople writes one audit line for each allocation's person (in that
// allocation's service), all in one transaction: a page that shows
// something of several people's records, such as a practitioner's home
// page, is a read of each.
func (s *Audit) AuditPeople(ctx context.Context, action, detail string, people []alongside.Allocation) error {
	if len(people) == 0 {
		return nil
	}
	return s.writeTogether(ctx, func(tx *Tx) error {
		for _, a := range people {
			if err := tx.audit(action, "person", a.PersonID, 0, a.ServiceID, detail); err != nil {
				return err
			}
		}
		return nil
	})
}
