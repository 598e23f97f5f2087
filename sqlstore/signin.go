package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
)

// Throttle limits failed sign-ins. Counts live in the database so that every
// app server sees the same numbers.
type Throttle struct {
	Window     time.Duration
	PerAccount int // failures per typed email within Window
	PerAddress int // failures per client address within Window
}

// DefaultThrottle slows guessing without locking out a whole office that
// shares one address.
var DefaultThrottle = Throttle{Window: 15 * time.Minute, PerAccount: 5, PerAddress: 50}

// Throttled reports whether sign-in for this email or address must wait.
// It counts by the typed email whether or not an account exists, so the
// answer reveals nothing.
func (s *Sessions) Throttled(ctx context.Context, t Throttle, email, ip string) (bool, error) {
	return t.reached(ctx, s.queryRow, clipEmail(email), ip, s.Clock.Now())
}

// reached reports whether the failures counted for the account or the
// address within the window have reached the limit.
func (t Throttle) reached(ctx context.Context, row func(context.Context, string, ...any) *sql.Row, email, ip string, now time.Time) (bool, error) {
	since := ms(now.Add(-t.Window))
	var acct, addr int
	if err := row(ctx, "SELECT COUNT(*) FROM login_failures WHERE account = $1 AND at > $2", email, since).Scan(&acct); err != nil {
		return false, err
	}
	if err := row(ctx, "SELECT COUNT(*) FROM login_failures WHERE ip = $1 AND at > $2", ip, since).Scan(&addr); err != nil {
		return false, err
	}
	return acct >= t.PerAccount || addr >= t.PerAddress, nil
}

// SignInAttempt is an attempt to sign in, counted before its password is
// checked (BeginSignIn).
type SignInAttempt struct {
	id    int64
	email string
}

// BeginSignIn counts an attempt to sign in before its password is checked,
// or refuses it (ETHROTTLED) when the account or the address has used up
// its attempts within the window. The count and the decision are one
// transaction that holds the typed email and the address until it commits,
// so a burst of attempts at once, on one app server or several, gets no
// more checks than the limit. The attempt counts as a failure until
// UncountAttempt takes it off. A refused attempt counts too, so guessing on
// keeps the door shut.
func (s *Sessions) BeginSignIn(ctx context.Context, t Throttle, email, ip string) (*SignInAttempt, error) {
	a := &SignInAttempt{email: clipEmail(email)}
	refused := false
	err := s.write(ctx, func(tx *Tx) error {
		// Always the account before the address, so that two attempts
		// never each wait for the other.
		if err := tx.hold(holdSignInAccount, a.email); err != nil {
			return err
		}
		if err := tx.hold(holdSignInAddress, ip); err != nil {
			return err
		}
		var err error
		if refused, err = t.reached(ctx, tx.QueryRowContext, a.email, ip, tx.now); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "INSERT INTO login_failures (account, ip, at) VALUES ($1, $2, $3) RETURNING id",
			a.email, ip, ms(tx.now)).Scan(&a.id); err != nil {
			return err
		}
		if err := tx.forgetOldFailures(ctx); err != nil {
			return err
		}
		if refused {
			return tx.audit("signin.fail", "account", 0, 0, 0, a.email+": throttled")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if refused {
		return nil, alongside.Errorf(alongside.ETHROTTLED, "There have been too many attempts to sign in.")
	}
	return a, nil
}

// AttemptFailed records in the audit log why a counted attempt failed; it
// stays counted.
func (s *Sessions) AttemptFailed(ctx context.Context, a *SignInAttempt, reason string) error {
	return s.write(ctx, func(tx *Tx) error {
		return tx.audit("signin.fail", "account", 0, 0, 0, a.email+": "+reason)
	})
}

// UncountAttempt takes an attempt off the count: its password was right (a
// second factor, if any, is counted afresh), or never checked because the
// server was too busy.
func (s *Sessions) UncountAttempt(ctx context.Context, a *SignInAttempt) error {
	return s.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE id = $1", a.id)
		return err
	})
}

// SignInFailed records a failed attempt for throttling and in the audit log.
func (s *Sessions) SignInFailed(ctx context.Context, email, ip, reason string) error {
	email = clipEmail(email)
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO login_failures (account, ip, at) VALUES ($1, $2, $3)", email, ip, ms(tx.now)); err != nil {
			return err
		}
		if err := tx.forgetOldFailures(ctx); err != nil {
			return err
		}
		return tx.audit("signin.fail", "account", 0, 0, 0, email+": "+reason)
	})
}

// forgetOldFailures drops failures too old to count, keeping the table small.
func (tx *Tx) forgetOldFailures(ctx context.Context) error {
	_, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE at < $1", ms(tx.now.Add(-24*time.Hour)))
	return err
}

// clipEmail is the typed email as failures are counted by: normalised, and
// cut to the longest an address may be (never inside a character, which
// PostgreSQL would refuse).
func clipEmail(email string) string {
	email = alongside.NormaliseEmail(email)
	if len(email) > 254 {
		email = strings.ToValidUTF8(email[:254], "")
	}
	return email
}

// SignedIn records a successful sign-in and clears the account's failures.
func (s *Sessions) SignedIn(ctx context.Context, u *alongside.User, detail string) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE account = $1", u.Email); err != nil {
			return err
		}
		return tx.audit("signin", "user", u.ID, 0, 0, detail)
	})
}

// UseTOTPStep accepts a time step for a user only if it is newer than the
// last one accepted, so a code cannot be replayed, even on another server.
func (s *Sessions) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := s.w.ExecContext(ctx, "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1", step, userID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UseRecoveryCode spends a recovery code, reporting whether it was valid.
// Codes are kept as salted hashes, so each unused one of the user's is
// checked; the update then spends the one that matched, once, even if two
// requests bring it at the same moment.
func (s *Sessions) UseRecoveryCode(ctx context.Context, userID int64, code string) (ok bool, err error) {
	rows, err := s.query(ctx, "SELECT code_hash FROM recovery_codes WHERE user_id = $1 AND used_at = 0", userID)
	if err != nil {
		return false, err
	}
	var match string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			rows.Close()
			return false, err
		}
		if auth.VerifyRecoveryCode(h, code) {
			match = h
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || match == "" {
		return false, err
	}
	err = s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at = 0",
			ms(tx.now), userID, match)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		if ok = n == 1; ok {
			return tx.audit("mfa.recovery_code", "user", userID, 0, 0, "")
		}
		return nil
	})
	return ok, err
}

// RecoveryCodesLeft returns how many unused recovery codes a user has.
func (s *Sessions) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at = 0", userID).Scan(&n)
	return n, err
}

// EnableTOTP turns on the second factor with a confirmed secret and a fresh
// set of recovery codes (replacing any old ones).
// The secret is sealed with the server key and the codes kept as salted
// hashes, made before the transaction as they are slow on purpose.
func (s *Sessions) EnableTOTP(ctx context.Context, userID int64, secret string, step int64, codes []string) error {
	sealed, err := s.accounts.sealTOTPSecret(userID, secret)
	if err != nil {
		return err
	}
	hashes := make([]string, len(codes))
	for i, c := range codes {
		hashes[i] = auth.HashRecoveryCode(c)
	}
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET totp_secret = $1, totp_enabled = TRUE, totp_last_step = $2, version = version + 1 WHERE id = $3",
			sealed, step, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM recovery_codes WHERE user_id = $1", userID); err != nil {
			return err
		}
		for _, h := range hashes {
			if _, err := tx.ExecContext(ctx, "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)",
				userID, h); err != nil {
				return err
			}
		}
		return tx.audit("mfa.enable", "user", userID, 0, 0, "")
	})
}

// DisableTOTP turns off the second factor and discards its recovery codes.
func (s *Sessions) DisableTOTP(ctx context.Context, userID int64) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET totp_secret = '', totp_enabled = FALSE, version = version + 1 WHERE id = $1", userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM recovery_codes WHERE user_id = $1", userID); err != nil {
			return err
		}
		return tx.audit("mfa.disable", "user", userID, 0, 0, "")
	})
}
