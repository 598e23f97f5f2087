// Package formtoken issues and checks one-time form tokens: a form whose
// second sending would count twice (an anonymous survey answer, a paper
// sheet typed in) carries a token the server signed when it showed the
// form. Issuing one writes nothing; the token names what it is for, so it
// is good only for that form of that link or review, and only for a while.
// Spending it is the caller's: the token's Nonce is stored, uniquely, in
// the same transaction as what the form adds, so a token sent again adds
// nothing.
package formtoken

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Purposes: a token is good only for its own kind of form. The subject of
// each is its wave's id, or for a sheet its review's id and source
// ("12:carers").
const (
	SurveyAnswer = "survey-answer" // an answer through a survey's anonymous link
	PaperSurvey  = "paper-survey"  // a paper survey answer typed in
	Sheet        = "sheet"         // an evidence sheet typed in by the team
)

// MaxAge is how long a token is good for: a day, time enough to fill in
// any of our forms and short enough that a stolen page is soon worthless.
const MaxAge = 24 * time.Hour

// skew allows app servers whose clocks differ a little.
const skew = 5 * time.Minute

var (
	// ErrForged is a token the server did not issue for this form: made
	// up, altered, or issued for another link, review or kind of form.
	ErrForged = errors.New("formtoken: not issued for this form")
	// ErrExpired is a token issued for this form more than MaxAge ago.
	ErrExpired = errors.New("formtoken: expired")
)

// NewKey returns a random key, for a single server with none configured.
func NewKey() []byte {
	k := make([]byte, 32)
	rand.Read(k)
	return k
}

// Issue signs a fresh token for the form named by purpose (say "survey")
// and subject (say the wave's id).
func Issue(key []byte, purpose, subject string, now time.Time) string {
	r := make([]byte, 16)
	rand.Read(r)
	nonce := hex.EncodeToString(r)
	issued := strconv.FormatInt(now.Unix(), 36)
	return issued + "." + nonce + "." + sign(key, purpose, subject, issued, nonce)
}

// Check verifies that token was issued by a holder of key for this purpose
// and subject within MaxAge of now, and returns its nonce: the value to
// store once with what the form adds.
func Check(key []byte, purpose, subject, token string, now time.Time) (nonce string, err error) {
	issued, rest, ok := strings.Cut(token, ".")
	if !ok {
		return "", ErrForged
	}
	nonce, mac, ok := strings.Cut(rest, ".")
	if !ok || len(nonce) != 32 {
		return "", ErrForged
	}
	if !hmac.Equal([]byte(mac), []byte(sign(key, purpose, subject, issued, nonce))) {
		return "", ErrForged
	}
	at, err := strconv.ParseInt(issued, 36, 64)
	if err != nil {
		return "", ErrForged
	}
	t := time.Unix(at, 0)
	if t.After(now.Add(skew)) {
		return "", ErrForged
	}
	if now.Sub(t) > MaxAge {
		return "", ErrExpired
	}
	return nonce, nil
}

// sign is HMAC-SHA256 over every part, each ended by a NUL so that no
// part can borrow from its neighbour.
func sign(key []byte, purpose, subject, issued, nonce string) string {
	m := hmac.New(sha256.New, key)
	for _, p := range []string{"alongside form token", purpose, subject, issued, nonce} {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
