package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/internal/browsertest"
)

const demoPassword = "smoke test password"

// startDemo runs the demo as a newcomer would and returns its address and
// the login printed for each role.
func startDemo(t *testing.T) (base string, accounts map[string]string) {
	t.Helper()
	s := start(t, "demo", "--addr", "127.0.0.1:0", "--demo-password", demoPassword)
	accounts = map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^(\w+)\s+(\S+@\S+)`).FindAllStringSubmatch(s.stdout.String(), -1) {
		accounts[m[1]] = m[2]
	}
	if m := regexp.MustCompile(`authenticator app: ([A-Z2-7]+)`).FindStringSubmatch(s.stdout.String()); m != nil {
		accounts[adminKey] = m[1]
	}
	return "http://" + s.addr, accounts
}

// adminKey is where startDemo keeps the administrator's authenticator key.
const adminKey = "admin's authenticator key"

// passSecondStep enters the administrator's code from the key the demo
// printed, as their authenticator app would show it; other roles have no
// second step in the demo.
func passSecondStep(t *testing.T, ctx context.Context, accounts map[string]string, role string) {
	t.Helper()
	if role != "admin" {
		return
	}
	code, err := auth.TOTPCode(accounts[adminKey], time.Now())
	if err != nil {
		t.Fatalf("the demo printed no usable key for the administrator: %v", err)
	}
	browsertest.Do(t, ctx, browsertest.Fill("#code", code), browsertest.Submit("main button.button[type=submit]"))
}

// signInTab opens a tab of the size given and signs in to the demo as the
// account printed for role.
func signInTab(t *testing.T, b *browsertest.Browser, base string, accounts map[string]string, role string, w, h int) context.Context {
	t.Helper()
	return signInTabWithin(t, b, base, accounts, role, w, h, browsertest.TabTimeout)
}

// signInTabWithin is signInTab for a tab that may need longer than
// browsertest.TabTimeout, such as one that crawls many pages.
func signInTabWithin(t *testing.T, b *browsertest.Browser, base string, accounts map[string]string, role string, w, h int, d time.Duration) context.Context {
	t.Helper()
	if accounts[role] == "" {
		t.Fatalf("the demo printed no %s account: %v", role, accounts)
	}
	ctx := b.TabWithin(t, w, h, d)
	browsertest.Do(t, ctx, browsertest.Visit(base+"/login"),
		browsertest.Fill("#email", accounts[role]), browsertest.Fill("#password", demoPassword),
		browsertest.Submit("button[type=submit]"))
	passSecondStep(t, ctx, accounts, role)
	return ctx
}

// mainSays fails the test unless the page's main text holds each of texts,
// and returns that text.
func mainSays(t *testing.T, ctx context.Context, what string, texts ...string) string {
	t.Helper()
	main := browsertest.Run(t, ctx, browsertest.Text("main"))
	for _, s := range texts {
		if !strings.Contains(main, s) {
			t.Fatalf("%s: the page does not say %q:\n%s", what, s, main)
		}
	}
	return main
}

// TestBrowserSmoke signs in as each demo role in real Chromium, checks the
// role's home page and its accessibility, and signs out. The person's
// journey runs in a phone-sized window.
func TestBrowserSmoke(t *testing.T) {
	b := browsertest.New(t)
	base, accounts := startDemo(t)
	shots := os.Getenv("ALONGSIDE_TEST_SCREENSHOTS") // a folder to keep screenshots in, for people to look at

	expect := []struct{ role, heading string }{
		{"admin", "Administration"},
		{"lead", "Your network"},
		{"manager", "Services you manage"},
		{"supervisor", "Practitioners you supervise"},
		{"practitioner", "People you work with"},
		{"person", "Your recovery, your way"},
		{"supporter", "People you support"},
	}
	for i, e := range expect {
		t.Run(e.role, func(t *testing.T) {
			email := accounts[e.role]
			if email == "" {
				t.Fatalf("the demo printed no %s account: %v", e.role, accounts)
			}
			width, height := 1280, 900
			if e.role == "person" || e.role == "supporter" {
				width, height = 360, 740
			}
			ctx := b.Tab(t, width, height)
			browsertest.Do(t, ctx, browsertest.Visit(base+"/login"))
			if i == 0 {
				browsertest.AssertNoAxeViolations(t, ctx, "sign-in page")
			}
			browsertest.Do(t, ctx,
				browsertest.Fill("#email", email),
				browsertest.Fill("#password", demoPassword),
				browsertest.Submit("button[type=submit]"),
			)
			passSecondStep(t, ctx, accounts, e.role)
			if h1 := browsertest.Run(t, ctx, browsertest.Text("h1")); !strings.HasPrefix(h1, "Hello,") {
				t.Fatalf("after signing in as %s the page says %q", e.role, h1)
			}
			if main := browsertest.Run(t, ctx, browsertest.Text("main")); !strings.Contains(main, e.heading) {
				t.Fatalf("%s's home page does not show %q:\n%s", e.role, e.heading, main)
			}
			browsertest.AssertNoAxeViolations(t, ctx, e.role+"'s home page")
			if shots != "" {
				browsertest.Do(t, ctx, browsertest.Screenshot(filepath.Join(shots, e.role+".png")))
			}
			browsertest.Do(t, ctx, browsertest.Submit(".site-header__account button"))
			if msg := browsertest.Run(t, ctx, browsertest.Text(".flash")); !strings.Contains(msg, "You have signed out") {
				t.Fatalf("after signing out: %q", msg)
			}
		})
	}
}

// TestBrowserPagesAreAccessible runs axe-core over the main pages of each
// kind of user, including a form sent back with errors, in a phone-sized
// window.
func TestBrowserPagesAreAccessible(t *testing.T) {
	b := browsertest.New(t)
	base, accounts := startDemo(t)
	signIn := func(t *testing.T, role string) context.Context {
		ctx := b.Tab(t, 360, 740)
		browsertest.Do(t, ctx, browsertest.Visit(base+"/login"),
			browsertest.Fill("#email", accounts[role]), browsertest.Fill("#password", demoPassword),
			browsertest.Submit("button[type=submit]"))
		passSecondStep(t, ctx, accounts, role)
		return ctx
	}
	check := func(t *testing.T, ctx context.Context, name string) {
		t.Helper()
		if h1 := browsertest.Run(t, ctx, browsertest.Text("h1")); h1 == "" {
			t.Fatalf("%s: no heading", name)
		}
		browsertest.AssertNoAxeViolations(t, ctx, name)
	}
	t.Run("admin", func(t *testing.T) {
		ctx := signIn(t, "admin")
		for _, p := range []string{"/admin/organisations", "/orgs/1", "/orgs/1/users", "/orgs/1/users/new", "/orgs/1/settings", "/orgs/1/statements", "/orgs/1/audit", "/orgs/1/network", "/account", "/account/two-factor"} {
			browsertest.Do(t, ctx, browsertest.Visit(base+p))
			check(t, ctx, p)
		}
		// A form sent back with its errors.
		browsertest.Do(t, ctx, browsertest.Visit(base+"/orgs/1/users/new"), browsertest.Fill("#name", "Test Person"),
			browsertest.Submit(".form button[type=submit]"))
		if summary := browsertest.Run(t, ctx, browsertest.Text(".error-summary")); !strings.Contains(summary, "There is a problem") {
			t.Fatalf("no error summary: %q", summary)
		}
		check(t, ctx, "add someone, with errors")
	})
	t.Run("manager", func(t *testing.T) {
		ctx := signIn(t, "manager")
		// Review 1 is Birchwood's completed spring review in the demo, with
		// sheets, attached evidence and an action plan.
		for _, p := range []string{"/services/1", "/services/1/invite", "/services/1/reviews", "/reviews/1", "/reviews/1/results", "/reviews/1/plan"} {
			browsertest.Do(t, ctx, browsertest.Visit(base+p))
			check(t, ctx, p)
			if main := browsertest.Run(t, ctx, browsertest.Text("main")); strings.HasPrefix(p, "/reviews/") && !strings.Contains(main, "Birchwood") {
				t.Fatalf("%s is not Birchwood's review:\n%s", p, main)
			}
		}
	})
	t.Run("person", func(t *testing.T) {
		ctx := signIn(t, "person")
		browsertest.Do(t, ctx, browsertest.Submit(".card a.button")) // "Go to my page" on the home page
		check(t, ctx, "my page")
		browsertest.Do(t, ctx, browsertest.Submit("a.button[href$='/supporters/new']"))
		check(t, ctx, "invite a supporter")
		// The crisis plan is one tap from the home page; the whole plan another.
		browsertest.Do(t, ctx, browsertest.Visit(base+"/home"), browsertest.Submit("a.button--crisis"))
		if h1 := browsertest.Run(t, ctx, browsertest.Text("h1")); h1 != "My crisis plan" {
			t.Fatalf("the crisis button led to %q", h1)
		}
		check(t, ctx, "my crisis plan")
		browsertest.Do(t, ctx, browsertest.Visit(base+"/home"), browsertest.Submit("a.button[href$='/plan']"))
		check(t, ctx, "my recovery plan")
	})
}
