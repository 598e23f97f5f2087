package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"strings"
	"unicode"
)

// recoveryAlphabet leaves out the characters people confuse when copying a
// code from paper or reading it aloud: 0 and o, 1, i and l. The remaining 31
// characters give each code about 59 bits.
const recoveryAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// Recovery code layout: three groups of four, like "k7f3-9qzp-2mxd", short
// enough to copy by hand and to read over the phone.
const (
	recoveryGroups    = 3
	recoveryGroupSize = 4
)

// NewRecoveryCodes makes n single-use codes that let someone back in when
// they have lost their authenticator app, so losing a phone does not lock
// them out of their account. Show them once, then store only
// HashRecoveryCode(code) for each. The codes in one set are
// all different. n <= 0 gives an empty set.
func NewRecoveryCodes(n int) []string {
	if n <= 0 {
		return []string{}
	}
	codes := make([]string, 0, n)
	seen := make(map[string]bool, n)
	for len(codes) < n {
		c := newRecoveryCode()
		if seen[c] {
			continue
		}
		seen[c] = true
		codes = append(codes, c)
	}
	return codes
}

func newRecoveryCode() string {
	const n = recoveryGroups * recoveryGroupSize
	// Rejection sampling keeps every character equally likely: bytes at or
	// above the largest multiple of the alphabet size are discarded rather
	// than folded in with %, which would favour the first few characters.
	const limit = 256 - 256%len(recoveryAlphabet)
	chars := make([]byte, 0, n)
	buf := make([]byte, 2*n)
	for len(chars) < n {
		rand.Read(buf) // never fails: crypto/rand crashes the program instead.
		for _, v := range buf {
			if int(v) < limit && len(chars) < n {
				chars = append(chars, recoveryAlphabet[int(v)%len(recoveryAlphabet)])
			}
		}
	}
	var b strings.Builder
	for i, c := range chars {
		if i > 0 && i%recoveryGroupSize == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// NormaliseRecoveryCode puts a recovery code into the one form that is
// hashed and stored, so that a code still matches however it is typed or
// pasted: in capitals, with or without the dashes, with spaces, with the
// typographic dashes phones substitute automatically, or with the invisible
// characters (soft hyphens, zero-width spaces) that copying from a PDF or a
// password manager can bring along.
func NormaliseRecoveryCode(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) || r == '\u2212' ||
			unicode.Is(unicode.Cf, r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// RecoveryParams are the argon2id settings for recovery codes: each code
// has about 59 bits of its own, so a modest cost is enough to make a stolen
// table slow to search, while checking a person's ten codes stays quick.
var RecoveryParams = Params{Memory: 4 * 1024, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}

// HashRecoveryCode gives the salted, slow hash of a recovery code, in its
// normalised form, to store in place of the code.
func HashRecoveryCode(code string) string {
	h, err := HashPassword(RecoveryParams, NormaliseRecoveryCode(code))
	if err != nil {
		panic(err) // RecoveryParams are fixed and valid
	}
	return h
}

// VerifyRecoveryCode checks a typed code against a stored hash: an argon2id
// string from HashRecoveryCode, or the unsalted SHA-256 that codes were
// stored as before, so codes already handed out keep working.
func VerifyRecoveryCode(stored, code string) bool {
	code = NormaliseRecoveryCode(code)
	if !strings.HasPrefix(stored, "$") {
		return subtle.ConstantTimeCompare([]byte(stored), []byte(HashToken(code))) == 1
	}
	ok, err := VerifyPassword(stored, code)
	return err == nil && ok
}
