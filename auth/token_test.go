package auth

import (
	"encoding/base64"
	"regexp"
	"testing"
)

func TestNewToken(t *testing.T) {
	urlSafe := regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
	seen := make(map[string]bool)
	for range 1000 {
		tok := NewToken()
		if !urlSafe.MatchString(tok) {
			t.Fatalf("token %q is not 43 URL-safe characters", tok)
		}
		b, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || len(b) != 32 {
			t.Fatalf("token %q does not decode to 32 bytes: %d, %v", tok, len(b), err)
		}
		if seen[tok] {
			t.Fatalf("token %q repeated", tok)
		}
		seen[tok] = true
	}
}

func TestHashToken(t *testing.T) {
	// FIPS 180-2 SHA-256 test vectors.
	tests := map[string]string{
		"":    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"abc": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	}
	for in, want := range tests {
		if got := HashToken(in); got != want {
			t.Errorf("HashToken(%q) = %s, want %s", in, got, want)
		}
	}
	tok := NewToken()
	if HashToken(tok) != HashToken(tok) {
		t.Error("HashToken is not deterministic, so stored hashes could not be looked up")
	}
	if HashToken(tok) == tok || HashToken(tok) == HashToken(NewToken()) {
		t.Error("HashToken does not distinguish tokens")
	}
}
