package alongside

import "time"

// Session is a signed-in browser. Sessions live in the database so that
// several app servers share them; only a hash of the cookie value is stored.
type Session struct {
	IDHash     string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute expiry, however active the session
	MFADone    bool      // false between password and second factor
	IP         string
	UserAgent  string
}

// SessionPolicy sets how long sessions last.
type SessionPolicy struct {
	Idle     time.Duration // ends after this long without a request
	Absolute time.Duration // ends this long after sign-in regardless
}

// DefaultSessionPolicy suits shared office computers: half an hour idle, a
// working day at most.
var DefaultSessionPolicy = SessionPolicy{Idle: 30 * time.Minute, Absolute: 12 * time.Hour}

// Live reports whether the session is still valid at now.
func (s *Session) Live(p SessionPolicy, now time.Time) bool {
	return now.Before(s.ExpiresAt) && now.Sub(s.LastSeenAt) < p.Idle
}

// LinkPurpose says what a one-time link lets its holder do.
type LinkPurpose string

const (
	LinkInvite        LinkPurpose = "invite"         // set a first password (staff or person)
	LinkReset         LinkPurpose = "reset"          // set a new password
	LinkSupporterJoin LinkPurpose = "supporter_join" // a supporter accepts a person's invitation
	LinkEmail         LinkPurpose = "email"          // the account's email becomes the link's new address
)

// OneTimeLink is an expiring, single-use link. Only its hash is stored.
type OneTimeLink struct {
	TokenHash string
	Purpose   LinkPurpose
	UserID    int64
	SubjectID int64  // for a supporter's link: the person who invited them
	NewEmail  string // for an email link: the address it confirms
	CreatedBy int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time
}

// ResetInterval is the least time between two password resets asked for
// from the sign-in page for one account.
const ResetInterval = 10 * time.Minute

// LinkLifetime is how long an invitation or reset link stays valid.
const LinkLifetime = 7 * 24 * time.Hour

// A person may invite at most SupporterInvitesPerWindow supporters in any
// SupporterInviteWindow, so an account cannot be used to send invitations
// in bulk.
const (
	SupporterInvitesPerWindow = 10
	SupporterInviteWindow     = 24 * time.Hour
)
