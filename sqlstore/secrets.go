package sqlstore

import (
	"context"
	"fmt"
	"strconv"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/serverkey"
)

// totpPurpose names the server key's subkey that seals TOTP secrets.
const totpPurpose = "totp secrets"

// totpContext binds a sealed secret to its account, so one copied onto
// another row in the database does not open.
func totpContext(userID int64) string { return "user " + strconv.FormatInt(userID, 10) }

func (s *Accounts) sealTOTPSecret(userID int64, secret string) (string, error) {
	if s.Key == nil {
		return "", alongside.Errorf(alongside.EINTERNAL, "This server has no key to keep two-step sign-in secrets with.")
	}
	return s.Key.Seal(totpPurpose, totpContext(userID), secret), nil
}

// TOTPSecret returns the user's TOTP secret, opened with the server key.
// A secret stored before secrets were sealed (and not yet sealed by
// SealTOTPSecrets, which serve runs at start) is returned as it is.
func (s *Accounts) TOTPSecret(u *alongside.User) (string, error) {
	if !serverkey.IsSealed(u.TOTPSecret) {
		return u.TOTPSecret, nil
	}
	if s.Key == nil {
		return "", fmt.Errorf("a sealed TOTP secret, and no server key to open it")
	}
	return s.Key.Open(totpPurpose, totpContext(u.ID), u.TOTPSecret)
}

// SealTOTPSecrets seals, with the server key, every TOTP secret still
// stored in plain text, in one transaction, and returns how many it sealed.
func (s *Accounts) SealTOTPSecrets(ctx context.Context) (int, error) {
	if s.Key == nil {
		return 0, fmt.Errorf("no server key to seal TOTP secrets with")
	}
	return s.resealTOTPSecrets(ctx, "key.seal", func(id int64, stored string) (string, error) {
		if serverkey.IsSealed(stored) {
			return "", nil
		}
		return s.Key.Seal(totpPurpose, totpContext(id), stored), nil
	})
}

// RotateKey re-seals every TOTP secret from the old key to the new one,
// in one transaction, so that either all move or none do. Secrets already
// sealed with the new key are left as they are (a rotation run twice does
// no harm); one sealed with a third key stops it.
func (s *Accounts) RotateKey(ctx context.Context, old, new serverkey.Key) (int, error) {
	return s.resealTOTPSecrets(ctx, "key.rotate", func(id int64, stored string) (string, error) {
		plain := stored
		switch serverkey.SealedBy(stored) {
		case new.ID():
			return "", nil
		case old.ID():
			var err error
			if plain, err = old.Open(totpPurpose, totpContext(id), stored); err != nil {
				return "", fmt.Errorf("account %d: %v", id, err)
			}
		case "":
		default:
			return "", fmt.Errorf("account %d's two-step secret is sealed with key %s, which is neither the old key (%s) nor the new one (%s)",
				id, serverkey.SealedBy(stored), old.ID(), new.ID())
		}
		return new.Seal(totpPurpose, totpContext(id), plain), nil
	})
}

// resealTOTPSecrets rewrites each stored TOTP secret that change gives a
// new value for ("" leaves it), in one transaction with one audit line.
func (s *Accounts) resealTOTPSecrets(ctx context.Context, action string, change func(id int64, stored string) (string, error)) (int, error) {
	n := 0
	err := s.write(ctx, func(tx *Tx) error {
		n = 0
		rows, err := tx.QueryContext(ctx, "SELECT id, totp_secret FROM users WHERE totp_secret <> '' ORDER BY id")
		if err != nil {
			return err
		}
		type secret struct {
			id     int64
			stored string
		}
		var all []secret
		for rows.Next() {
			var x secret
			if err := rows.Scan(&x.id, &x.stored); err != nil {
				rows.Close()
				return err
			}
			all = append(all, x)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, x := range all {
			sealed, err := change(x.id, x.stored)
			if err != nil {
				return err
			}
			if sealed == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, "UPDATE users SET totp_secret = $1 WHERE id = $2 AND totp_secret = $3", sealed, x.id, x.stored); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return nil
		}
		return tx.audit(action, "deployment", 0, 0, 0, fmt.Sprintf("%d two-step sign-in secrets", n))
	})
	return n, err
}
