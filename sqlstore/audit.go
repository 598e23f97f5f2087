package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"

	"github.com/alongside-recovery/alongside"
)

// Audit records an event that changes nothing else, such as reading a
// person's record. It returns once the line is committed. Lines from
// concurrent requests are committed together in one transaction (a group
// commit): every read stays audited before its page is shown, and a burst of
// reads costs one commit instead of one each.
func (s *Store) Audit(ctx context.Context, action, targetKind string, targetID, orgID, serviceID int64, detail string) error {
	l := &auditLine{origin: alongside.OriginFrom(ctx), action: action, kind: targetKind, target: targetID,
		org: orgID, service: serviceID, detail: detail, done: make(chan error, 1)}
	return s.audits.add(ctx, s, l)
}

type auditLine struct {
	origin               alongside.Origin
	action, kind, detail string
	target, org, service int64
	done                 chan error
}

// auditBatcher is the queue of lines waiting for Store.Audit's writer.
type auditBatcher struct {
	once   sync.Once
	lines  chan *auditLine
	closed chan struct{}
	halt   sync.Once
}

// maxAuditBatch bounds one transaction's lines.
const maxAuditBatch = 128

func (b *auditBatcher) add(ctx context.Context, s *Store, l *auditLine) error {
	b.once.Do(func() {
		b.lines, b.closed = make(chan *auditLine, maxAuditBatch), make(chan struct{})
		go b.run(s)
	})
	select {
	case b.lines <- l:
	case <-b.closed:
		return errors.New("the store is closed")
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-l.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (b *auditBatcher) stop() {
	b.once.Do(func() { b.closed = make(chan struct{}) }) // never started
	b.halt.Do(func() { close(b.closed) })
}

// run writes whatever lines are waiting in one transaction, again and again.
func (b *auditBatcher) run(s *Store) {
	for {
		var batch []*auditLine
		select {
		case l := <-b.lines:
			batch = append(batch, l)
		case <-b.closed:
			return
		}
	more:
		for len(batch) < maxAuditBatch {
			select {
			case l := <-b.lines:
				batch = append(batch, l)
			default:
				break more
			}
		}
		err := s.write(context.Background(), func(tx *Tx) error {
			for _, l := range batch {
				if err := tx.auditAs(l.origin, l.action, l.kind, l.target, l.org, l.service, l.detail); err != nil {
					return err
				}
			}
			return nil
		})
		for _, l := range batch {
			l.done <- err
		}
	}
}

// AuditEvents returns events matching the filter, newest first, and whether
// there are more after this page.
func (s *Store) AuditEvents(ctx context.Context, f alongside.AuditFilter) (events []alongside.AuditEvent, more bool, err error) {
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
func (s *Store) PersonActivity(ctx context.Context, personID int64, offset, limit int) ([]alongside.AuditEvent, bool, error) {
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
