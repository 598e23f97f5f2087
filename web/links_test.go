package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/web"
)

var linkPattern = regexp.MustCompile(`/links/[A-Za-z0-9_-]+`)

// eachWorld runs fn on a fresh world on each engine.
func eachWorld(t *testing.T, fn func(t *testing.T, w *world), opts ...func(*web.Config)) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) { fn(t, newWorld(t, engine, opts...)) })
	}
}

// addUser adds an account to the world under key, with no password when
// invited is true (as if their invitation had not been used yet).
func (w *world) addUser(key, name string, invited bool, roles ...alongside.Membership) *alongside.User {
	u := &alongside.User{Name: name, Email: key + "@example.org"}
	if !invited {
		u.PasswordHash = w.users["person"].PasswordHash
	}
	must(w.t, w.store.Accounts.CreateUser(ctx, u, roles...))
	w.users[key] = u
	return u
}

// noLinkShown fails if a response hands out a one-time link.
func noLinkShown(t *testing.T, what string, r response) {
	t.Helper()
	if link := linkPattern.FindString(r.Body); link != "" {
		t.Fatalf("%s: a link was shown (%s)\n%s", what, link, snippet(r.Body))
	}
}

func passwordOf(w *world, id int64) string {
	u, err := w.store.Accounts.User(ctx, id)
	must(w.t, err)
	return u.PasswordHash
}

// A person who invites, as their supporter, an email that already has an
// account is never handed that account: no link, nothing accepted. The
// holder signs in as themselves and answers.
func TestSupporterInvitationOfAnExistingAccount(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		staff := w.addUser("newstaff", "Nia Newstaff", true, alongside.Membership{Role: alongside.RolePractitioner, ServiceID: w.svcB.ID})
		path := fmt.Sprintf("/people/%d/supporters", w.users["person"].ID)
		for _, u := range []*alongside.User{staff, w.users["otherPractitioner"]} {
			before := passwordOf(w, u.ID)
			r := w.as("person").post(path, url.Values{"name": {"Anyone"}, "email": {u.Email}, "relationship": {"friend"}})
			wantStatus(t, "invite "+u.Email, r, http.StatusOK)
			noLinkShown(t, "invite "+u.Email, r)
			wantBody(t, "invite "+u.Email, r, "will see your invitation when they next sign in")
			if passwordOf(w, u.ID) != before {
				t.Fatalf("inviting %s changed their password", u.Email)
			}
			if a, _ := w.store.Sessions.Actor(ctx, u.ID); a.SupportedPeople[w.users["person"].ID] {
				t.Fatalf("the invitation of %s was accepted on their behalf", u.Email)
			}
		}
		// The holder answers, signed in as themselves.
		oona := w.as("otherPractitioner")
		home := oona.get("/home")
		wantBody(t, "invitation on home", home, "Pat Person", "has asked you to be their supporter")
		accept := regexp.MustCompile(`/supporting/\d+/accept`).FindString(home.Body)
		wantStatus(t, "someone else answers", w.as("supporter").post(accept, nil), http.StatusForbidden)
		wantStatus(t, "accept", oona.post(accept, nil), http.StatusSeeOther)
		wantBody(t, "supporting", oona.get("/home"), "People you support")
		if a, _ := w.store.Sessions.Actor(ctx, w.users["otherPractitioner"].ID); !a.SupportedPeople[w.users["person"].ID] {
			t.Fatal("accepting did not make them a supporter")
		}
		wantStatus(t, "answer twice", oona.post(accept, nil), http.StatusConflict)
		// Declining removes the invitation.
		w.users["newstaff"] = staff
		nia := w.as("newstaff")
		decline := regexp.MustCompile(`/supporting/\d+/decline`).FindString(nia.get("/home").Body)
		wantStatus(t, "decline", nia.post(decline, nil), http.StatusSeeOther)
		if reqs, _ := w.store.Links.SupporterRequests(ctx, staff.ID); len(reqs) != 0 {
			t.Fatalf("declined invitation still waiting: %+v", reqs)
		}
	})
}

// An organisation administrator cannot make a link for an account with a
// role they do not look after: the system administrator, or someone with a
// role in another organisation, even when it also has one in theirs.
func TestLinkOnlyFromWhoCoversEveryRole(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		inOrg := alongside.Membership{Role: alongside.RolePractitioner, ServiceID: w.svcA.ID}
		cases := []*alongside.User{
			w.addUser("newsysadmin", "Sid Sysadmin", true, alongside.Membership{Role: alongside.RoleSystemAdmin}, inOrg),
			w.addUser("twoorgs", "Tam Twoorgs", true, inOrg, alongside.Membership{Role: alongside.RoleOrgAdmin, OrgID: w.otherOrg.ID}),
		}
		must(t, w.store.Accounts.AddMembership(ctx, &alongside.Membership{UserID: w.users["sysadmin"].ID, Role: alongside.RolePractitioner, ServiceID: w.svcA.ID}))
		cases = append(cases, w.users["sysadmin"])
		admin := w.as("orgadmin")
		for _, u := range cases {
			path := fmt.Sprintf("/orgs/%d/users/%d", w.org.ID, u.ID)
			wantStatus(t, "user page", admin.get(path), http.StatusOK)
			if strings.Contains(admin.get(path).Body, "Make a new sign-in link") {
				t.Fatalf("%s: the page offers a link the administrator may not make", u.Email)
			}
			r := admin.post(path+"/reset-link", nil)
			wantStatus(t, "link for "+u.Email, r, http.StatusForbidden)
			noLinkShown(t, "link for "+u.Email, r)
		}
		// Someone whose every role the administrator looks after.
		ned := w.addUser("ned", "Ned New", true, inOrg)
		r := admin.post(fmt.Sprintf("/orgs/%d/users/%d/reset-link", w.org.ID, ned.ID), nil)
		wantStatus(t, "link for ned", r, http.StatusOK)
		if linkPattern.FindString(r.Body) == "" {
			t.Fatal("no link shown for someone the administrator looks after")
		}
	})
}

// Nobody but the person makes a link for someone who has a password, and a
// link made for someone shows on their own activity page.
func TestNoLinkForAnAccountWithAPassword(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		pat := w.users["person"]
		before := passwordOf(w, pat.ID)
		wantBody(t, "forgot with no mailer", w.client().get("/login/forgot"), "cannot send email")
		for _, who := range []string{"manager", "practitioner", "orgadmin"} {
			r := w.as(who).post(fmt.Sprintf("/services/%d/people/%d/link", w.svcA.ID, pat.ID), nil)
			wantStatus(t, who+" makes a link", r, http.StatusForbidden)
			noLinkShown(t, who+" makes a link", r)
		}
		if passwordOf(w, pat.ID) != before {
			t.Fatal("the person's password changed")
		}
		if strings.Contains(w.as("manager").get(fmt.Sprintf("/orgs/%d/users/%d", w.org.ID, w.users["practitioner"].ID)).Body, "Make a new sign-in link") {
			t.Fatal("a link is offered for someone with a password")
		}
		// A store link made by another account cannot set a password either.
		_, err := w.store.Links.IssueLink(alongside.WithOrigin(ctx, alongside.Origin{ActorID: w.users["orgadmin"].ID}), alongside.LinkReset, pat.ID)
		if alongside.ErrorCode(err) != alongside.EFORBIDDEN {
			t.Fatalf("reset link made by another account: %v", err)
		}

		// Alex has not set a password: the manager may make their link,
		// and Alex sees it on their own page.
		prac := w.as("practitioner")
		prac.post(fmt.Sprintf("/services/%d/invite", w.svcA.ID), url.Values{"name": {"Alex New"}, "email": {"alex@example.org"}})
		alex, err := w.store.Accounts.UserByEmail(ctx, "alex@example.org")
		must(t, err)
		r := w.as("manager").post(fmt.Sprintf("/services/%d/people/%d/link", w.svcA.ID, alex.ID), nil)
		wantStatus(t, "manager makes Alex's link", r, http.StatusOK)
		link := linkPattern.FindString(r.Body)
		anon := w.client()
		wantStatus(t, "set password", anon.post(link, url.Values{"password": {"a long enough password"}, "confirm": {"a long enough password"}}), http.StatusSeeOther)
		anon.signIn("alex@example.org", "a long enough password")
		activity := anon.get(fmt.Sprintf("/people/%d/plan/activity", alex.ID))
		wantBody(t, "Alex's activity", activity, "Made a sign-in link to set up the account", "Morag Manager", "Used a sign-in link to set the password")
		// Now Alex has a password, nobody else makes one.
		wantStatus(t, "link after the password is set", w.as("manager").post(fmt.Sprintf("/services/%d/people/%d/link", w.svcA.ID, alex.ID), nil), http.StatusForbidden)
	})
}

// Staff see the links made for their account on their account page.
func TestAccountPageShowsLinks(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ned := w.addUser("ned", "Ned New", true, alongside.Membership{Role: alongside.RolePractitioner, ServiceID: w.svcA.ID})
		r := w.as("orgadmin").post(fmt.Sprintf("/orgs/%d/users/%d/reset-link", w.org.ID, ned.ID), nil)
		anon := w.client()
		anon.post(linkPattern.FindString(r.Body), url.Values{"password": {"ned's long password"}, "confirm": {"ned's long password"}})
		anon.signIn("ned@example.org", "ned's long password")
		wantBody(t, "account page", anon.get("/account"), "Sign-in links for your account", "orgadmin@example.org",
			"Made a sign-in link to set up the account", "Used a sign-in link to set the password")
		wantBody(t, "account page of someone with none", w.as("manager").get("/account"), "No sign-in links have been made")
	})
}

// With a mailer, a link goes only to the account's own email and is never
// shown on screen; nor is the answer to a supporter invitation different
// for an email that has an account.
func TestLinksAreOnlyEmailedWhenMailIsSet(t *testing.T) {
	box := &outbox{}
	eachWorld(t, func(t *testing.T, w *world) {
		*box = outbox{}
		ned := w.addUser("ned", "Ned New", true, alongside.Membership{Role: alongside.RolePractitioner, ServiceID: w.svcA.ID})
		r := w.as("orgadmin").post(fmt.Sprintf("/orgs/%d/users/%d/reset-link", w.org.ID, ned.ID), nil)
		wantBody(t, "reset link", r, "We have emailed Ned New at ned@example.org")
		noLinkShown(t, "reset link", r)
		if len(box.to) != 1 || box.to[0] != "ned@example.org" || !strings.Contains(box.body[0], "https://alongside.example.org/links/") {
			t.Fatalf("email not sent as expected: %+v", box)
		}
		path := fmt.Sprintf("/people/%d/supporters", w.users["person"].ID)
		newOne := w.as("person").post(path, url.Values{"name": {"Kim"}, "email": {"kim@example.org"}, "relationship": {"friend"}})
		existing := w.as("person").post(path, url.Values{"name": {"Kim"}, "email": {"practitioner@example.org"}, "relationship": {"friend"}})
		for _, r := range []response{newOne, existing} {
			noLinkShown(t, "supporter invitation", r)
			wantBody(t, "supporter invitation", r, "We have emailed Kim at")
		}
		if len(box.to) != 3 || strings.Contains(box.body[2], "/links/") || !strings.Contains(box.body[2], "/login") {
			t.Fatalf("the existing account's email: %+v", box)
		}

		// The ordinary reset: to the account's own email, the same answer
		// for an email with no account, and not twice in a few minutes.
		anon := w.client()
		wantBody(t, "forgot form", anon.get("/login/forgot"), "Email me a link")
		known := anon.post("/login/forgot", url.Values{"email": {"Person@example.org"}})
		unknown := anon.post("/login/forgot", url.Values{"email": {"nobody@example.org"}})
		again := anon.post("/login/forgot", url.Values{"email": {"person@example.org"}})
		for _, r := range []response{known, unknown, again} {
			wantStatus(t, "forgot", r, http.StatusOK)
			wantBody(t, "forgot", r, "we have emailed it a link")
			noLinkShown(t, "forgot", r)
		}
		if len(box.to) != 4 || box.to[3] != "person@example.org" {
			t.Fatalf("reset emails: %+v", box.to)
		}
		link := linkPattern.FindString(box.body[3])
		wantStatus(t, "new password", anon.post(link, url.Values{"password": {"pat's new password"}, "confirm": {"pat's new password"}}), http.StatusSeeOther)
		wantStatus(t, "sign in with it", anon.signIn("person@example.org", "pat's new password"), http.StatusSeeOther)
	}, func(c *web.Config) { c.Mailer = box; c.BaseURL = "https://alongside.example.org/" })
}

// A person may invite only so many supporters a day.
func TestSupporterInvitationsAreLimited(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		path := fmt.Sprintf("/people/%d/supporters", w.users["person"].ID)
		person := w.as("person")
		for i := 1; i < alongside.SupporterInvitesPerWindow; i++ { // the world's own supporter was the first
			wantStatus(t, "invitation", person.post(path, url.Values{"name": {"Kim"}, "email": {fmt.Sprintf("kim%d@example.org", i)}, "relationship": {"friend"}}), http.StatusOK)
		}
		r := person.post(path, url.Values{"name": {"Kim"}, "email": {"one-too-many@example.org"}, "relationship": {"friend"}})
		wantStatus(t, "one too many", r, http.StatusTooManyRequests)
		noLinkShown(t, "one too many", r)
		if _, err := w.store.Accounts.UserByEmail(ctx, "one-too-many@example.org"); alongside.ErrorCode(err) != alongside.ENOTFOUND {
			t.Fatal("an account was made past the limit")
		}
		w.store.Clock.(*alongside.FixedClock).Advance(alongside.SupporterInviteWindow)
		wantStatus(t, "a day later", w.as("person").post(path, url.Values{"name": {"Kim"}, "email": {"next-day@example.org"}, "relationship": {"friend"}}), http.StatusOK)
	})
}

// twoSupportersViews gives the world's person a second supporter, Kim,
// shares hopes with both, and has each add a view there. It returns the
// person's supporter links.
func twoSupportersViews(t *testing.T, w *world) []alongside.SupporterLink {
	pat := w.users["person"]
	token, err := w.store.Links.InviteSupporter(ctx, pat.ID, "Kim Friend", "kim@example.org", alongside.SupporterFriend)
	must(t, err)
	_, err = w.store.Links.UseLink(ctx, token, pat.PasswordHash)
	must(t, err)
	kim, err := w.store.Accounts.UserByEmail(ctx, "kim@example.org")
	must(t, err)
	w.users["kim"] = kim
	links, err := w.store.Links.Supporters(ctx, pat.ID)
	must(t, err)
	sharing := alongside.PlanSharing{}
	for _, l := range links {
		sharing[l.ID] = map[string]bool{"hopes": true}
	}
	must(t, w.store.Plans.SetPlanSharing(ctx, pat.ID, sharing, w.svcA.ID))
	must(t, w.store.Plans.AddSupporterView(ctx, &alongside.SupporterView{PersonID: pat.ID, Section: "hopes", SupporterID: w.users["supporter"].ID, Text: "Jo hopes for the sea"}, w.svcA.ID))
	must(t, w.store.Plans.AddSupporterView(ctx, &alongside.SupporterView{PersonID: pat.ID, Section: "hopes", SupporterID: kim.ID, Text: "Kim hopes for the hills"}, w.svcA.ID))
	return links
}

func planPaths(w *world) []string {
	pat := w.users["person"]
	return []string{fmt.Sprintf("/people/%d/plan", pat.ID), fmt.Sprintf("/people/%d/plan/sections/hopes", pat.ID)}
}

// A supporter sees their own views on a section the person shares, never
// another supporter's name or words; the person sees them all.
func TestSupportersDoNotSeeEachOther(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		twoSupportersViews(t, w)
		for _, path := range planPaths(w) {
			page := w.as("kim").get(path)
			wantBody(t, "Kim's view of "+path, page, "Kim hopes for the hills")
			if strings.Contains(page.Body, "Jo hopes for the sea") || strings.Contains(page.Body, "Jo Supporter") {
				t.Fatalf("%s: a supporter sees another supporter's view", path)
			}
			wantBody(t, "the person's view of "+path, w.as("person").get(path), "Kim hopes for the hills", "Jo hopes for the sea", "Jo Supporter")
		}
	})
}

// The person may let their supporters see each other's names and views, on
// the sections each may see; the choice is off until they make it, audited,
// and can be taken back.
func TestPersonMayLetSupportersSeeEachOther(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		links := twoSupportersViews(t, w)
		pat := w.as("person")
		sharing := fmt.Sprintf("/people/%d/plan/sharing", w.users["person"].ID)
		form := url.Values{}
		for _, l := range links {
			form.Set(fmt.Sprintf("g-%d-hopes", l.ID), "see")
		}
		page := pat.get(sharing)
		wantBody(t, "sharing page", page, "Let my supporters see each other’s names and views")
		if strings.Contains(page.Body, `value="yes" checked`) {
			t.Fatal("supporters see each other before the person chooses it")
		}
		form.Set("see-each-other", "yes")
		wantStatus(t, "let them", pat.post(sharing, form), http.StatusSeeOther)
		wantBody(t, "sharing page after", pat.get(sharing), `value="yes" checked`)
		for _, path := range planPaths(w) {
			wantBody(t, "Kim's view of "+path, w.as("kim").get(path), "Kim hopes for the hills", "Jo hopes for the sea", "Jo Supporter")
		}
		wantBody(t, "who has looked", pat.get(fmt.Sprintf("/people/%d/plan/activity", w.users["person"].ID)),
			"Let your supporters see each other’s names and views")

		form.Del("see-each-other")
		wantStatus(t, "take it back", pat.post(sharing, form), http.StatusSeeOther)
		for _, path := range planPaths(w) {
			if page := w.as("kim").get(path); strings.Contains(page.Body, "Jo hopes for the sea") || !strings.Contains(page.Body, "Kim hopes for the hills") {
				t.Fatalf("%s: after the person took it back, Kim sees Jo's view or not her own", path)
			}
		}
	})
}
