package sqlstore_test

import (
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/serverkey"
	"github.com/alongside-recovery/alongside/sqlstore"
)

const plainSecret = "JBSWY3DPEHPK3PXPJBSWY3DP"

// storedSecret is what the database holds for the user's TOTP secret.
func storedSecret(t *testing.T, s *sqlstore.Store, id int64) (*alongside.User, string) {
	t.Helper()
	u, err := s.Accounts.User(ctx, id)
	must(t, err)
	return u, u.TOTPSecret
}

func TestTOTPSecretsAndRecoveryCodesAreNotStoredAsTheyAre(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		must(t, s.Sessions.EnableTOTP(ctx, w.prac.ID, plainSecret, 100, []string{"aaaa-bbbb-cccc", "dddd-eeee-ffff"}))
		u, stored := storedSecret(t, s, w.prac.ID)
		if strings.Contains(stored, plainSecret) || !serverkey.IsSealed(stored) {
			t.Fatalf("the database holds the TOTP secret as %q", stored)
		}
		if got, err := s.Accounts.TOTPSecret(u); err != nil || got != plainSecret {
			t.Fatalf("opened secret %q, %v", got, err)
		}
		// Another server key cannot open it.
		other := serverkey.New()
		s.Key = &other
		if _, err := s.Accounts.TOTPSecret(u); err == nil {
			t.Fatal("a secret opened with another server key")
		}

		hashes, err := s.RecoveryCodeHashes(ctx, w.prac.ID)
		must(t, err)
		for _, h := range hashes {
			if !strings.HasPrefix(h, "$argon2id$") {
				t.Fatalf("a recovery code stored as %q, not as a salted slow hash", h)
			}
		}
		if ok, _ := s.Sessions.UseRecoveryCode(ctx, w.prac.ID, "DDDD EEEE FFFF"); !ok {
			t.Fatal("a recovery code was refused")
		}
		if ok, _ := s.Sessions.UseRecoveryCode(ctx, w.prac.ID, "dddd-eeee-ffff"); ok {
			t.Fatal("a recovery code worked twice")
		}
	})
}

func TestSecretsStoredBeforeSealingKeepWorking(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		must(t, s.EnableTOTPAsBefore(ctx, w.prac.ID, plainSecret, []string{"aaaa-bbbb-cccc"}))
		u, _ := storedSecret(t, s, w.prac.ID)
		if got, err := s.Accounts.TOTPSecret(u); err != nil || got != plainSecret {
			t.Fatalf("a plain secret before sealing reads %q, %v", got, err)
		}
		// Sealed at start, in one go; a second start finds nothing to do.
		n, err := s.Accounts.SealTOTPSecrets(ctx)
		if err != nil || n != 1 {
			t.Fatalf("sealed %d, %v; want 1", n, err)
		}
		u, stored := storedSecret(t, s, w.prac.ID)
		if strings.Contains(stored, plainSecret) {
			t.Fatalf("still in plain text after sealing: %q", stored)
		}
		if got, err := s.Accounts.TOTPSecret(u); err != nil || got != plainSecret {
			t.Fatalf("sealed secret opens as %q, %v", got, err)
		}
		if n, err := s.Accounts.SealTOTPSecrets(ctx); err != nil || n != 0 {
			t.Fatalf("second start sealed %d, %v", n, err)
		}
		// An old unsalted recovery code still works, once.
		if ok, _ := s.Sessions.UseRecoveryCode(ctx, w.prac.ID, "AAAA-BBBB-CCCC"); !ok {
			t.Fatal("an old recovery code was refused")
		}
		if ok, _ := s.Sessions.UseRecoveryCode(ctx, w.prac.ID, "aaaa-bbbb-cccc"); ok {
			t.Fatal("an old recovery code worked twice")
		}
	})
}

func TestRotateKeyReSealsEverySecret(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		old := *s.Key
		for _, u := range []*alongside.User{w.prac, w.prac2} {
			must(t, s.Sessions.EnableTOTP(ctx, u.ID, plainSecret, 100, nil))
		}
		must(t, s.EnableTOTPAsBefore(ctx, w.manager.ID, plainSecret, nil))
		newKey := serverkey.New()

		// A key that did not seal them stops the rotation, changing nothing.
		if _, err := s.Accounts.RotateKey(ctx, serverkey.New(), newKey); err == nil {
			t.Fatal("rotation from a wrong old key went ahead")
		}
		if _, stored := storedSecret(t, s, w.prac.ID); serverkey.SealedBy(stored) != old.ID() {
			t.Fatal("a refused rotation changed a secret")
		}

		n, err := s.Accounts.RotateKey(ctx, old, newKey)
		if err != nil || n != 3 {
			t.Fatalf("rotated %d, %v; want 3", n, err)
		}
		s.Key = &newKey
		for _, u := range []*alongside.User{w.prac, w.prac2, w.manager} {
			got, stored := storedSecret(t, s, u.ID)
			if serverkey.SealedBy(stored) != newKey.ID() {
				t.Fatalf("%s's secret is sealed by %q after rotation", u.Name, serverkey.SealedBy(stored))
			}
			if secret, err := s.Accounts.TOTPSecret(got); err != nil || secret != plainSecret {
				t.Fatalf("%s's secret after rotation: %q, %v", u.Name, secret, err)
			}
		}
		// Run again, it does nothing.
		if n, err := s.Accounts.RotateKey(ctx, old, newKey); err != nil || n != 0 {
			t.Fatalf("second rotation: %d, %v", n, err)
		}
		evs, _, err := s.Audit.AuditEvents(ctx, alongside.AuditFilter{Action: "key.rotate"})
		must(t, err)
		if len(evs) != 1 {
			t.Fatalf("%d audit lines for the rotation, want 1", len(evs))
		}
	})
}
