package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
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

// burst makes 20 requests at once and returns the statuses they got.
func burst(t *testing.T, request func(i int) (*http.Request, *http.Client)) map[int]int {
	t.Helper()
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		statuses = map[int]int{}
	)
	start := make(chan struct{})
	for i := range 20 {
		req, hc := request(i)
		wg.Go(func() {
			<-start
			res, err := hc.Do(req)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("request %d: %v", i, err)
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

// formPost is a form posted as a browser posts it.
func formPost(base, path string, form url.Values) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", base)
	return req
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
				must(t, w.store.Accounts.SetPassword(ctx, w.users["person"].ID, hash))
				servers := []*world{w}
				if n == 2 {
					servers = append(servers, w.otherServer())
				}
				statuses := burst(t, func(i int) (*http.Request, *http.Client) {
					form := url.Values{"email": {"person@example.org"}, "password": {fmt.Sprintf("guess number %d", i)}}
					return formPost(servers[i%n].ts.URL, "/login", form), http.DefaultClient
				})
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

// The second factor is counted before its check too: 20 wrong codes at
// once after the right password get no more than 5 checked.
func TestSecondFactorBurstChecksNoMoreThanTheLimit(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			clock := w.store.Clock.(*alongside.FixedClock)
			c := w.client()
			c.signIn("manager@example.org", testPassword)
			secret := regexp.MustCompile(`name="secret" value="([A-Z2-7]+)"`).FindStringSubmatch(c.get("/account/two-factor").Body)[1]
			code, _ := auth.TOTPCode(secret, clock.Now())
			wantStatus(t, "set up two-step sign-in", c.post("/account/two-factor", url.Values{"secret": {secret}, "code": {code}}), http.StatusOK)
			c.post("/logout", nil)
			c.signIn("manager@example.org", testPassword)

			statuses := burst(t, func(i int) (*http.Request, *http.Client) {
				return formPost(w.ts.URL, "/login/code", url.Values{"code": {fmt.Sprintf("zzzz-zzzz-zz%02d", i)}}), c.hc
			})
			if statuses[http.StatusUnauthorized] > 5 || statuses[http.StatusUnauthorized]+statuses[http.StatusTooManyRequests] != 20 {
				t.Fatalf("20 wrong codes at once: answers %v; want at most 5 checked (401), the rest refused (429)", statuses)
			}
			clock.Advance(30 * time.Second)
			code, _ = auth.TOTPCode(secret, clock.Now())
			wantStatus(t, "right code after the burst", c.post("/login/code", url.Values{"code": {code}}), http.StatusTooManyRequests)
			clock.Advance(16 * time.Minute)
			code, _ = auth.TOTPCode(secret, clock.Now())
			wantStatus(t, "right code after the window", c.post("/login/code", url.Values{"code": {code}}), http.StatusSeeOther)
		})
	}
}
