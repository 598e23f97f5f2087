package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
)

// Sessions stores sign-in, sessions and the actor a request is made by.
type Sessions struct {
	*db
	accounts *Accounts
}

// CreateSession starts a session for a user who has given their password
// and returns the cookie value (only its hash is stored). mfaDone is false
// when a second factor is still to come.
func (s *Sessions) CreateSession(ctx context.Context, userID int64, mfaDone bool, ip, userAgent string, p alongside.SessionPolicy) (token string, err error) {
	token = auth.NewToken()
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	err = s.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, mfa_done, ip, user_agent)
			VALUES ($1, $2, $3, $3, $4, $5, $6, $7)`, auth.HashToken(token), userID, ms(tx.now), ms(tx.now.Add(p.Absolute)), mfaDone, ip, userAgent)
		if err != nil {
			return err
		}
		// Sweep the user's expired sessions here rather than in a job, so
		// a deployment needs no scheduler.
		_, err = tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1 AND (expires_at < $2 OR last_seen_at < $3)",
			userID, ms(tx.now), ms(tx.now.Add(-p.Idle)))
		return err
	})
	return token, err
}

// Session returns the live session for a cookie value, or ENOTFOUND.
func (s *Sessions) Session(ctx context.Context, token string, p alongside.SessionPolicy) (*alongside.Session, error) {
	ss, _, err := s.SessionUser(ctx, token, p)
	return ss, err
}

// SessionUser returns the live session for a cookie value with its user, in
// one query: it runs on every signed-in request.
func (s *Sessions) SessionUser(ctx context.Context, token string, p alongside.SessionPolicy) (*alongside.Session, *alongside.User, error) {
	var ss alongside.Session
	var u alongside.User
	var created, seen, expires, userCreated int64
	err := s.queryRow(ctx, `SELECT s.id_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.mfa_done, s.ip, s.user_agent,
		u.id, u.email, u.name, u.password_hash, u.disabled, u.totp_secret, u.totp_enabled, u.totp_last_step, u.language_suggestions, u.created_at, u.version
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1`, auth.HashToken(token)).
		Scan(&ss.IDHash, &ss.UserID, &created, &seen, &expires, &ss.MFADone, &ss.IP, &ss.UserAgent,
			&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.Disabled, &u.TOTPSecret, &u.TOTPEnabled, &u.TOTPLastStep, &u.LanguageSuggestions, &userCreated, &u.Version)
	if err == sql.ErrNoRows {
		return nil, nil, notFound("session")
	} else if err != nil {
		return nil, nil, err
	}
	ss.CreatedAt, ss.LastSeenAt, ss.ExpiresAt, u.CreatedAt = fromMS(created), fromMS(seen), fromMS(expires), fromMS(userCreated)
	if !ss.Live(p, s.Clock.Now()) {
		return nil, nil, notFound("session")
	}
	return &ss, &u, nil
}

// TouchSession records activity, at most once a minute, so that reads do not
// each become a write.
func (s *Sessions) TouchSession(ctx context.Context, ss *alongside.Session) error {
	now := s.Clock.Now()
	if now.Sub(ss.LastSeenAt) < time.Minute {
		return nil
	}
	_, err := s.w.ExecContext(ctx, "UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2", ms(now), ss.IDHash)
	ss.LastSeenAt = now
	return err
}

// CompleteMFA marks a session as past its second factor.
func (s *Sessions) CompleteMFA(ctx context.Context, ss *alongside.Session) error {
	_, err := s.w.ExecContext(ctx, "UPDATE sessions SET mfa_done = TRUE WHERE id_hash = $1", ss.IDHash)
	ss.MFADone = true
	return err
}

// EndSession signs one browser out.
func (s *Sessions) EndSession(ctx context.Context, ss *alongside.Session) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE id_hash = $1", ss.IDHash); err != nil {
			return err
		}
		return tx.audit("signout", "user", ss.UserID, 0, 0, "")
	})
}

// EndAllSessions signs a user out everywhere.
func (s *Sessions) EndAllSessions(ctx context.Context, userID int64) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", userID); err != nil {
			return err
		}
		return tx.audit("signout.everywhere", "user", userID, 0, 0, "")
	})
}

// SessionCount returns how many live sessions a user has.
func (s *Sessions) SessionCount(ctx context.Context, userID int64, p alongside.SessionPolicy) (int, error) {
	now := s.Clock.Now()
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND expires_at > $2 AND last_seen_at > $3",
		userID, ms(now), ms(now.Add(-p.Idle))).Scan(&n)
	return n, err
}
