package sqlstore_test

import (
	"testing"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

func TestLinksAreSingleUseAndExpire(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		clock := s.Clock.(*alongside.FixedClock)
		old, _ := s.Links.IssueLink(ctx, alongside.LinkReset, w.person.ID)
		token, err := s.Links.IssueLink(ctx, alongside.LinkReset, w.person.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Links.Link(ctx, old); code(err) != alongside.ENOTFOUND {
			t.Fatalf("an older link still works after a new one: %v", err)
		}
		if _, u, err := s.Links.Link(ctx, token); err != nil || u.ID != w.person.ID {
			t.Fatalf("Link: %v %v", u, err)
		}
		if _, err := s.Links.UseLink(ctx, token, "hash-1"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Links.UseLink(ctx, token, "hash-2"); code(err) != alongside.ENOTFOUND {
			t.Fatalf("second use: %v", err)
		}
		if u, _ := s.Accounts.User(ctx, w.person.ID); u.PasswordHash != "hash-1" {
			t.Fatalf("password hash = %q", u.PasswordHash)
		}
		expiring, _ := s.Links.IssueLink(ctx, alongside.LinkReset, w.person.ID)
		clock.Advance(alongside.LinkLifetime + time.Minute)
		if _, err := s.Links.UseLink(ctx, expiring, "hash-3"); code(err) != alongside.ENOTFOUND {
			t.Fatalf("expired link: %v", err)
		}
	})
}
