package sqlstore

import (
	"context"

	"github.com/alongside-recovery/alongside/auth"
)

// WriteTogether lets the package's tests reach writeTogether.
func (s *Store) WriteTogether(ctx context.Context, fn func(tx *Tx) error) error {
	return s.writeTogether(ctx, fn)
}

// Audit writes an audit line within tx, for the package's tests.
func (tx *Tx) Audit(action, detail string) error {
	return tx.audit(action, "user", 0, 0, 0, detail)
}

// MigrateTo applies the migrations up to version v only, as a database
// written by an older Alongside would have them, for the package's tests of
// a migration's data.
func (s *Store) MigrateTo(ctx context.Context, v int) error {
	all, err := s.migrations()
	if err != nil {
		return err
	}
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return err
	}
	for _, m := range all {
		if m.version > v {
			break
		}
		if _, err := s.w.ExecContext(ctx, m.sql); err != nil {
			return err
		}
		if _, err := s.w.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)", m.version, m.name); err != nil {
			return err
		}
	}
	return nil
}

// SetFoldChunk sets how many responses one transaction of a fold takes
// in, for the package's tests, and returns a function that restores it.
func SetFoldChunk(n int) (restore func()) {
	old := foldChunk
	foldChunk = n
	return func() { foldChunk = old }
}

// EnableTOTPAsBefore turns on two-step sign-in as Alongside did before
// secrets were sealed: the secret in plain text and the recovery codes as
// unsalted SHA-256, for the package's tests of what it does with them.
func (s *Store) EnableTOTPAsBefore(ctx context.Context, userID int64, secret string, codes []string) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET totp_secret = $1, totp_enabled = TRUE WHERE id = $2", secret, userID); err != nil {
			return err
		}
		for _, c := range codes {
			if _, err := tx.ExecContext(ctx, "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)", userID, auth.HashToken(auth.NormaliseRecoveryCode(c))); err != nil {
				return err
			}
		}
		return nil
	})
}

// RecoveryCodeHashes returns the stored hashes of a user's recovery codes.
func (s *Store) RecoveryCodeHashes(ctx context.Context, userID int64) ([]string, error) {
	rows, err := s.query(ctx, "SELECT code_hash FROM recovery_codes WHERE user_id = $1", userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
