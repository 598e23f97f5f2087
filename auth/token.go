package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// tokenBytes gives tokens 256 bits of entropy: far beyond guessing, which is
// what lets HashToken use a fast, unsalted hash.
const tokenBytes = 32

// NewToken makes an unguessable secret for session ids and one-time links
// (email confirmation, password reset). It is URL-safe without escaping, so
// it can go straight into a cookie or a link.
func NewToken() string {
	b := make([]byte, tokenBytes)
	rand.Read(b) // never fails: crypto/rand crashes the program instead.
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is what the database stores in place of a token, so that a
// leaked copy of the database cannot be used to take over sessions or
// redeem reset links. A fast hash is enough for NewToken's 256-bit tokens,
// and being deterministic it lets the server look a token up by its hash.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
