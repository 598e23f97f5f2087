package sqlstore_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// Attempts are counted before their passwords are checked, so 20 at once
// through two app servers (two stores on one database) let exactly the
// limit through, per account and per address; an attempt taken off the
// count (a right or unchecked password) frees its place; and the window
// lifts the count.
func TestSignInAttemptsCountedBeforeTheCheck(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := testdb.DSN(t, engine)
			a, b := testdb.Open(t, dsn), testdb.Open(t, dsn)
			b.Clock = a.Clock
			th := sqlstore.Throttle{Window: 15 * time.Minute, PerAccount: 5, PerAddress: 8}
			burst := func(email func(i int) string, ip func(i int) string) []*sqlstore.SignInAttempt {
				t.Helper()
				var (
					mu      sync.Mutex
					wg      sync.WaitGroup
					let     []*sqlstore.SignInAttempt
					refused int
				)
				start := make(chan struct{})
				for i := range 20 {
					s := []*sqlstore.Store{a, b}[i%2]
					wg.Go(func() {
						<-start
						at, err := s.Sessions.BeginSignIn(ctx, th, email(i), ip(i))
						mu.Lock()
						defer mu.Unlock()
						switch {
						case err == nil:
							let = append(let, at)
						case alongside.ErrorCode(err) == alongside.ETHROTTLED:
							refused++
						default:
							t.Errorf("attempt %d: %v", i, err)
						}
					})
				}
				close(start)
				wg.Wait()
				if len(let)+refused != 20 {
					t.Fatalf("%d attempts let through and %d refused, want 20 in all", len(let), refused)
				}
				return let
			}
			one := func(v string) func(int) string { return func(int) string { return v } }
			each := func(f string) func(int) string { return func(i int) string { return fmt.Sprintf(f, i) } }

			// One account from many addresses: the account's limit holds.
			let := burst(one("Pat@example.org"), each("198.51.100.%d"))
			if len(let) != th.PerAccount {
				t.Fatalf("20 attempts at once on one account: %d let through, want %d", len(let), th.PerAccount)
			}
			if _, err := a.Sessions.BeginSignIn(ctx, th, "pat@example.org", "203.0.113.1"); alongside.ErrorCode(err) != alongside.ETHROTTLED {
				t.Fatalf("after the burst, another attempt: %v, want refused", err)
			}
			// Many accounts from one address: the address's limit holds.
			if let := burst(each("guess%d@example.org"), one("192.0.2.7")); len(let) != th.PerAddress {
				t.Fatalf("20 attempts at once from one address: %d let through, want %d", len(let), th.PerAddress)
			}

			// An attempt taken off the count (its password was right, or
			// never checked) frees its place, once.
			clock := a.Clock.(*alongside.FixedClock)
			begin := func(s *sqlstore.Store) (*sqlstore.SignInAttempt, error) {
				return s.Sessions.BeginSignIn(ctx, th, "sam@example.org", "203.0.113.1")
			}
			var first *sqlstore.SignInAttempt
			for i := range th.PerAccount {
				at, err := begin([]*sqlstore.Store{a, b}[i%2])
				if err != nil {
					t.Fatalf("attempt %d of %d: %v", i+1, th.PerAccount, err)
				}
				if i == 0 {
					first = at
				} else if err := a.Sessions.AttemptFailed(ctx, at, "wrong password"); err != nil {
					t.Fatal(err)
				}
			}
			if err := b.Sessions.UncountAttempt(ctx, first); err != nil {
				t.Fatal(err)
			}
			if _, err := begin(a); err != nil {
				t.Fatalf("after one attempt was taken off the count: %v, want let through", err)
			}
			if _, err := begin(b); alongside.ErrorCode(err) != alongside.ETHROTTLED {
				t.Fatalf("a second attempt after one place was freed: %v, want refused", err)
			}

			// A typed email longer than any address is counted by its
			// first 254 bytes, never cut inside a character.
			if _, err := a.Sessions.BeginSignIn(ctx, th, "a"+strings.Repeat("é", 200)+"@example.org", "203.0.113.2"); err != nil {
				t.Fatalf("an overlong email of accented letters: %v", err)
			}

			// Once the window has passed, the account may try again.
			clock.Advance(16 * time.Minute)
			if _, err := b.Sessions.BeginSignIn(ctx, th, "pat@example.org", "203.0.113.1"); err != nil {
				t.Fatalf("after the window: %v, want let through", err)
			}
		})
	}
}

// Supporter invitations sent at once through two app servers keep to the
// person's limit: the count and the invitation are one transaction that
// holds the person.
func TestSupporterInvitationsAtOnceKeepToTheLimit(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := testdb.DSN(t, engine)
			a, b := testdb.Open(t, dsn), testdb.Open(t, dsn)
			b.Clock = a.Clock
			w := newWorld(t, a)
			var (
				wg   sync.WaitGroup
				mu   sync.Mutex
				sent int
			)
			start := make(chan struct{})
			for i := range 2 * alongside.SupporterInvitesPerWindow {
				s := []*sqlstore.Store{a, b}[i%2]
				wg.Go(func() {
					<-start
					_, err := s.Links.InviteSupporter(ctx, w.person.ID, "Friend", fmt.Sprintf("friend%d@example.org", i), alongside.SupporterFriend)
					switch alongside.ErrorCode(err) {
					case "":
						mu.Lock()
						sent++
						mu.Unlock()
					case alongside.ETHROTTLED:
					default:
						t.Error(err)
					}
				})
			}
			close(start)
			wg.Wait()
			if sent != alongside.SupporterInvitesPerWindow {
				t.Fatalf("%d invitations sent at once went out, want the limit, %d", sent, alongside.SupporterInvitesPerWindow)
			}
		})
	}
}
