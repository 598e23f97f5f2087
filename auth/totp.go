package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// TOTP settings. They are the defaults every authenticator app understands;
// other values are technically allowed by RFC 6238 but some apps ignore them
// and silently show wrong codes.
const (
	totpDigits = 6
	totpPeriod = 30 // seconds
	// totpSkew is how many steps either side of the current one are
	// accepted, allowing for phone clocks that drift and for people who
	// type slowly.
	totpSkew = 1
	// totpSecretBytes is 160 bits, the key length RFC 4226 recommends for
	// HMAC-SHA1.
	totpSecretBytes = 20
	// minTOTPSecretBytes is RFC 4226's hard minimum of 128 bits.
	minTOTPSecretBytes = 16
)

// ErrMalformedTOTPSecret is returned for a secret that is not base32 or is
// too short to be safe, so a corrupt stored secret is noticed instead of
// quietly producing codes nobody's app will ever show.
var ErrMalformedTOTPSecret = errors.New("auth: malformed TOTP secret")

// b32 is the encoding authenticator apps expect in otpauth URIs: RFC 4648
// base32, upper case, without padding.
var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret makes the shared key for a new authenticator app, in the
// form people can type into the app by hand if they cannot scan a QR code.
func NewTOTPSecret() string {
	b := make([]byte, totpSecretBytes)
	rand.Read(b) // never fails: crypto/rand crashes the program instead.
	return b32.EncodeToString(b)
}

// normaliseTOTPSecret forgives the ways a secret may have been copied: in
// groups separated by spaces, in lower case or with base32 padding.
func normaliseTOTPSecret(secret string) string {
	secret = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, secret)
	return strings.TrimRight(secret, "=")
}

func decodeTOTPSecret(secret string) ([]byte, error) {
	key, err := b32.DecodeString(normaliseTOTPSecret(secret))
	if err != nil || len(key) < minTOTPSecretBytes {
		return nil, ErrMalformedTOTPSecret
	}
	return key, nil
}

// hotp is RFC 4226's HOTP with dynamic truncation to the given number of
// digits (at most 9, as the 31-bit truncated value has 10 digits at most).
func hotp(key []byte, counter uint64, digits int) string {
	mac := hmac.New(sha1.New, key)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	offset := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[offset:offset+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	s := strconv.FormatUint(uint64(bin%mod), 10)
	return strings.Repeat("0", digits-len(s)) + s
}

// totpStep is the RFC 6238 time step containing t, rounding down for times
// before 1970 as well.
func totpStep(t time.Time) int64 {
	sec := t.Unix()
	step := sec / totpPeriod
	if sec%totpPeriod < 0 {
		step--
	}
	return step
}

// TOTPCode gives the code an authenticator app shows at time t. The server
// needs it mainly in tests and in tooling that checks a setup works; logins
// should use VerifyTOTP, which allows for clock drift and replay.
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := decodeTOTPSecret(secret)
	if err != nil {
		return "", err
	}
	step := totpStep(t)
	if step < 0 {
		return "", errors.New("auth: TOTP is undefined before 1970")
	}
	return hotp(key, uint64(step), totpDigits), nil
}

// normaliseTOTPCode forgives the spaces people (and some apps, which show
// "123 456") put inside a code, and insists on exactly six ASCII digits.
func normaliseTOTPCode(code string) (string, bool) {
	code = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, code)
	if len(code) != totpDigits {
		return "", false
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return "", false
		}
	}
	return code, true
}

// VerifyTOTP checks a code someone typed from their authenticator app,
// accepting the time step before and after t so a phone clock a little out
// of step still works.
//
// It returns the time step the code belongs to, so the caller can refuse a
// code that has already been used: store the step of each accepted code and
// reject any later code whose step is not greater than the stored one (not
// merely equal, since an older step can still be inside the window). When
// the code matches more than one step in the window, the latest is returned,
// which keeps that rule sound. Callers must also limit failed attempts: with
// three steps accepted, each guess has a 3 in a million chance.
//
// A malformed secret or code simply fails to verify.
func VerifyTOTP(secret, code string, t time.Time) (step int64, ok bool) {
	key, err := decodeTOTPSecret(secret)
	if err != nil {
		return 0, false
	}
	code, valid := normaliseTOTPCode(code)
	if !valid {
		return 0, false
	}
	now := totpStep(t)
	// Check every step in the window, latest first, without stopping early,
	// so timing does not depend on which step matched.
	matched := int64(-1)
	for s := now + totpSkew; s >= now-totpSkew; s-- {
		if s < 0 {
			continue
		}
		want := hotp(key, uint64(s), totpDigits)
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && matched < 0 {
			matched = s
		}
	}
	if matched < 0 {
		return 0, false
	}
	return matched, true
}

// TOTPURI builds the otpauth:// link that authenticator apps read from a QR
// code, in the Key Uri Format Google Authenticator defined and other apps
// follow. Every part is percent-encoded strictly (spaces as %20, never "+",
// which some apps show literally), so names with spaces, accents or
// punctuation arrive intact. Issuer and account should not contain colons:
// apps split the label on the colon, and although it is escaped here, not all
// of them decode before splitting.
func TOTPURI(issuer, account, secret string) string {
	var b strings.Builder
	b.WriteString("otpauth://totp/")
	if issuer != "" {
		b.WriteString(uriEscape(issuer))
		b.WriteString(":")
	}
	b.WriteString(uriEscape(account))
	b.WriteString("?secret=")
	b.WriteString(uriEscape(normaliseTOTPSecret(secret)))
	if issuer != "" {
		b.WriteString("&issuer=")
		b.WriteString(uriEscape(issuer))
	}
	b.WriteString("&algorithm=SHA1&digits=")
	b.WriteString(strconv.Itoa(totpDigits))
	b.WriteString("&period=")
	b.WriteString(strconv.Itoa(totpPeriod))
	return b.String()
}

// uriEscape percent-encodes every byte except RFC 3986's unreserved
// characters, which is safe in both the path and the query of a URI.
func uriEscape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0x0f])
		}
	}
	return b.String()
}
