// Package serverkey holds the server's one secret key: loading it from a
// file or the environment (creating the file for a single SQLite server),
// deriving a separate subkey for each use, and sealing short secrets such as
// TOTP keys with AES-256-GCM so that a copy of the database alone does not
// give them away.
package serverkey

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// Size is the length of a server key in bytes.
const Size = 32

// Key is a server key. Its zero value is not a usable key.
type Key struct{ b [Size]byte }

// New makes a fresh random key.
func New() Key {
	var k Key
	rand.Read(k.b[:]) // never fails: crypto/rand crashes the program instead.
	return k
}

// Parse reads a key written as standard base64 (as Encode writes it, and as
// the file holds it), ignoring surrounding spaces and line breaks.
func Parse(s string) (Key, error) {
	var k Key
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return k, fmt.Errorf("the server key is not base64 (make one with: head -c 32 /dev/urandom | base64)")
	}
	if len(b) != Size {
		return k, fmt.Errorf("the server key is %d bytes long; it must be exactly %d (make one with: head -c 32 /dev/urandom | base64)", len(b), Size)
	}
	copy(k.b[:], b)
	return k, nil
}

// FromSecret makes a key from a secret the server does not keep, such as
// a one-time link's 256-bit token (the database holds only its hash), so
// that what the key seals opens only for whoever holds the secret: neither
// a copy of the database nor the server key opens it. The secret must be
// as hard to guess as a key (HKDF-SHA256 adds no strength to a weak one).
func FromSecret(purpose, secret string) Key {
	out, err := hkdf.Key(sha256.New, []byte(secret), nil, "alongside secret "+purpose, Size)
	if err != nil {
		panic(err) // only for lengths HKDF cannot give, and ours is fixed
	}
	var k Key
	copy(k.b[:], out)
	return k
}

// Encode writes the key as base64, the form Parse and the key file use.
func (k Key) Encode() string { return base64.StdEncoding.EncodeToString(k.b[:]) }

// Derive gives a subkey for one purpose (HKDF-SHA256), so that a key
// used for one thing (signing forms, say) tells nothing about another
// (sealing TOTP secrets).
func (k Key) Derive(purpose string) []byte {
	out, err := hkdf.Key(sha256.New, k.b[:], nil, "alongside "+purpose, Size)
	if err != nil {
		panic(err) // only for lengths HKDF cannot give, and ours is fixed
	}
	return out
}

// ID names the key without revealing it, so a sealed value says which key
// sealed it and a rotation can tell old from new.
func (k Key) ID() string { return hex.EncodeToString(k.Derive("key id")[:4]) }

// LoadFile reads a key file, refusing one that others may read or that does
// not hold exactly one key.
func LoadFile(path string) (Key, error) {
	info, err := os.Stat(path)
	if err != nil {
		return Key{}, fmt.Errorf("cannot read the server key file: %w", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return Key{}, fmt.Errorf("the server key file %s can be read by others (mode %v): make it private with chmod 600 %s", path, info.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return Key{}, fmt.Errorf("cannot read the server key file: %v", err)
	}
	k, err := Parse(string(b))
	if err != nil {
		return Key{}, fmt.Errorf("%s: %v", path, err)
	}
	return k, nil
}

// LoadOrCreateFile reads the key file, or makes it with a fresh key,
// readable by its owner only, if there is none. The file is created only
// if it does not exist, so two servers starting at once agree on one key.
func LoadOrCreateFile(path string) (k Key, created bool, err error) {
	k, err = LoadFile(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return k, false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		k, err = LoadFile(path)
		return k, false, err
	} else if err != nil {
		return Key{}, false, fmt.Errorf("cannot make the server key file: %v", err)
	}
	k = New()
	_, err = f.WriteString(k.Encode() + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return Key{}, false, fmt.Errorf("cannot write the server key file: %v", err)
	}
	return k, true, nil
}

// WriteFile writes a key to a new file, readable by its owner only,
// refusing to overwrite one.
func WriteFile(path string, k Key) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("cannot make the key file: %v", err)
	}
	_, err = f.WriteString(k.Encode() + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// sealPrefix marks a sealed value and its format's version; what follows is
// the key's ID and the nonce and ciphertext.
const sealPrefix = "v1."

// ErrWrongKey means a value was sealed with another key than the one given.
var ErrWrongKey = errors.New("serverkey: sealed with another key")

// IsSealed reports whether s was made by Seal (of any key), as opposed to
// a value stored before secrets were sealed.
func IsSealed(s string) bool { return strings.HasPrefix(s, sealPrefix) }

// SealedBy returns the ID of the key that sealed s ("" if s is not sealed).
func SealedBy(s string) string {
	if !IsSealed(s) {
		return ""
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(s, sealPrefix), ".")
	return id
}

func (k Key) aead(purpose string) cipher.AEAD {
	block, err := aes.NewCipher(k.Derive(purpose))
	if err != nil {
		panic(err) // a 32-byte key always makes a cipher
	}
	g, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return g
}

// Seal encrypts plain with a subkey for purpose (AES-256-GCM, random
// nonce), bound to context (for example the owner's id, so a sealed value
// copied onto another row does not open), as printable text.
func (k Key) Seal(purpose, context, plain string) string {
	g := k.aead(purpose)
	nonce := make([]byte, g.NonceSize())
	rand.Read(nonce)
	ct := g.Seal(nonce, nonce, []byte(plain), []byte(context))
	return sealPrefix + k.ID() + "." + base64.RawURLEncoding.EncodeToString(ct)
}

// Open decrypts a value made by Seal with the same key, purpose and context.
func (k Key) Open(purpose, context, sealed string) (string, error) {
	rest, ok := strings.CutPrefix(sealed, sealPrefix)
	if !ok {
		return "", errors.New("serverkey: not a sealed value")
	}
	id, body, _ := strings.Cut(rest, ".")
	if id != k.ID() {
		return "", fmt.Errorf("%w (key %s, not the server's key %s)", ErrWrongKey, id, k.ID())
	}
	ct, err := base64.RawURLEncoding.DecodeString(body)
	g := k.aead(purpose)
	if err != nil || len(ct) < g.NonceSize() {
		return "", errors.New("serverkey: damaged sealed value")
	}
	plain, err := g.Open(nil, ct[:g.NonceSize()], ct[g.NonceSize():], []byte(context))
	if err != nil {
		return "", errors.New("serverkey: sealed value does not open: damaged, or moved from another record")
	}
	return string(plain), nil
}
