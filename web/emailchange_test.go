package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside/web"
)

// sameAnswer fails unless two answers differ only in the address asked
// for and the link made for it.
func sameAnswer(t *testing.T, what string, a, b response, addrA, addrB string) {
	t.Helper()
	norm := func(r response, addr string) string {
		s := strings.ReplaceAll(r.Body, addr, "ADDRESS")
		s = strings.ReplaceAll(s, url.QueryEscape(addr), "ADDRESS")
		s = versionPattern.ReplaceAllString(s, "")
		return linkPattern.ReplaceAllString(s, "/links/TOKEN")
	}
	if a.Status != b.Status || norm(a, addrA) != norm(b, addrB) {
		t.Fatalf("%s: the answer for a taken address differs from a free one's (%d, %d)\n%s\n----\n%s", what, a.Status, b.Status, snippet(a.Body), snippet(b.Body))
	}
}

func emailOf(t *testing.T, w *world, key string) string {
	t.Helper()
	u, err := w.store.Accounts.User(ctx, w.users[key].ID)
	must(t, err)
	return u.Email
}

// A change of one's own email answers alike whether another account (here
// in another organisation) has the address, and takes effect only when the
// link is opened; an address taken by then changes nothing.
func TestOwnEmailChangeWaitsForTheLink(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		taken := w.users["otherOrgAdmin"].Email
		c := w.as("practitioner")
		ask := func(addr string) response {
			return c.post("/account/email", url.Values{"email": {addr}, "current": {testPassword}})
		}
		free, held := ask("priya.new@example.org"), ask(taken)
		// The list of links below grows with each; the answer is above it.
		free.Body, _, _ = strings.Cut(free.Body, `id="links-h"`)
		held.Body, _, _ = strings.Cut(held.Body, `id="links-h"`)
		wantStatus(t, "free address", free, http.StatusOK)
		wantBody(t, "free address", free, "Open this link to change your email address to priya.new@example.org")
		sameAnswer(t, "own email", free, held, "priya.new@example.org", taken)
		if got := emailOf(t, w, "practitioner"); got != "practitioner@example.org" {
			t.Fatalf("the email changed before the link was opened: %s", got)
		}

		// The taken address's link, opened, changes nothing.
		anon := w.client()
		link := linkPattern.FindString(held.Body)
		r := anon.post(link, url.Values{})
		wantStatus(t, "taken at confirmation", r, http.StatusSeeOther)
		wantBody(t, "taken at confirmation", anon.get(r.Location), "already uses "+taken, "nothing has changed")
		if got := emailOf(t, w, "practitioner"); got != "practitioner@example.org" {
			t.Fatalf("a taken address was confirmed: %s", got)
		}

		// A newer link; the address is taken between asking and opening.
		r = ask("priya.new@example.org")
		link = linkPattern.FindString(r.Body)
		wantBody(t, "confirm page", anon.get(link), "changes to priya.new@example.org")
		w.addUser("priya.new", "Someone Else", false)
		wantStatus(t, "taken meanwhile", anon.post(link, url.Values{}), http.StatusSeeOther)
		if got := emailOf(t, w, "practitioner"); got != "practitioner@example.org" {
			t.Fatalf("an address taken meanwhile was confirmed: %s", got)
		}
		wantStatus(t, "used twice", anon.post(link, url.Values{}), http.StatusGone)

		// A free address: the change is made when the link is opened, once.
		r = ask("priya.other@example.org")
		link = linkPattern.FindString(r.Body)
		wantStatus(t, "confirm", anon.post(link, url.Values{}), http.StatusSeeOther)
		if got := emailOf(t, w, "practitioner"); got != "priya.other@example.org" {
			t.Fatalf("email is %s after the link was opened", got)
		}
		wantStatus(t, "sign in with it", w.client().signIn("priya.other@example.org", testPassword), http.StatusSeeOther)
		wantBody(t, "account page links", w.as("practitioner").get("/account"), "Made a link to change the email address", "Used a link to change the email address")

		// With no mailer, an administrator changes the email of an account
		// with a role in their organisation at once, as before.
		u, err := w.store.Accounts.User(ctx, w.users["person"].ID)
		must(t, err)
		wantStatus(t, "administrator, no mailer", w.as("orgadmin").post(fmt.Sprintf("/orgs/%d/users/%d", w.org.ID, u.ID),
			url.Values{"name": {u.Name}, "email": {"pat.new@example.org"}, "version": {fmt.Sprint(u.Version)}}), http.StatusSeeOther)
		if got := emailOf(t, w, "person"); got != "pat.new@example.org" {
			t.Fatalf("the administrator's change was not made: %s", got)
		}
	})
}

var (
	flashPattern   = regexp.MustCompile(`(?s)<main.*</main>`)
	versionPattern = regexp.MustCompile(`name="version" value="\d+"`)
)

// An administrator's change of a user's email is sent to the new address
// and answered alike whether it is taken; other details save as before.
func TestAdministratorEmailChangeWaitsForTheLink(t *testing.T) {
	box := &outbox{}
	eachWorld(t, func(t *testing.T, w *world) {
		*box = outbox{}
		admin := w.as("orgadmin")
		path := fmt.Sprintf("/orgs/%d/users/%d", w.org.ID, w.users["practitioner"].ID)
		edit := func(name, addr string) response {
			v := fmt.Sprint(w.users["practitioner"].Version)
			if u, err := w.store.Accounts.User(ctx, w.users["practitioner"].ID); err == nil {
				v = fmt.Sprint(u.Version)
			}
			r := admin.post(path, url.Values{"name": {name}, "email": {addr}, "version": {v}})
			wantStatus(t, "edit to "+addr, r, http.StatusSeeOther)
			page := admin.get(r.Location)
			page.Body = flashPattern.FindString(page.Body)
			return page
		}
		taken := w.users["otherOrgAdmin"].Email
		free, held := edit("Priya Practitioner", "priya.new@example.org"), edit("Priya Practitioner", taken)
		wantBody(t, "free address", free, "We have sent a link to priya.new@example.org. The email changes when it is opened.")
		sameAnswer(t, "administrator's edit", free, held, "priya.new@example.org", taken)
		if len(box.to) != 2 || box.to[0] != "priya.new@example.org" || box.to[1] != taken {
			t.Fatalf("links not sent to the new addresses: %v", box.to)
		}
		if got := emailOf(t, w, "practitioner"); got != "practitioner@example.org" {
			t.Fatalf("the email changed before the link was opened: %s", got)
		}
		anon := w.client()
		wantStatus(t, "taken", anon.post(linkPattern.FindString(box.body[1]), url.Values{}), http.StatusSeeOther)
		if got := emailOf(t, w, "practitioner"); got != "practitioner@example.org" {
			t.Fatalf("a taken address was confirmed: %s", got)
		}

		// The name alone saves at once, as before.
		wantBody(t, "name only", edit("Priya P. Practitioner", "practitioner@example.org"), "Details saved.")
		if u, _ := w.store.Accounts.User(ctx, w.users["practitioner"].ID); u.Name != "Priya P. Practitioner" {
			t.Fatalf("name not saved: %q", u.Name)
		}
	}, func(c *web.Config) { c.Mailer = box; c.BaseURL = "https://alongside.example.org/" })
}
