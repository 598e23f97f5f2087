package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"golang.org/x/text/unicode/norm"
)

const managerSecret = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"

// codeNow gives a fresh authenticator code, a step after the last one used.
func codeNow(w *world) string {
	clock := w.store.Clock.(*alongside.FixedClock)
	clock.Advance(30 * time.Second)
	code, _ := auth.TOTPCode(managerSecret, clock.Now())
	return code
}

// TestAccountChangesAskWhoYouAre checks that a session alone (left open on a
// shared computer, or stolen) cannot change the password or email address
// or turn off two-step sign-in: each needs the current password and, with
// two-step sign-in on, a current code.
func TestAccountChangesAskWhoYouAre(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			manager := w.users["manager"]
			must(t, w.store.Sessions.EnableTOTP(ctx, manager.ID, managerSecret, 0, nil))
			c := w.as("manager")

			stillOn := func(what string) {
				t.Helper()
				u, err := w.store.Accounts.User(ctx, manager.ID)
				must(t, err)
				if !u.TOTPEnabled || u.Email != "manager@example.org" || u.PasswordHash != manager.PasswordHash {
					t.Fatalf("%s changed the account: %+v", what, u)
				}
			}
			type attempt struct {
				name   string
				form   url.Values
				errors []string // ids of the fields that must show a problem
			}
			routes := []struct {
				path   string
				form   url.Values
				prefix string
			}{
				{"/account/password", url.Values{"password": {"a brand new password"}, "confirm": {"a brand new password"}}, ""},
				{"/account/email", url.Values{"email": {"morag.new@example.org"}}, "email-"},
				{"/account/two-factor/disable", url.Values{}, "off-"},
			}
			for _, rt := range routes {
				with := func(extra url.Values) url.Values {
					f := url.Values{}
					for k, v := range rt.form {
						f[k] = v
					}
					for k, v := range extra {
						f[k] = v
					}
					return f
				}
				for _, a := range []attempt{
					{"nothing", with(nil), []string{rt.prefix + "current", rt.prefix + "code"}},
					{"wrong password", with(url.Values{"current": {"not my password"}, "code": {codeNow(w)}}), []string{rt.prefix + "current"}},
					{"no code", with(url.Values{"current": {testPassword}}), []string{rt.prefix + "code"}},
					{"wrong code", with(url.Values{"current": {testPassword}, "code": {"000000"}}), []string{rt.prefix + "code"}},
				} {
					r := c.post(rt.path, a.form)
					wantStatus(t, rt.path+" with "+a.name, r, http.StatusUnprocessableEntity)
					for _, id := range a.errors {
						wantBody(t, rt.path+" with "+a.name, r, `href="#`+id+`"`)
					}
					if strings.Contains(r.Body, "not my password") || strings.Contains(r.Body, "a brand new password") {
						t.Fatalf("%s with %s: a password was sent back in the page", rt.path, a.name)
					}
					if rt.path == "/account/email" {
						wantBody(t, "refused email change", r, `value="morag.new@example.org"`)
					}
					stillOn(rt.path + " with " + a.name)
					// Too many failures here would throttle the account;
					// let the window pass between routes.
				}
				w.store.Clock.(*alongside.FixedClock).Advance(16 * time.Minute)
			}

			// With both, each works.
			r := c.post("/account/email", url.Values{"email": {"morag.new@example.org"}, "current": {testPassword}, "code": {codeNow(w)}})
			wantStatus(t, "email change", r, http.StatusOK)
			wantStatus(t, "email link", c.post(linkPattern.FindString(r.Body), url.Values{}), http.StatusSeeOther)
			if u, _ := w.store.Accounts.User(ctx, manager.ID); u.Email != "morag.new@example.org" {
				t.Fatalf("email is %q after the change", u.Email)
			}
			c = w.as("manager")
			wantStatus(t, "turn off", c.post("/account/two-factor/disable", url.Values{"current": {testPassword}, "code": {codeNow(w)}}), http.StatusSeeOther)
			if u, _ := w.store.Accounts.User(ctx, manager.ID); u.TOTPEnabled {
				t.Fatal("two-step sign-in still on")
			}
			// Without two-step sign-in, the password alone is asked.
			c = w.as("manager")
			wantStatus(t, "password change", c.post("/account/password", url.Values{"current": {testPassword}, "password": {"a brand new password"}, "confirm": {"a brand new password"}}), http.StatusSeeOther)
			wantStatus(t, "sign in with the new password", w.client().signIn("morag.new@example.org", "a brand new password"), http.StatusSeeOther)
		})
	}
}

// TestRepeatedWrongPasswordsAtTheAccountPageAreThrottled: the account page
// is not a way round sign-in throttling for someone holding a session.
func TestRepeatedWrongPasswordsAtTheAccountPageAreThrottled(t *testing.T) {
	w := newWorld(t, "sqlite")
	c := w.as("person")
	for i := 0; i < 5; i++ {
		c.post("/account/email", url.Values{"email": {"pat@example.org"}, "current": {fmt.Sprint("guess ", i)}})
	}
	r := c.post("/account/email", url.Values{"email": {"pat@example.org"}, "current": {testPassword}})
	wantStatus(t, "sixth try", r, http.StatusUnprocessableEntity)
	wantBody(t, "sixth try", r, "too many attempts")
}

func TestAdministratorsAlwaysUseTwoStepSignIn(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			hash, err := auth.HashPassword(auth.TestParams, testPassword)
			must(t, err)
			for _, role := range []alongside.Membership{{Role: alongside.RoleSystemAdmin}, {Role: alongside.RoleOrgAdmin, OrgID: w.org.ID}} {
				u := &alongside.User{Name: "New Admin", Email: string(role.Role) + "@example.org", PasswordHash: hash}
				must(t, w.store.Accounts.CreateUser(ctx, u, role))
				c := w.client()
				wantStatus(t, "password", c.signIn(u.Email, testPassword), http.StatusSeeOther)
				for _, p := range []string{"/home", "/account", fmt.Sprintf("/orgs/%d/users", w.org.ID)} {
					if r := c.get(p); r.Status != http.StatusSeeOther || r.Location != "/account/two-factor" {
						t.Fatalf("%s without two-step sign-in: %s gave %d %q, want sent to set it up", role.Role, p, r.Status, r.Location)
					}
				}
				wantBody(t, "set-up page", c.get("/account/two-factor"), "Administrators always use two-step sign-in")
			}
			// One who has it cannot turn it off.
			admin := w.as("orgadmin")
			r := admin.post("/account/two-factor/disable", url.Values{"current": {testPassword}})
			wantStatus(t, "turn off as admin", r, http.StatusSeeOther)
			if u, _ := w.store.Accounts.User(ctx, w.users["orgadmin"].ID); !u.TOTPEnabled {
				t.Fatal("an administrator turned off two-step sign-in")
			}
		})
	}
}

func TestPasswordTypedInAnotherFormAndOldHashesUpgraded(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			composed := norm.NFC.String("Zoë's café by the sea")
			decomposed := norm.NFD.String(composed)
			older := auth.TestParams
			older.Time = 2
			hash, err := auth.HashPassword(older, composed)
			must(t, err)
			must(t, w.store.Accounts.SetPassword(ctx, w.users["person"].ID, hash))

			wantStatus(t, "decomposed sign-in", w.client().signIn("person@example.org", decomposed), http.StatusSeeOther)
			u, err := w.store.Accounts.User(ctx, w.users["person"].ID)
			must(t, err)
			if u.PasswordHash == hash || auth.NeedsRehash(u.PasswordHash, auth.TestParams) {
				t.Fatalf("the hash with older settings was not upgraded at sign-in: %q", u.PasswordHash)
			}
			wantStatus(t, "composed sign-in after upgrade", w.client().signIn("person@example.org", composed), http.StatusSeeOther)
			evs, _, err := w.store.Audit.AuditEvents(ctx, alongside.AuditFilter{Action: "user.password_rehash"})
			must(t, err)
			if len(evs) != 1 {
				t.Fatalf("%d audit lines for the upgrade, want 1", len(evs))
			}
		})
	}
}
