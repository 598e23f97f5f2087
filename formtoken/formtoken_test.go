package formtoken_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside/formtoken"
)

func TestCheck(t *testing.T) {
	key, other := formtoken.NewKey(), formtoken.NewKey()
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	tok := formtoken.Issue(key, "survey", "7", now)
	nonce, err := formtoken.Check(key, "survey", "7", tok, now.Add(time.Hour))
	if err != nil || len(nonce) != 32 {
		t.Fatalf("a fresh token: %q, %v", nonce, err)
	}
	if again := formtoken.Issue(key, "survey", "7", now); again == tok {
		t.Fatal("two forms shown at the same moment got the same token")
	}
	altered := []byte(tok)
	altered[len(altered)-1] ^= 1
	made := "xyz." + strings.Repeat("ab", 16) + ".c2lnbmVk"
	for name, c := range map[string]struct {
		key              []byte
		purpose, subject string
		token            string
		at               time.Time
		want             error
	}{
		"another link":        {key, "survey", "8", tok, now, formtoken.ErrForged},
		"another kind":        {key, "paper-survey", "7", tok, now, formtoken.ErrForged},
		"another server key":  {other, "survey", "7", tok, now, formtoken.ErrForged},
		"altered":             {key, "survey", "7", string(altered), now, formtoken.ErrForged},
		"made up":             {key, "survey", "7", made, now, formtoken.ErrForged},
		"empty":               {key, "survey", "7", "", now, formtoken.ErrForged},
		"a random nonce":      {key, "survey", "7", "0123456789abcdef0123456789abcdef", now, formtoken.ErrForged},
		"from the future":     {key, "survey", "7", formtoken.Issue(key, "survey", "7", now.Add(time.Hour)), now, formtoken.ErrForged},
		"over a day old":      {key, "survey", "7", tok, now.Add(formtoken.MaxAge + time.Second), formtoken.ErrExpired},
		"just within the day": {key, "survey", "7", tok, now.Add(formtoken.MaxAge), nil},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := formtoken.Check(c.key, c.purpose, c.subject, c.token, c.at); !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}
