package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/web"
)

// passwordChecks is how many passwords the server has checked, read from
// its metrics.
func passwordChecks(t *testing.T, s *web.Server) int {
	t.Helper()
	families, err := s.Registry().Gather()
	must(t, err)
	for _, f := range families {
		if f.GetName() == "alongside_password_checks_total" {
			return int(f.GetMetric()[0].GetCounter().GetValue())
		}
	}
	t.Fatal("no alongside_password_checks_total metric")
	return 0
}

// burst sends 20 wrong passwords for one account at once, spread over the
// app servers, and returns the statuses they got.
func burst(t *testing.T, servers []*world, email string) map[int]int {
	t.Helper()
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		statuses = map[int]int{}
	)
	start := make(chan struct{})
	for i := range 20 {
		base := servers[i%len(servers)].ts.URL
		wg.Go(func() {
			form := url.Values{"email": {email}, "password": {fmt.Sprintf("guess number %d", i)}}
			req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			req.Header.Set("Origin", base)
			<-start
			res, err := http.DefaultClient.Do(req)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("attempt %d: %v", i, err)
				return
			}
			res.Body.Close()
			statuses[res.StatusCode]++
		})
	}
	close(start)
	wg.Wait()
	return statuses
}

// Twenty wrong passwords for one account sent at once get no more than
// the limit (5) checked, on one app server or split across two on one
// database; then even the right password is refused until the window has
// passed.
func TestSignInBurstChecksNoMoreThanTheLimit(t *testing.T) {
	for _, engine := range testdb.Engines() {
		for _, n := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/%d servers", engine, n), func(t *testing.T) {
				w := newWorld(t, engine)
				// Checks that take as long as real ones (a few
				// hundredths of a second) overlap as a real burst's do.
				slow := auth.Params{Memory: 8 * 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}
				hash, err := auth.HashPassword(slow, testPassword)
				must(t, err)
				must(t, w.store.SetPassword(ctx, w.users["person"].ID, hash))
				servers := []*world{w}
				if n == 2 {
					servers = append(servers, w.otherServer())
				}
				statuses := burst(t, servers, "person@example.org")
				checks := 0
				for _, s := range servers {
					checks += passwordChecks(t, s.server)
				}
				if checks > 5 || statuses[http.StatusUnauthorized] > 5 {
					t.Fatalf("20 wrong passwords at once: %d checked, answers %v; want at most 5 checked", checks, statuses)
				}
				for status := range statuses {
					if status != http.StatusUnauthorized && status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable {
						t.Fatalf("20 wrong passwords at once: answers %v", statuses)
					}
				}
				for i, s := range servers {
					r := s.client().signIn("person@example.org", testPassword)
					wantStatus(t, fmt.Sprintf("right password after the burst, server %d", i+1), r, http.StatusTooManyRequests)
					wantBody(t, "right password after the burst", r, "too many attempts")
					if r.Header.Get("Retry-After") == "" {
						t.Fatal("a refused sign-in does not say when to try again (Retry-After)")
					}
				}
				w.store.Clock.(*alongside.FixedClock).Advance(16 * time.Minute)
				for i, s := range servers {
					wantStatus(t, fmt.Sprintf("right password after the window, server %d", i+1), s.client().signIn("person@example.org", testPassword), http.StatusSeeOther)
				}
			})
		}
	}
}

// When every place in the queue for a password check is taken, a sign-in
// is told at once to try again in a minute (503 with Retry-After), with
// the email it typed kept and the password not; it checks nothing and
// does not count against the account.
func TestSignInQueueFull(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			release := w.server.FillSignInQueue()
			c := w.client()
			for i := range 7 { // more than the limit of attempts
				r := c.signIn("person@example.org", testPassword)
				wantStatus(t, fmt.Sprintf("sign-in %d with the queue full", i+1), r, http.StatusServiceUnavailable)
				wantBody(t, "queue full", r, "There are too many sign-ins right now. Please try again in a minute.",
					`value="person@example.org"`)
				if got := r.Header.Get("Retry-After"); got != "60" {
					t.Fatalf("queue full: Retry-After %q, want 60", got)
				}
				if strings.Contains(r.Body, testPassword) {
					t.Fatal("the busy page shows the password back")
				}
			}
			if n := passwordChecks(t, w.server); n != 0 {
				t.Fatalf("%d passwords checked while the queue was full", n)
			}
			release()
			wantStatus(t, "sign-in once the queue has room", c.signIn("person@example.org", testPassword), http.StatusSeeOther)
		})
	}
}
