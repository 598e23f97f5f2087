package auth

import (
	"regexp"
	"strings"
	"testing"
)

func TestNewRecoveryCodes(t *testing.T) {
	format := regexp.MustCompile(`^[` + recoveryAlphabet + `]{4}-[` + recoveryAlphabet + `]{4}-[` + recoveryAlphabet + `]{4}$`)
	codes := NewRecoveryCodes(10)
	if len(codes) != 10 {
		t.Fatalf("got %d codes, want 10", len(codes))
	}
	seen := make(map[string]bool)
	for _, c := range codes {
		if !format.MatchString(c) {
			t.Errorf("code %q is not like k7f3-9qzp-2mxd", c)
		}
		if strings.ContainsAny(c, "01oil") {
			t.Errorf("code %q has a confusable character", c)
		}
		if seen[c] {
			t.Errorf("code %q repeated within one set", c)
		}
		seen[c] = true
	}
	for _, n := range []int{0, -1} {
		if got := NewRecoveryCodes(n); len(got) != 0 {
			t.Errorf("NewRecoveryCodes(%d) = %v, want none", n, got)
		}
	}
}

func TestRecoveryAlphabet(t *testing.T) {
	if len(recoveryAlphabet) != 31 {
		t.Fatalf("alphabet has %d characters, want 31", len(recoveryAlphabet))
	}
	for _, c := range "01oil" {
		if strings.ContainsRune(recoveryAlphabet, c) {
			t.Errorf("alphabet contains confusable %q", c)
		}
	}
	seen := make(map[rune]bool)
	for _, c := range recoveryAlphabet {
		if seen[c] {
			t.Errorf("alphabet repeats %q", c)
		}
		seen[c] = true
	}
}

// Every character should be equally likely; a modulo bias or an
// off-by-one in the alphabet shows up as a character that never appears or
// appears far too often. The bounds are about ten standard deviations wide.
func TestRecoveryCodeCharactersAreUniform(t *testing.T) {
	counts := make(map[rune]int)
	const codes = 2000
	for _, c := range NewRecoveryCodes(codes) {
		for _, r := range NormaliseRecoveryCode(c) {
			counts[r]++
		}
	}
	expected := codes * 12 / len(recoveryAlphabet) // about 774
	for _, r := range recoveryAlphabet {
		if n := counts[r]; n < expected-300 || n > expected+300 {
			t.Errorf("character %q appeared %d times, expected about %d", r, n, expected)
		}
	}
	if len(counts) != len(recoveryAlphabet) {
		t.Errorf("%d distinct characters, want %d", len(counts), len(recoveryAlphabet))
	}
}

func TestNormaliseRecoveryCode(t *testing.T) {
	const want = "k7f39qzp2mxd"
	for _, typed := range []string{
		"k7f3-9qzp-2mxd",
		"K7F3-9QZP-2MXD",
		"k7f39qzp2mxd",
		" k7f3 9qzp 2mxd ",
		"k7f3\t9qzp\n2mxd",
		"k7f3–9qzp—2mxd",           // en and em dashes from autocorrect
		"k7f3\u20119qzp\u22122mxd", // non-breaking hyphen, minus sign
		"k7f3\u00ad9qzp\u200b2mxd", // soft hyphen, zero-width space
		"k7f3 - 9qzp - 2mxd",
	} {
		if got := NormaliseRecoveryCode(typed); got != want {
			t.Errorf("NormaliseRecoveryCode(%q) = %q, want %q", typed, got, want)
		}
	}
	if got := NormaliseRecoveryCode("k7f3-9qzp-2mxe"); got == want {
		t.Error("a different code normalised to the same value")
	}
}

// The stored value is HashToken(NormaliseRecoveryCode(code)); whatever form
// the person types must reach the same hash.
func TestRecoveryCodeStoredHashMatchesTypedForms(t *testing.T) {
	for _, code := range NewRecoveryCodes(5) {
		stored := HashToken(NormaliseRecoveryCode(code))
		for _, typed := range []string{
			code,
			strings.ToUpper(code),
			strings.ReplaceAll(code, "-", ""),
			strings.ReplaceAll(code, "-", " "),
		} {
			if HashToken(NormaliseRecoveryCode(typed)) != stored {
				t.Errorf("typed %q does not match stored hash of %q", typed, code)
			}
		}
	}
}

func TestRecoveryCodeHashIsSaltedAndSlow(t *testing.T) {
	code := NewRecoveryCodes(1)[0]
	a, b := HashRecoveryCode(code), HashRecoveryCode(code)
	if a == b {
		t.Fatal("two hashes of one code are the same: no salt")
	}
	if !strings.HasPrefix(a, "$argon2id$") || strings.Contains(a, HashToken(NormaliseRecoveryCode(code))) {
		t.Fatalf("recovery code stored as %q, want argon2id", a)
	}
	if !VerifyRecoveryCode(a, strings.ToUpper(code)) || VerifyRecoveryCode(a, "abcd-efgh-jkmn") {
		t.Fatal("verifying the salted hash")
	}
	// Codes handed out before, stored as unsalted SHA-256, still work.
	legacy := HashToken(NormaliseRecoveryCode(code))
	if !VerifyRecoveryCode(legacy, code) || VerifyRecoveryCode(legacy, "abcd-efgh-jkmn") {
		t.Fatal("verifying an old unsalted hash")
	}
}
