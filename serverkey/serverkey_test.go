package serverkey_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside/serverkey"
)

func TestKeyFileIsMadeOncePrivately(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alongside.key")
	k, created, err := serverkey.LoadOrCreateFile(path)
	if err != nil || !created {
		t.Fatalf("first start: created=%v err=%v", created, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", info.Mode().Perm())
	}
	again, created, err := serverkey.LoadOrCreateFile(path)
	if err != nil || created || again.ID() != k.ID() {
		t.Fatalf("second start: created=%v err=%v same=%v", created, err, again.ID() == k.ID())
	}

	os.Chmod(path, 0o644)
	if _, _, err := serverkey.LoadOrCreateFile(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a key file others can read: %v", err)
	}
	short := filepath.Join(t.TempDir(), "short.key")
	os.WriteFile(short, []byte("c2hvcnQ=\n"), 0o600)
	if _, err := serverkey.LoadFile(short); err == nil || !strings.Contains(err.Error(), "exactly 32") {
		t.Fatalf("a key of the wrong size: %v", err)
	}
}

func TestSealOpensOnlyWithItsKeyAndPlace(t *testing.T) {
	k, other := serverkey.New(), serverkey.New()
	sealed := k.Seal("totp", "user 7", "JBSWY3DPEHPK3PXP")
	if strings.Contains(sealed, "JBSWY3DPEHPK3PXP") || !serverkey.IsSealed(sealed) || serverkey.SealedBy(sealed) != k.ID() {
		t.Fatalf("sealed value %q", sealed)
	}
	if k.Seal("totp", "user 7", "JBSWY3DPEHPK3PXP") == sealed {
		t.Fatal("two seals of one secret are the same: the nonce is not fresh")
	}
	if got, err := k.Open("totp", "user 7", sealed); err != nil || got != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := other.Open("totp", "user 7", sealed); !errors.Is(err, serverkey.ErrWrongKey) {
		t.Fatalf("opened with another key: %v", err)
	}
	if _, err := k.Open("totp", "user 8", sealed); err == nil {
		t.Fatal("a sealed value moved to another user still opens")
	}
	if _, err := k.Open("forms", "user 7", sealed); err == nil {
		t.Fatal("a sealed value opens for another purpose")
	}
}

func TestDerivedKeysDiffer(t *testing.T) {
	k := serverkey.New()
	parsed, err := serverkey.Parse(k.Encode())
	if err != nil || !bytes.Equal(parsed.Derive("form tokens"), k.Derive("form tokens")) {
		t.Fatalf("round trip through base64: %v", err)
	}
	if bytes.Equal(k.Derive("form tokens"), k.Derive("totp secrets")) || len(k.Derive("form tokens")) != 32 {
		t.Fatal("subkeys for two purposes are the same")
	}
}

func TestKeyFromSecretOpensOnlyWithTheSecret(t *testing.T) {
	token, other := "x1SO6w1Fq2cJ3vT1p6m7pWcF0wq5QfKpDc0o8a2wWzE", "x1SO6w1Fq2cJ3vT1p6m7pWcF0wq5QfKpDc0o8a2wWzF"
	sealed := serverkey.FromSecret("sheet draft", token).Seal("sheet draft", "invitation 3", `{"r":{"goals#1":4}}`)
	if strings.Contains(sealed, "goals") {
		t.Fatalf("sealed value shows its text: %q", sealed)
	}
	if got, err := serverkey.FromSecret("sheet draft", token).Open("sheet draft", "invitation 3", sealed); err != nil || got != `{"r":{"goals#1":4}}` {
		t.Fatalf("the same secret does not open it: %q %v", got, err)
	}
	for name, k := range map[string]serverkey.Key{
		"another secret":                 serverkey.FromSecret("sheet draft", other),
		"the secret for another purpose": serverkey.FromSecret("survey draft", token),
		"a server key":                   serverkey.New(),
	} {
		if _, err := k.Open("sheet draft", "invitation 3", sealed); err == nil {
			t.Errorf("%s opens a value sealed with a secret's key", name)
		}
	}
}
