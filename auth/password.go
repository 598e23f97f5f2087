// Package auth holds the small, security-critical building blocks of signing
// in to Alongside: password hashing, one-time tokens, TOTP second factors,
// recovery codes and the QR codes used to set up an authenticator app.
//
// The package keeps no state and talks to no database; callers store only
// the hashes it produces, never the secrets themselves (TOTP secrets are the
// exception, because the server must be able to compute codes: they are
// stored sealed with the server key, package serverkey).
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Params are the argon2id cost settings. They are recorded inside every
// encoded hash, so they can be raised later without invalidating the hashes
// people already have: old hashes keep verifying with the settings they were
// made with, and NeedsRehash tells the caller when to upgrade one.
type Params struct {
	Memory  uint32 // memory cost in KiB
	Time    uint32 // number of passes over the memory
	Threads uint8  // degree of parallelism (lanes)
	KeyLen  uint32 // length of the derived hash in bytes
	SaltLen uint32 // length of the random salt in bytes
}

// DefaultParams follow the second recommended option of RFC 9106 (section 4),
// meant for servers that cannot spare 2 GiB per hash: 64 MiB, 3 passes,
// 4 lanes, a 128-bit salt and a 256-bit hash. They cost roughly a tenth of a
// second of CPU and 64 MiB of memory per hash, so callers should bound how
// many logins hash at once rather than lower these settings.
var DefaultParams = Params{
	Memory:  64 * 1024,
	Time:    3,
	Threads: 4,
	KeyLen:  32,
	SaltLen: 16,
}

// TestParams are the cheapest settings HashPassword accepts, so that tests
// which create many accounts stay fast. They are far too weak for real use.
var TestParams = Params{
	Memory:  64,
	Time:    1,
	Threads: 1,
	KeyLen:  32,
	SaltLen: 16,
}

// Limits applied both when hashing and when parsing a stored hash. The upper
// limits exist so that a corrupted or hostile stored hash cannot make the
// server try to allocate terabytes of memory or spin for hours; they sit far
// above any sensible setting.
const (
	minSaltLen   = 8
	maxSaltLen   = 1024
	minKeyLen    = 16
	maxKeyLen    = 1024
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxTime      = 64
	// maxEncodedLen bounds the input VerifyPassword is willing to parse.
	maxEncodedLen = 4096
)

// Errors returned for stored hashes that cannot be used. They never include
// the hash itself, so that logging an error cannot leak hash material.
var (
	// ErrMalformedHash means the stored string is not a well-formed argon2id
	// PHC string; treat it as corrupt data, not as a wrong password.
	ErrMalformedHash = errors.New("auth: malformed password hash")
	// ErrUnsupportedHash means the string is well-formed PHC but for an
	// algorithm or version this package does not verify (for example
	// argon2i), so the caller knows a migration is missing rather than data
	// being corrupt.
	ErrUnsupportedHash = errors.New("auth: unsupported password hash algorithm or version")
	// ErrInvalidParams means the cost settings are outside what this package
	// considers safe to compute, whether passed to HashPassword or found in a
	// stored hash.
	ErrInvalidParams = errors.New("auth: invalid argon2id parameters")
)

// validate keeps argon2 away from settings that would panic inside the
// library, be cryptographically weak, or exhaust the machine.
func (p Params) validate() error {
	switch {
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("%w: time must be between 1 and %d", ErrInvalidParams, maxTime)
	case p.Threads < 1:
		return fmt.Errorf("%w: threads must be at least 1", ErrInvalidParams)
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemoryKiB:
		return fmt.Errorf("%w: memory must be between 8*threads and %d KiB", ErrInvalidParams, maxMemoryKiB)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("%w: key length must be between %d and %d bytes", ErrInvalidParams, minKeyLen, maxKeyLen)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("%w: salt length must be between %d and %d bytes", ErrInvalidParams, minSaltLen, maxSaltLen)
	}
	return nil
}

// phcB64 is the encoding the argon2 reference implementation and the PHC
// string format use: standard alphabet, no padding. Strict decoding rejects
// non-canonical trailing bits so each hash has exactly one spelling.
var phcB64 = base64.RawStdEncoding.Strict()

// HashPassword turns a password into a self-describing PHC string
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash) so that the database never holds
// the password, and so that the string alone is enough to verify it later,
// whatever settings were current when it was made.
//
// The password is put into Unicode NFC first, so that "é" typed as one
// character or as "e" and a combining accent (as some keyboards and phones
// send it) is the same password.
func HashPassword(p Params, password string) (string, error) {
	if err := p.validate(); err != nil {
		return "", err
	}
	password = norm.NFC.String(password)
	salt := make([]byte, p.SaltLen)
	rand.Read(salt) // never fails: crypto/rand crashes the program instead.
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return encodeHash(p, salt, key), nil
}

func encodeHash(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads,
		phcB64.EncodeToString(salt), phcB64.EncodeToString(key))
}

// VerifyPassword checks a password against a string made by HashPassword (or
// by any argon2id implementation that writes standard PHC strings). A wrong
// password gives ok=false with a nil error; err is reserved for stored
// hashes that cannot be used, which callers should log and treat as a failed
// login. The comparison takes the same time however many bytes match.
func VerifyPassword(encoded, password string) (ok bool, err error) {
	ok, _, err = CheckPassword(encoded, password, Params{})
	return ok, err
}

// CheckPassword is VerifyPassword that also says whether the stored hash
// should be replaced by a fresh one made with current: its settings differ,
// or it was made from the password as typed before passwords were put into
// NFC (HashPassword's form), which is tried second only for a password
// that NFC changes.
func CheckPassword(encoded, password string, current Params) (ok, rehash bool, err error) {
	p, salt, want, err := decodeHash(encoded)
	if err != nil {
		return false, false, err
	}
	nfc := norm.NFC.String(password)
	got := argon2.IDKey([]byte(nfc), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	if subtle.ConstantTimeCompare(got, want) == 1 {
		return true, NeedsRehash(encoded, current), nil
	}
	if nfc != password {
		got = argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
		ok = subtle.ConstantTimeCompare(got, want) == 1
		return ok, ok, nil
	}
	return false, false, nil
}

// NeedsRehash reports whether a stored hash was made with settings other
// than p, so that after a successful login the caller can re-hash the
// password it has just been given and keep hashes current as cost settings
// rise. Unparseable hashes also need replacing, so they report true.
func NeedsRehash(encoded string, p Params) bool {
	got, salt, key, err := decodeHash(encoded)
	if err != nil {
		return true
	}
	got.SaltLen = uint32(len(salt))
	got.KeyLen = uint32(len(key))
	return got != p
}

// decodeHash parses a PHC argon2id string strictly: exactly the six
// dollar-separated fields, version 19, the m, t and p parameters in that
// order, and canonical unpadded base64. It never panics on any input.
func decodeHash(encoded string) (p Params, salt, key []byte, err error) {
	if len(encoded) > maxEncodedLen {
		return Params{}, nil, nil, ErrMalformedHash
	}
	// "$argon2id$v=19$m=…,t=…,p=…$salt$hash" splits into a leading empty
	// field and five more.
	fields := strings.Split(encoded, "$")
	if len(fields) != 6 || fields[0] != "" {
		return Params{}, nil, nil, ErrMalformedHash
	}
	if fields[1] != "argon2id" {
		if fields[1] == "argon2i" || fields[1] == "argon2d" {
			return Params{}, nil, nil, ErrUnsupportedHash
		}
		return Params{}, nil, nil, ErrMalformedHash
	}
	version, ok := strings.CutPrefix(fields[2], "v=")
	if !ok {
		return Params{}, nil, nil, ErrMalformedHash
	}
	v, err := parseDecimal(version, 32)
	if err != nil {
		return Params{}, nil, nil, ErrMalformedHash
	}
	if v != argon2.Version {
		return Params{}, nil, nil, ErrUnsupportedHash
	}

	kv := strings.Split(fields[3], ",")
	if len(kv) != 3 {
		return Params{}, nil, nil, ErrMalformedHash
	}
	var vals [3]uint64
	for i, name := range [3]string{"m=", "t=", "p="} {
		s, ok := strings.CutPrefix(kv[i], name)
		if !ok {
			return Params{}, nil, nil, ErrMalformedHash
		}
		bits := 32
		if name == "p=" {
			bits = 8
		}
		if vals[i], err = parseDecimal(s, bits); err != nil {
			return Params{}, nil, nil, ErrMalformedHash
		}
	}
	p.Memory, p.Time, p.Threads = uint32(vals[0]), uint32(vals[1]), uint8(vals[2])

	if salt, err = phcB64.DecodeString(fields[4]); err != nil || hasNewline(fields[4]) {
		return Params{}, nil, nil, ErrMalformedHash
	}
	if key, err = phcB64.DecodeString(fields[5]); err != nil || hasNewline(fields[5]) {
		return Params{}, nil, nil, ErrMalformedHash
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if err := p.validate(); err != nil {
		return Params{}, nil, nil, err
	}
	return p, salt, key, nil
}

// parseDecimal accepts only plain ASCII digits: strconv would also be happy
// with forms such as "0x10" (base 0) or leading signs elsewhere, and hashes
// should have a single spelling.
func parseDecimal(s string, bits int) (uint64, error) {
	if s == "" {
		return 0, strconv.ErrSyntax
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.ParseUint(s, 10, bits)
}

// hasNewline catches the line breaks that encoding/base64 silently skips.
func hasNewline(s string) bool {
	return strings.ContainsAny(s, "\r\n")
}

// EqualiseTiming does the same argon2id work as VerifyPassword against a
// stored hash made with p, and throws the result away. Call it when someone
// tries to sign in to an account that does not exist, before returning the
// same "email or password not recognised" message a wrong password gets: a
// login that skipped hashing would answer measurably faster, and that
// difference alone would tell an observer which email addresses belong to
// people using Alongside. Neither messages nor timing may reveal that.
//
// If p is not a valid setting, DefaultParams are used, so a misconfigured
// caller still spends the time.
func EqualiseTiming(p Params, password string) {
	_, _ = VerifyPassword(dummyHash(p), password)
}

// dummyHash is a stored hash with p's settings, a zero salt and a zero tag:
// verifying against it runs argon2id in full and then compares, exactly like
// a real login. EqualiseTiming discards the result, so even the 2^-256 chance
// of a match grants nothing.
func dummyHash(p Params) string {
	if p.validate() != nil {
		p = DefaultParams
	}
	return encodeHash(p, make([]byte, p.SaltLen), make([]byte, p.KeyLen))
}

// Password policy limits, in the spirit of NIST SP 800-63B: a minimum
// length, a generous maximum, and no composition rules, which push people
// towards predictable passwords and add friction for people already under
// strain.
const (
	// MinPasswordChars is counted in characters (Unicode code points), so
	// people writing in any script get the same allowance.
	MinPasswordChars = 10
	// MaxPasswordBytes is counted in bytes of UTF-8, because it exists to
	// bound the work done per request, not to judge the password.
	MaxPasswordBytes = 200
)

// Policy errors. Their text is written to be shown to the person choosing a
// password as it is: plain, kind and specific about what to change.
var (
	// ErrPasswordBlank is returned for an empty password or one made only of
	// spaces, which is almost always a slip rather than a choice.
	ErrPasswordBlank = errors.New("Please enter a password. It can't be empty or only spaces.")
	// ErrPasswordTooShort is returned below MinPasswordChars characters.
	ErrPasswordTooShort = errors.New("Please use at least 10 characters. A few unrelated words together make a strong password that is easy to remember.")
	// ErrPasswordTooLong is returned above MaxPasswordBytes bytes.
	ErrPasswordTooLong = errors.New("Please use a shorter password, up to 200 characters. Accented letters, emoji and letters from some alphabets count as more than one.")
)

// CheckPasswordPolicy says whether a new password is acceptable, returning
// one of the policy errors, whose text can be shown to the person as it is.
// It checks only length and blankness, following NIST SP 800-63B. Existing
// passwords should always be verified, never re-checked against the policy,
// so that tightening it never locks anyone out.
func CheckPasswordPolicy(pw string) error {
	if strings.TrimFunc(pw, unicode.IsSpace) == "" {
		return ErrPasswordBlank
	}
	if utf8.RuneCountInString(pw) < MinPasswordChars {
		return ErrPasswordTooShort
	}
	if len(pw) > MaxPasswordBytes {
		return ErrPasswordTooLong
	}
	return nil
}
