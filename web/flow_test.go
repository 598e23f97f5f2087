package web_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/web"
)

// signIn signs in through the form, as a person would.
func (c *client) signIn(email, password string) response {
	c.w.t.Helper()
	return c.post("/login", url.Values{"email": {email}, "password": {password}, "next": {"/home"}})
}

func wantStatus(t *testing.T, what string, r response, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, r.Status, status, snippet(r.Body))
	}
}

func wantBody(t *testing.T, what string, r response, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(r.Body, s) {
			t.Fatalf("%s: page does not say %q\n%s", what, s, snippet(r.Body))
		}
	}
}

func snippet(s string) string {
	if i := strings.Index(s, `<main`); i >= 0 {
		s = s[i:]
	}
	if len(s) > 1500 {
		s = s[:1500]
	}
	return s
}

func TestSignInAndOut(t *testing.T) {
	w := newWorld(t, "sqlite")
	c := w.client()
	wantStatus(t, "login page", c.get("/login"), http.StatusOK)

	// Wrong password and unknown account read exactly alike.
	wrong := c.signIn("practitioner@example.org", "not the password")
	unknown := c.signIn("nobody@example.org", "not the password")
	wantStatus(t, "wrong password", wrong, http.StatusUnauthorized)
	wantStatus(t, "unknown account", unknown, http.StatusUnauthorized)
	msg := regexp.MustCompile(`(?s)<main.*</main>`)
	if msg.FindString(wrong.Body) != strings.ReplaceAll(msg.FindString(unknown.Body), "nobody@", "practitioner@") {
		t.Fatal("the page for a wrong password differs from the page for an unknown account")
	}
	wantBody(t, "failed sign-in", wrong, "The email address or password is not right", `value="practitioner@example.org"`)
	if strings.Contains(wrong.Body, "not the password") {
		t.Fatal("the password was sent back in the page")
	}

	ok := c.signIn("Practitioner@Example.org", testPassword)
	wantStatus(t, "sign in", ok, http.StatusSeeOther)
	if ok.Location != "/home" {
		t.Fatalf("redirected to %q", ok.Location)
	}
	ck := ok.Header.Get("Set-Cookie")
	for _, attr := range []string{"alongside_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(ck, attr) {
			t.Fatalf("session cookie %q lacks %s", ck, attr)
		}
	}
	if strings.Contains(ck, "Secure") {
		t.Fatal("cookie marked Secure on plain HTTP: the browser would drop it")
	}
	home := c.get("/home")
	wantStatus(t, "home", home, http.StatusOK)
	wantBody(t, "practitioner's home", home, "Hello, Priya Practitioner", "People you work with", "Pat Person")

	wantStatus(t, "sign out", c.post("/logout", nil), http.StatusSeeOther)
	if r := c.get("/home"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
		t.Fatalf("after sign-out /home = %d %q", r.Status, r.Location)
	}

	evs, _, err := w.store.Audit.AuditEvents(ctx, alongside.AuditFilter{Action: "signin"})
	must(t, err)
	var fails, ins int
	for _, e := range evs {
		switch e.Action {
		case "signin.fail":
			fails++
		case "signin":
			ins++
			if e.ActorEmail != "" && e.TargetID != w.users["practitioner"].ID {
				t.Errorf("sign-in event for the wrong user: %+v", e)
			}
		}
	}
	if fails != 2 || ins != 1 {
		t.Fatalf("audit has %d failed and %d successful sign-ins, want 2 and 1", fails, ins)
	}
}

func TestSignInThrottle(t *testing.T) {
	w := newWorld(t, "sqlite")
	c := w.client()
	for i := 0; i < 5; i++ {
		c.signIn("person@example.org", "guess number "+fmt.Sprint(i))
	}
	r := c.signIn("person@example.org", testPassword)
	wantStatus(t, "sign-in after 5 failures", r, http.StatusTooManyRequests)
	wantBody(t, "throttled", r, "too many attempts")
	// The same holds for an address that does not exist: no hint either way.
	for i := 0; i < 5; i++ {
		c.signIn("ghost@example.org", "guess")
	}
	wantBody(t, "throttled unknown", c.signIn("ghost@example.org", "guess"), "too many attempts")
	// After the window, the right password works again.
	w.store.Clock.(*alongside.FixedClock).Advance(16 * time.Minute)
	wantStatus(t, "after the wait", c.signIn("person@example.org", testPassword), http.StatusSeeOther)
}

func TestDisabledAccount(t *testing.T) {
	w := newWorld(t, "sqlite")
	c := w.client()
	wantStatus(t, "sign in", c.signIn("practitioner@example.org", testPassword), http.StatusSeeOther)
	admin := w.as("orgadmin")
	r := admin.post(fmt.Sprintf("/orgs/%d/users/%d/disable", w.org.ID, w.users["practitioner"].ID), nil)
	wantStatus(t, "disable", r, http.StatusSeeOther)
	if r := c.get("/home"); r.Status != http.StatusSeeOther {
		t.Fatalf("disabled user's session still works: %d", r.Status)
	}
	again := c.signIn("practitioner@example.org", testPassword)
	wantStatus(t, "disabled sign-in", again, http.StatusUnauthorized)
	wantBody(t, "disabled sign-in", again, "The email address or password is not right")
}

func TestTwoStepSignIn(t *testing.T) {
	w := newWorld(t, "sqlite")
	clock := w.store.Clock.(*alongside.FixedClock)
	c := w.client()
	c.signIn("manager@example.org", testPassword)
	setup := c.get("/account/two-factor")
	wantStatus(t, "set-up page", setup, http.StatusOK)
	wantBody(t, "set-up page", setup, "<svg", "QR code for your authenticator app")
	secret := regexp.MustCompile(`name="secret" value="([A-Z2-7]+)"`).FindStringSubmatch(setup.Body)[1]

	bad := c.post("/account/two-factor", url.Values{"secret": {secret}, "code": {"000000"}})
	wantStatus(t, "wrong set-up code", bad, http.StatusUnprocessableEntity)
	wantBody(t, "wrong set-up code", bad, "There is a problem", `href="#code"`)

	code, _ := auth.TOTPCode(secret, clock.Now())
	done := c.post("/account/two-factor", url.Values{"secret": {secret}, "code": {code}})
	wantStatus(t, "set-up", done, http.StatusOK)
	codes := regexp.MustCompile(`<li>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</li>`).FindAllStringSubmatch(done.Body, -1)
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown, want 10", len(codes))
	}
	c.post("/logout", nil)

	r := c.signIn("manager@example.org", testPassword)
	if !strings.HasPrefix(r.Location, "/login/code") {
		t.Fatalf("after password, went to %q; want the code page", r.Location)
	}
	if r := c.get("/home"); r.Status != http.StatusSeeOther {
		t.Fatalf("home reachable before the second factor: %d", r.Status)
	}
	wantStatus(t, "code page", c.get("/login/code"), http.StatusOK)
	// The code used for set-up cannot be replayed.
	wantStatus(t, "replayed code", c.post("/login/code", url.Values{"code": {code}}), http.StatusUnauthorized)
	clock.Advance(30 * time.Second)
	next, _ := auth.TOTPCode(secret, clock.Now())
	wantStatus(t, "fresh code", c.post("/login/code", url.Values{"code": {next}}), http.StatusSeeOther)
	wantStatus(t, "home after code", c.get("/home"), http.StatusOK)

	// A recovery code works once.
	for i, want := range []int{http.StatusSeeOther, http.StatusUnauthorized} {
		d := w.client()
		d.signIn("manager@example.org", testPassword)
		if got := d.post("/login/code", url.Values{"code": {strings.ToUpper(codes[0][1])}}); got.Status != want {
			t.Fatalf("recovery code use %d: %d, want %d", i+1, got.Status, want)
		}
	}
}

func TestOrganisationCanRequireTwoStep(t *testing.T) {
	w := newWorld(t, "sqlite")
	admin := w.as("orgadmin")
	settings := admin.get(fmt.Sprintf("/orgs/%d/settings", w.org.ID))
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(settings.Body)[1]
	wantStatus(t, "save settings", admin.post(fmt.Sprintf("/orgs/%d/settings", w.org.ID),
		url.Values{"name": {w.org.Name}, "require_mfa": {"on"}, "retention": {"30"}, "version": {version}}), http.StatusSeeOther)
	r := w.as("practitioner").get("/home")
	if r.Status != http.StatusSeeOther || r.Location != "/account/two-factor" {
		t.Fatalf("staff without a second factor: %d %q; want sent to set-up", r.Status, r.Location)
	}
	wantBody(t, "set-up when required", w.as("practitioner").get("/account/two-factor"), "asks everyone on its staff")
	evs, _, err := w.store.Audit.AuditEvents(ctx, alongside.AuditFilter{Action: "organisation.update"})
	must(t, err)
	if len(evs) != 1 || evs[0].Detail != "two-step sign-in required for staff" || evs[0].ActorID != w.users["orgadmin"].ID {
		t.Fatalf("the setting's audit line: %+v", evs)
	}
	// People using services choose for themselves.
	wantStatus(t, "person's home", w.as("person").get("/home"), http.StatusOK)
}

func TestInvitationLinkFlow(t *testing.T) {
	w := newWorld(t, "sqlite")
	prac := w.as("practitioner")
	form := prac.get(fmt.Sprintf("/services/%d/invite", w.svcA.ID))
	wantStatus(t, "invite form", form, http.StatusOK)

	bad := prac.post(fmt.Sprintf("/services/%d/invite", w.svcA.ID), url.Values{"name": {"Alex New"}, "email": {"not-an-email"}})
	wantStatus(t, "bad email", bad, http.StatusUnprocessableEntity)
	wantBody(t, "bad email", bad, "There is a problem", `href="#email"`, `value="Alex New"`, `aria-invalid="true"`, "<title>Error:")
	if _, err := w.store.Accounts.UserByEmail(ctx, "not-an-email"); alongside.ErrorCode(err) != alongside.ENOTFOUND {
		t.Fatal("a user was created from a bad form")
	}

	ok := prac.post(fmt.Sprintf("/services/%d/invite", w.svcA.ID), url.Values{"name": {"Alex New"}, "email": {"alex@example.org"}})
	wantStatus(t, "invite", ok, http.StatusOK)
	link := regexp.MustCompile(`/links/[A-Za-z0-9_-]+`).FindString(ok.Body)
	if link == "" {
		t.Fatalf("no link shown:\n%s", snippet(ok.Body))
	}
	// The inviting practitioner now works with Alex.
	wantBody(t, "practitioner's home", prac.get("/home"), "Alex New")

	anon := w.client()
	wantBody(t, "link page", anon.get(link), "Welcome to Alongside", "Choose a password")
	mismatch := anon.post(link, url.Values{"password": {"a long enough password"}, "confirm": {"a different password"}})
	wantStatus(t, "mismatch", mismatch, http.StatusUnprocessableEntity)
	wantBody(t, "mismatch", mismatch, "are not the same", `href="#confirm"`)
	if strings.Contains(mismatch.Body, "a long enough password") {
		t.Fatal("passwords sent back in the page")
	}
	short := anon.post(link, url.Values{"password": {"short"}, "confirm": {"short"}})
	wantBody(t, "short", short, "at least 10 characters")
	set := anon.post(link, url.Values{"password": {"a long enough password"}, "confirm": {"a long enough password"}})
	if set.Status != http.StatusSeeOther || set.Location != "/login" {
		t.Fatalf("set password: %d %q", set.Status, set.Location)
	}
	wantBody(t, "flash", anon.get("/login"), "Your password is set")
	wantStatus(t, "new person signs in", anon.signIn("alex@example.org", "a long enough password"), http.StatusSeeOther)
	wantBody(t, "new person's home", anon.get("/home"), "Your recovery, your way", "Priya Practitioner")

	used := w.client().get(link)
	wantStatus(t, "used link", used, http.StatusGone)
	wantBody(t, "used link", used, "This link has been used or has expired", "If you have already set your password", `href="/login"`, "Ask whoever sent you the link for a new one")

	// Alex has a password now: nobody else makes a link for Alex.
	alex, _ := w.store.Accounts.UserByEmail(ctx, "alex@example.org")
	wantStatus(t, "re-issue", prac.post(fmt.Sprintf("/services/%d/people/%d/link", w.svcA.ID, alex.ID), nil), http.StatusForbidden)
}

func TestSupporterInvitation(t *testing.T) {
	w := newWorld(t, "sqlite")
	person := w.as("person")
	path := fmt.Sprintf("/people/%d/supporters", w.users["person"].ID)
	wantStatus(t, "form", person.get(path+"/new"), http.StatusOK)
	bad := person.post(path, url.Values{"name": {"Kim Friend"}, "email": {"kim@example.org"}})
	wantStatus(t, "no relationship", bad, http.StatusUnprocessableEntity)
	wantBody(t, "no relationship", bad, "Who are they to you?", `href="#relationship"`, `value="kim@example.org"`)
	ok := person.post(path, url.Values{"name": {"Kim Friend"}, "email": {"kim@example.org"}, "relationship": {"friend"}})
	link := regexp.MustCompile(`/links/[A-Za-z0-9_-]+`).FindString(ok.Body)
	kim := w.client()
	kim.post(link, url.Values{"password": {"kim's long password"}, "confirm": {"kim's long password"}})
	kim.signIn("kim@example.org", "kim's long password")
	wantBody(t, "supporter's home", kim.get("/home"), "People you support", "Pat Person", "Friend")
	page := kim.get(fmt.Sprintf("/people/%d", w.users["person"].ID))
	wantBody(t, "supporter's view of the person", page, "chooses what you can see")
	if strings.Contains(page.Body, "Jo Supporter") || strings.Contains(page.Body, "Priya Practitioner") {
		t.Fatal("a supporter sees the person's other supporters or workers without being shown them")
	}
}

func TestStaleEditIsAConflict(t *testing.T) {
	w := newWorld(t, "sqlite")
	admin := w.as("orgadmin")
	path := fmt.Sprintf("/orgs/%d/services/%d", w.org.ID, w.svcA.ID)
	form := admin.get(path)
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(form.Body)[1]
	// Someone else saves first.
	sv, _ := w.store.Organisations.Service(ctx, w.svcA.ID)
	sv.Name = "Birchwood House"
	must(t, w.store.Organisations.UpdateService(ctx, sv))

	r := admin.post(path, url.Values{"name": {"Birchwood Team"}, "description": {"mine"}, "version": {version}})
	wantStatus(t, "stale save", r, http.StatusConflict)
	wantBody(t, "stale save", r, "Someone else saved a change", "Birchwood House", `value="Birchwood Team"`)
	if got, _ := w.store.Organisations.Service(ctx, w.svcA.ID); got.Name != "Birchwood House" {
		t.Fatalf("the stale save overwrote the other change: %q", got.Name)
	}
	// Saving again from the conflict page is a knowing choice, and works.
	version = regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(r.Body)[1]
	wantStatus(t, "save again", admin.post(path, url.Values{"name": {"Birchwood Team"}, "version": {version}}), http.StatusSeeOther)
}

func TestAdministratorManagesPeopleAndRoles(t *testing.T) {
	w := newWorld(t, "sqlite")
	admin := w.as("orgadmin")
	base := fmt.Sprintf("/orgs/%d", w.org.ID)
	wantStatus(t, "new service", admin.post(base+"/services", url.Values{"name": {"Dunmore"}}), http.StatusSeeOther)
	dup := admin.post(base+"/services", url.Values{"name": {"Dunmore"}, "description": {"kept"}})
	wantStatus(t, "duplicate service", dup, http.StatusUnprocessableEntity)
	wantBody(t, "duplicate service", dup, "already has a service with this name", "kept")

	wantStatus(t, "new user form", admin.get(base+"/users/new"), http.StatusOK)
	noService := admin.post(base+"/users", url.Values{"name": {"Ned New"}, "email": {"ned@example.org"}, "role": {"practitioner"}})
	wantStatus(t, "role without service", noService, http.StatusUnprocessableEntity)
	wantBody(t, "role without service", noService, "Choose the service", `href="#service"`)
	svc := fmt.Sprint(w.svcB.ID)
	r := admin.post(base+"/users", url.Values{"name": {"Ned New"}, "email": {"ned@example.org"}, "role": {"practitioner"}, "service": {svc}})
	wantStatus(t, "new user", r, http.StatusOK)
	wantBody(t, "new user", r, "/links/", "It works once")
	list := admin.get(base + "/users?q=ned")
	wantBody(t, "search", list, "Ned New", "Practitioner: Cedar Court", "Invited")
	if strings.Contains(list.Body, "Pat Person") {
		t.Fatal("search shows people who do not match")
	}
	ned, _ := w.store.Accounts.UserByEmail(ctx, "ned@example.org")
	userPath := fmt.Sprintf("%s/users/%d", base, ned.ID)
	noRole := admin.post(userPath+"/roles", url.Values{"role": {"service_manager"}})
	wantStatus(t, "role without its service", noRole, http.StatusUnprocessableEntity)
	wantBody(t, "role without its service", noRole, "Choose the service", `value="ned@example.org"`)
	wantStatus(t, "add role", admin.post(userPath+"/roles", url.Values{"role": {"network_lead"}}), http.StatusSeeOther)
	wantBody(t, "user page", admin.get(userPath), "Network lead", "Practitioner, Cedar Court")
	wantStatus(t, "reset link", admin.post(userPath+"/reset-link", nil), http.StatusOK)

	// Changes to users, roles and services are in the audit log, filterable.
	log := admin.get(base + "/audit?action=membership")
	wantBody(t, "audit", log, "membership.add", "orgadmin@example.org")
	if strings.Contains(log.Body, "service.create") {
		t.Fatal("audit filter by action did not filter")
	}
	wantBody(t, "audit services", admin.get(base+"/audit?action=service"), "service.create")
	badDate := admin.get(base + "/audit?from=yesterday")
	wantStatus(t, "bad date", badDate, http.StatusUnprocessableEntity)
	wantBody(t, "bad date", badDate, "Enter the date, such as 1 March 2026.", `value="yesterday"`)
	wantStatus(t, "system audit", w.as("sysadmin").get("/admin/audit?actor=orgadmin@example.org"), http.StatusOK)
	wantBody(t, "organisations", w.as("sysadmin").post("/admin/organisations", url.Values{"name": {""}}), "Enter the organisation")
}

func TestServiceManagerAllocatesAndAssignsSupervision(t *testing.T) {
	w := newWorld(t, "sqlite")
	mgr := w.as("manager")
	path := fmt.Sprintf("/services/%d", w.svcA.ID)
	wantBody(t, "service page", mgr.get(path), "Who works with whom", "Pat Person", "Sam Supervisor supervises Priya Practitioner")
	r := mgr.post(path+"/allocations", url.Values{"person": {fmt.Sprint(w.users["person"].ID)}, "practitioner": {fmt.Sprint(w.users["supervisor"].ID)}})
	wantStatus(t, "allocate", r, http.StatusSeeOther)
	wantStatus(t, "supervisor now sees the person", w.as("supervisor").get(fmt.Sprintf("/people/%d", w.users["person"].ID)), http.StatusOK)
	wantBody(t, "the person sees who works with them", w.as("person").get(fmt.Sprintf("/people/%d", w.users["person"].ID)), "Sam Supervisor", "Priya Practitioner")
	// A practitioner of another service cannot be allocated here.
	cross := mgr.post(path+"/allocations", url.Values{"person": {fmt.Sprint(w.users["person"].ID)}, "practitioner": {fmt.Sprint(w.users["otherPractitioner"].ID)}})
	wantStatus(t, "cross-service allocation", cross, http.StatusUnprocessableEntity)
	wantBody(t, "cross-service allocation keeps the choice", cross, "Choose a practitioner of this service", " selected>Pat Person")
	self := mgr.post(path+"/supervision", url.Values{"supervisee": {fmt.Sprint(w.users["practitioner"].ID)}, "supervisor": {fmt.Sprint(w.users["practitioner"].ID)}})
	wantBody(t, "self-supervision", self, "cannot supervise themselves")
}

func TestViewingAPersonIsAudited(t *testing.T) {
	w := newWorld(t, "sqlite")
	w.as("practitioner").get(fmt.Sprintf("/people/%d", w.users["person"].ID))
	evs, _, err := w.store.Audit.AuditEvents(ctx, alongside.AuditFilter{Action: "person.view", TargetID: w.users["person"].ID})
	must(t, err)
	if len(evs) != 1 || evs[0].ActorEmail != "practitioner@example.org" {
		t.Fatalf("person.view events = %+v", evs)
	}
}

func TestNetworkViewHidesSmallNumbers(t *testing.T) {
	w := newWorld(t, "sqlite")
	r := w.as("lead").get(fmt.Sprintf("/orgs/%d/network", w.org.ID))
	wantBody(t, "network", r, "Birchwood", "Cedar Court", "fewer than 5")
	if strings.Contains(r.Body, "Pat Person") {
		t.Fatal("the network view names a person")
	}
	for i := 0; i < 4; i++ {
		u := &alongside.User{Name: fmt.Sprint("Extra ", i), Email: fmt.Sprintf("extra%d@example.org", i)}
		must(t, w.store.Accounts.CreateUser(ctx, u, alongside.Membership{Role: alongside.RolePerson, ServiceID: w.svcA.ID}))
	}
	r = w.as("lead").get(fmt.Sprintf("/orgs/%d/network", w.org.ID))
	// People, then practitioners, follow the indicators in the service's row.
	if !regexp.MustCompile(`Birchwood</th>[^\n]*\n(?:[^\n]*\n)*?\s*<td class="num" data-label="People using the service">5</td><td class="num" data-label="Practitioners">[^<]*</td>`).MatchString(r.Body) {
		t.Fatalf("5 people not shown for Birchwood:\n%s", snippet(r.Body))
	}
}

func TestSignOutEverywhereAndChangePassword(t *testing.T) {
	w := newWorld(t, "sqlite")
	a, b := w.client(), w.client()
	a.signIn("person@example.org", testPassword)
	b.signIn("person@example.org", testPassword)
	wantBody(t, "account", a.get("/account"), "2 devices")
	wantStatus(t, "everywhere", a.post("/account/signout-everywhere", nil), http.StatusSeeOther)
	if r := b.get("/home"); r.Status != http.StatusSeeOther {
		t.Fatalf("other device still signed in: %d", r.Status)
	}
	a.signIn("person@example.org", testPassword)
	wrong := a.post("/account/password", url.Values{"current": {"nope"}, "password": {"a new long password"}, "confirm": {"a new long password"}})
	wantStatus(t, "wrong current", wrong, http.StatusUnprocessableEntity)
	wantBody(t, "wrong current", wrong, "current password is not right")
	wantStatus(t, "change", a.post("/account/password", url.Values{"current": {testPassword}, "password": {"a new long password"}, "confirm": {"a new long password"}}), http.StatusSeeOther)
	wantStatus(t, "old password", a.signIn("person@example.org", testPassword), http.StatusUnauthorized)
	wantStatus(t, "new password", a.signIn("person@example.org", "a new long password"), http.StatusSeeOther)
}

func TestSecurityHeadersAndCrossOriginPost(t *testing.T) {
	w := newWorld(t, "sqlite")
	r := w.client().get("/login")
	for h, want := range map[string]string{
		"Content-Security-Policy": "script-src 'self'", "X-Content-Type-Options": "nosniff",
		"Referrer-Policy": "same-origin",
	} {
		if !strings.Contains(r.Header.Get(h), want) {
			t.Errorf("%s = %q, want it to contain %q", h, r.Header.Get(h), want)
		}
	}
	if !strings.Contains(r.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Error("CSP lacks frame-ancestors 'none'")
	}
	if strings.Contains(r.Body, "<script>") || strings.Contains(r.Body, " style=") {
		t.Error("inline script or style in the page")
	}
	// A form posted from another site is refused.
	req, _ := http.NewRequest(http.MethodPost, w.ts.URL+"/account/signout-everywhere", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	c := w.as("person")
	base, _ := url.Parse(w.ts.URL)
	for _, ck := range c.jar.Cookies(base) {
		req.AddCookie(ck)
	}
	res, err := http.DefaultClient.Do(req)
	must(t, err)
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin POST: %d, want 403", res.StatusCode)
	}
	if n, _ := w.store.Sessions.SessionCount(ctx, w.users["person"].ID, alongside.DefaultSessionPolicy); n != 1 {
		t.Fatal("the cross-origin POST signed the person out")
	}
}

func TestHelpfulErrorPages(t *testing.T) {
	w := newWorld(t, "sqlite")
	nf := w.as("person").get("/no-such-page")
	wantStatus(t, "404", nf, http.StatusNotFound)
	wantBody(t, "404", nf, "Page not found", "Go to your home page")
	fb := w.as("person").get(fmt.Sprintf("/orgs/%d", w.org.ID))
	wantStatus(t, "403", fb, http.StatusForbidden)
	wantBody(t, "403", fb, "You do not have access", "ask your service manager")
	bad := w.as("orgadmin").get("/orgs/abc/users")
	wantStatus(t, "bad id", bad, http.StatusNotFound)
	// Closing the database makes every page fail: the 500 page helps and
	// gives a reference, never a stack trace.
	admin := w.as("orgadmin")
	w.store.Close()
	r := admin.get("/home")
	wantStatus(t, "500", r, http.StatusInternalServerError)
	wantBody(t, "500", r, "Sorry, something went wrong on our side", r.Header.Get("X-Request-Id"))
	if strings.Contains(r.Body, "sql:") || strings.Contains(r.Body, "goroutine") {
		t.Fatal("the error page shows internals")
	}
	wantStatus(t, "readyz with the database down", w.client().get("/readyz"), http.StatusServiceUnavailable)
}

func TestHealthMetricsAndRequestLog(t *testing.T) {
	var logs bytes.Buffer
	w := newWorld(t, "sqlite", func(c *web.Config) { c.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) })
	wantBody(t, "healthz", w.client().get("/healthz"), "ok")
	wantBody(t, "readyz", w.client().get("/readyz"), "ok")
	home := w.as("person").get("/home")
	m := w.client().get("/metrics")
	wantBody(t, "metrics", m, `alongside_http_requests_total{method="GET",route="GET /home",status="200"} 1`,
		`alongside_http_request_duration_seconds_count{method="GET",route="GET /home"} 1`)
	id := home.Header.Get("X-Request-Id")
	if id == "" || !strings.Contains(logs.String(), `"request_id":"`+id+`"`) || !strings.Contains(logs.String(), `"route":"GET /home"`) {
		t.Fatalf("no access-log line for request %s:\n%s", id, logs.String())
	}
}

func TestMetricsCanBeRestricted(t *testing.T) {
	w := newWorld(t, "sqlite", func(c *web.Config) { c.MetricsAllow = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")} })
	wantStatus(t, "metrics from outside the list", w.client().get("/metrics"), http.StatusForbidden)
}

func TestTrustedProxy(t *testing.T) {
	w := newWorld(t, "sqlite", func(c *web.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")} })
	req, _ := http.NewRequest(http.MethodPost, w.ts.URL+"/login", strings.NewReader(url.Values{"email": {"person@example.org"}, "password": {testPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("X-Forwarded-For", "203.0.113.50, 127.0.0.1")
	req.Header.Set("X-Forwarded-Proto", "https")
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.Do(req)
	must(t, err)
	res.Body.Close()
	if !strings.Contains(res.Header.Get("Set-Cookie"), "Secure") {
		t.Fatal("behind a TLS-terminating proxy, the session cookie is not Secure")
	}
	evs, _, _ := w.store.Audit.AuditEvents(ctx, alongside.AuditFilter{Action: "signin"})
	if len(evs) == 0 || evs[0].IP != "203.0.113.50" {
		t.Fatalf("sign-in recorded from %+v, want the client's address 203.0.113.50", evs)
	}
	// Without trust, a forged header is ignored.
	w2 := newWorld(t, "sqlite")
	req, _ = http.NewRequest(http.MethodPost, w2.ts.URL+"/login", strings.NewReader(url.Values{"email": {"person@example.org"}, "password": {"wrong"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("X-Forwarded-For", "203.0.113.50")
	res, err = hc.Do(req)
	must(t, err)
	res.Body.Close()
	evs, _, _ = w2.store.Audit.AuditEvents(ctx, alongside.AuditFilter{Action: "signin.fail"})
	if len(evs) == 0 || evs[0].IP != "127.0.0.1" {
		t.Fatalf("untrusted X-Forwarded-For believed: %+v", evs)
	}
}

// outbox records emails; the SMTP conversation itself is tested in package
// mailer against a real SMTP peer.
type outbox struct{ to, subject, body []string }

func (o *outbox) Send(to, subject, body string) error {
	o.to, o.subject, o.body = append(o.to, to), append(o.subject, subject), append(o.body, body)
	return nil
}
