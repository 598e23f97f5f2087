package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/web"
)

var roleAnswerPattern = regexp.MustCompile(`/role-requests/\d+/(accept|decline)`)

// rolesOf lists an account's roles as "role org service" strings.
func rolesOf(w *world, id int64) string {
	ms, err := w.store.Accounts.MembershipsOf(ctx, id)
	must(w.t, err)
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%s %d %d", m.Role, m.OrgID, m.ServiceID))
	}
	return strings.Join(out, ", ")
}

// audited reports whether an action was audited about the account.
func audited(w *world, action string, id int64) bool {
	evs, _, err := w.store.Audit.AuditEvents(ctx, alongside.AuditFilter{Action: action, TargetID: id, Limit: 10})
	must(w.t, err)
	return len(evs) > 0
}

// An organisation administrator who adds staff with the email of an account
// in another organisation learns nothing: the page is the one a new email
// gets. The account is unchanged until its holder, signed in as themselves,
// accepts; declining leaves nothing.
func TestAddingSomeoneFromElsewhereRevealsNothing(t *testing.T) {
	box := &outbox{}
	eachWorld(t, func(t *testing.T, w *world) {
		*box = outbox{}
		eve := w.users["otherOrgAdmin"]
		path := fmt.Sprintf("/orgs/%d/users", w.org.ID)
		add := func(email string) response {
			return w.as("orgadmin").post(path, url.Values{"name": {"Nia"}, "email": {email}, "role": {"practitioner"}, "service": {fmt.Sprint(w.svcA.ID)}})
		}
		password, roles := passwordOf(w, eve.ID), rolesOf(w, eve.ID)
		fresh, existing := add("nia@example.org"), add(eve.Email)
		wantStatus(t, "a new email", fresh, http.StatusOK)
		wantStatus(t, "an account elsewhere", existing, http.StatusOK)
		if a, b := fresh.Body, strings.ReplaceAll(existing.Body, eve.Email, "nia@example.org"); a != b {
			t.Fatalf("the answers differ:\n%s\n----\n%s", snippet(a), snippet(b))
		}
		wantBody(t, "an account elsewhere", existing, "We have emailed Nia at "+eve.Email)
		noLinkShown(t, "an account elsewhere", existing)
		if len(box.to) != 2 || box.to[1] != eve.Email || strings.Contains(box.body[1], "/links/") {
			t.Fatalf("emails: %+v", box)
		}
		// Inside the organisation the plain answer stays.
		wantStatus(t, "someone already here", add(w.users["otherPractitioner"].Email), http.StatusUnprocessableEntity)
		wantBody(t, "asked twice", add(eve.Email), "An account with this email address already exists")

		if passwordOf(w, eve.ID) != password || rolesOf(w, eve.ID) != roles {
			t.Fatal("the account changed before its holder answered")
		}
		if !audited(w, "role.request", eve.ID) {
			t.Fatal("the request was not audited")
		}
		home := w.as("otherOrgAdmin").get("/home")
		wantBody(t, "the holder's home", home, "Lochside Network", "has invited you to join Birchwood in the role “Practitioner”")
		accept := roleAnswerPattern.FindString(home.Body)
		if accept == "" || !strings.HasSuffix(accept, "/accept") {
			t.Fatalf("no way to accept on the holder's home page\n%s", snippet(home.Body))
		}
		if r := w.as("orgadmin").post(accept, nil); !denied(r) {
			t.Fatalf("the administrator who asked answered for the holder: %d", r.Status)
		}
		wantStatus(t, "accept", w.as("otherOrgAdmin").post(accept, nil), http.StatusSeeOther)
		if !strings.Contains(rolesOf(w, eve.ID), fmt.Sprintf("practitioner %d %d", w.org.ID, w.svcA.ID)) || passwordOf(w, eve.ID) != password {
			t.Fatalf("after accepting: roles %s", rolesOf(w, eve.ID))
		}
		if !audited(w, "role.accept", eve.ID) {
			t.Fatal("the answer was not audited")
		}
		wantStatus(t, "accept twice", w.as("otherOrgAdmin").post(accept, nil), http.StatusNotFound)

		// Declining leaves nothing, and the holder's home says no more of it.
		away := w.addUser("away", "Alex Away", false, alongside.Membership{Role: alongside.RoleNetworkLead, OrgID: w.otherOrg.ID})
		wantStatus(t, "lead", w.as("orgadmin").post(path, url.Values{"name": {"Alex"}, "email": {away.Email}, "role": {"network_lead"}}), http.StatusOK)
		roles = rolesOf(w, away.ID)
		home = w.as("away").get("/home")
		decline := roleAnswerPattern.FindAllString(home.Body, -1)
		if len(decline) != 2 {
			t.Fatalf("answers on the home page: %v", decline)
		}
		wantStatus(t, "decline", w.as("away").post(decline[1], nil), http.StatusSeeOther)
		if rolesOf(w, away.ID) != roles || !audited(w, "role.decline", away.ID) {
			t.Fatalf("after declining: roles %s", rolesOf(w, away.ID))
		}
		if reqs, err := w.store.Accounts.RoleRequests(ctx, away.ID); err != nil || len(reqs) != 0 {
			t.Fatalf("requests left after declining: %v %v", reqs, err)
		}
		if strings.Contains(w.as("away").get("/home").Body, "has invited you to join") {
			t.Fatal("a declined invitation is still on the home page")
		}
	}, func(c *web.Config) { c.Mailer = box; c.BaseURL = "https://alongside.example.org/" })
}

// A practitioner inviting a person whose email has an account elsewhere
// gets the same neutral words as for a new email, and no link; the holder
// accepting joins the service and is allocated to the practitioner.
func TestInvitingAPersonFromElsewhereRevealsNothing(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		away := w.addUser("away", "Alex Away", false, alongside.Membership{Role: alongside.RoleNetworkLead, OrgID: w.otherOrg.ID})
		path := fmt.Sprintf("/services/%d/invite", w.svcA.ID)
		invite := func(email string) response {
			return w.as("practitioner").post(path, url.Values{"name": {"Alex"}, "email": {email}})
		}
		password, roles := passwordOf(w, away.ID), rolesOf(w, away.ID)
		fresh, existing := invite("alex@example.org"), invite(away.Email)
		neutral := "If Alex already uses Alongside, they will see your invitation when they next sign in"
		for _, r := range []response{fresh, existing} {
			wantStatus(t, "invite", r, http.StatusOK)
			wantBody(t, "invite", r, "Invitation for Alex", neutral)
		}
		if linkPattern.FindString(fresh.Body) == "" {
			t.Fatal("a new account's link is not shown with no mailer")
		}
		noLinkShown(t, "an account elsewhere", existing)
		wantBody(t, "someone already here", invite(w.users["otherPerson"].Email), "An account with this email address already exists")
		if passwordOf(w, away.ID) != password || rolesOf(w, away.ID) != roles {
			t.Fatal("the account changed before its holder answered")
		}
		home := w.as("away").get("/home")
		wantBody(t, "the holder's home", home, "in the role “Person using the service”")
		wantStatus(t, "accept", w.as("away").post(roleAnswerPattern.FindString(home.Body), nil), http.StatusSeeOther)
		a, err := w.store.Sessions.Actor(ctx, w.users["practitioner"].ID)
		must(t, err)
		if !a.AllocatedPeople[away.ID] || !strings.Contains(rolesOf(w, away.ID), fmt.Sprintf("person %d %d", w.org.ID, w.svcA.ID)) {
			t.Fatalf("after accepting: roles %s, allocated %v", rolesOf(w, away.ID), a.AllocatedPeople[away.ID])
		}
	})
}
