package alongside

import (
	"context"
	"time"
)

// AuditEvent is one line of the append-only audit log: who did what to which
// record, when, and from where.
type AuditEvent struct {
	ID         int64
	At         time.Time
	ActorID    int64  // 0 when nobody was signed in (e.g. a failed sign-in)
	ActorEmail string // stored as it was, so the log reads true after renames
	Action     string // e.g. "user.create", "signin.fail", "person.view"
	TargetKind string // "user", "service", "organisation", "person", ...
	TargetID   int64
	OrgID      int64
	ServiceID  int64
	IP         string // empty on routes that take anonymous answers
	RequestID  string
	Detail     string
}

// AuditFilter narrows the audit log for an administrator.
type AuditFilter struct {
	OrgID      int64 // 0: every organisation (system administrators only)
	ActorEmail string
	Action     string // prefix match, e.g. "signin"
	TargetKind string
	TargetID   int64
	From, To   time.Time // zero: open
	Offset     int
	Limit      int
}

// Origin is who and where a request comes from. The web layer puts it in the
// context; the store writes it into every audit event of that request.
type Origin struct {
	ActorID    int64
	ActorEmail string
	IP         string
	RequestID  string
}

type originKey struct{}

// WithOrigin returns a context carrying o.
func WithOrigin(ctx context.Context, o Origin) context.Context {
	return context.WithValue(ctx, originKey{}, o)
}

// OriginFrom returns the origin in ctx, or the zero Origin (a command-line
// action, say).
func OriginFrom(ctx context.Context) Origin {
	o, _ := ctx.Value(originKey{}).(Origin)
	return o
}
