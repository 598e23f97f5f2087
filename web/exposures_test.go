package web_test

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/web"
)

// To someone with no relationship to a record (staff of another service,
// an administrator of another organisation), a record they may not see
// answers exactly as one that does not exist: the same status and the same
// page, so that trying ids tells them nothing. An anonymous visitor is
// asked to sign in either way. Where the actor knows the record exists, a
// refusal stays a 403.
func TestNoRelationshipAnswersAsNotFound(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			const missing = 987654
			person, prac := w.users["person"].ID, w.users["practitioner"].ID
			// Each path with the id of a record that exists, and with %d
			// for one that does not.
			paths := []struct{ real, none string }{
				{fmt.Sprintf("/people/%d", person), "/people/%d"},
				{fmt.Sprintf("/people/%d/plan", person), "/people/%d/plan"},
				{fmt.Sprintf("/people/%d/plan/sections/crisis", person), "/people/%d/plan/sections/crisis"},
				{fmt.Sprintf("/people/%d/my-data.json", person), "/people/%d/my-data.json"},
				{fmt.Sprintf("/reviews/%d", w.review.ID), "/reviews/%d"},
				{fmt.Sprintf("/reviews/%d/plan.csv", w.review.ID), "/reviews/%d/plan.csv"},
				{fmt.Sprintf("/surveys/%d/results", w.survey.ID), "/surveys/%d/results"},
				{fmt.Sprintf("/surveys/%d/responses.xlsx", w.survey.ID), "/surveys/%d/responses.xlsx"},
				{fmt.Sprintf("/services/%d", w.svcA.ID), "/services/%d"},
				{fmt.Sprintf("/services/%d/development.csv", w.svcA.ID), "/services/%d/development.csv"},
				{fmt.Sprintf("/practitioners/%d/development-plan", prac), "/practitioners/%d/development-plan"},
			}
			for _, actor := range []string{"otherPractitioner", "otherManager"} {
				c := w.as(actor)
				for _, p := range paths {
					real, none := c.get(p.real), c.get(fmt.Sprintf(p.none, missing))
					if real.Status != http.StatusNotFound || real.Status != none.Status || real.Body != none.Body {
						t.Errorf("%s: %s answers %d, a record that does not exist %d; the pages differ: %v",
							actor, p.real, real.Status, none.Status, real.Body != none.Body)
					}
				}
			}
			// Another organisation's administrator, on the organisation's own pages.
			eve := w.as("otherOrgAdmin")
			for _, p := range []string{"/orgs/%d", "/orgs/%d/users", "/orgs/%d/network.csv"} {
				real, none := eve.get(fmt.Sprintf(p, w.org.ID)), eve.get(fmt.Sprintf(p, missing))
				if real.Status != http.StatusNotFound || real.Status != none.Status || real.Body != none.Body {
					t.Errorf("another organisation: %s answers %d, one that does not exist %d", p, real.Status, none.Status)
				}
			}
			// Anonymous: asked to sign in, whether the record exists or not.
			anon := w.as("anon")
			for _, p := range paths {
				real, none := anon.get(p.real), anon.get(fmt.Sprintf(p.none, missing))
				if real.Status != http.StatusSeeOther || none.Status != http.StatusSeeOther ||
					!strings.HasPrefix(real.Location, "/login?next=") || !strings.HasPrefix(none.Location, "/login?next=") {
					t.Errorf("anonymous: %s answers %d %q, one that does not exist %d %q", p.real, real.Status, real.Location, none.Status, none.Location)
				}
			}

			// Those who know the record exists are still told they may not see it.
			sections := fmt.Sprintf("/people/%d/plan/sections/", person)
			wantStatus(t, "a supporter, a section not shared", w.as("supporter").get(sections+"crisis"), http.StatusForbidden)
			wantStatus(t, "the person's own service's manager", w.as("manager").get(fmt.Sprintf("/people/%d", person)), http.StatusForbidden)
			wantStatus(t, "the network lead", w.as("lead").get(fmt.Sprintf("/people/%d/plan", person)), http.StatusForbidden)
			wantStatus(t, "a colleague in the same service", w.as("supervisor").get(fmt.Sprintf("/people/%d", person)), http.StatusForbidden)
		})
	}
}

// A return path ("next") keeps the user on this site however it is
// disguised: control characters that browsers drop, backslashes they read
// as slashes, and percent-encoded forms of both.
func TestReturnPathsStayOnThisSite(t *testing.T) {
	w := newWorld(t, "sqlite")
	prac := w.as("practitioner")
	cases := []struct{ next, want string }{
		{"/people/3/plan?tab=hopes", "/people/3/plan?tab=hopes"},
		{"/\t/evil.example/", "/home"},
		{"/\n/evil.example/", "/home"},
		{"/\r\n/evil.example", "/home"},
		{"\t//evil.example", "/home"},
		{"/\x00/evil.example", ""}, // a zero byte: the form is refused before anything reads it
		{"/\u200b/evil.example", "/home"},
		{"//evil.example", "/home"},
		{"/\\evil.example", "/home"},
		{"\\\\evil.example", "/home"},
		{"/a\\..\\\\evil.example", "/home"},
		{"/%09/evil.example", "/home"},
		{"/%0a/evil.example", "/home"},
		{"/%2f/evil.example", "/home"},
		{"/%5cevil.example", "/home"},
		{"%2f%2fevil.example", "/home"},
		{"https://evil.example/", "/home"},
		{"javascript:alert(1)", "/home"},
		{"", "/home"},
	}
	for _, tc := range cases {
		r := prac.post("/language/dismiss", url.Values{"entry": {"suffers-from"}, "next": {tc.next}})
		if tc.want == "" {
			if r.Status != http.StatusBadRequest || r.Location != "" {
				t.Errorf("next %q: %d to %q, want 400 and no redirect", tc.next, r.Status, r.Location)
			}
			continue
		}
		if r.Status != http.StatusSeeOther || r.Location != tc.want {
			t.Errorf("next %q: %d to %q, want %q", tc.next, r.Status, r.Location, tc.want)
		}
	}
	// The same on signing in.
	r := w.client().post("/login", url.Values{"email": {"person@example.org"}, "password": {testPassword}, "next": {"/\t/evil.example/"}})
	if r.Status != http.StatusSeeOther || r.Location != "/home" {
		t.Fatalf("signing in with a disguised next went to %q (%d)", r.Location, r.Status)
	}
}

// /static/ serves files, never a list of them.
func TestStaticListsNothing(t *testing.T) {
	w := newWorld(t, "sqlite")
	c := w.client()
	for _, p := range []string{"/static/", "/static", "/static/./", "/static//"} {
		r := c.get(p)
		if r.Status == http.StatusOK || strings.Contains(r.Body, "style.css") {
			t.Errorf("%s: %d, lists %v", p, r.Status, strings.Contains(r.Body, "style.css"))
		}
	}
	wantStatus(t, "a file", c.get("/static/style.css"), http.StatusOK)
}

// /metrics answers the machine itself unless ranges are set; a request
// passed on by a proxy is someone else's.
func TestMetricsFromLoopbackOnlyByDefault(t *testing.T) {
	get := func(w *world, forwardedFor string) int {
		req, _ := http.NewRequest(http.MethodGet, w.ts.URL+"/metrics", nil)
		if forwardedFor != "" {
			req.Header.Set("X-Forwarded-For", forwardedFor)
		}
		res, err := http.DefaultClient.Do(req)
		must(t, err)
		res.Body.Close()
		return res.StatusCode
	}
	w := newWorld(t, "sqlite")
	if got := get(w, ""); got != http.StatusOK {
		t.Errorf("from loopback: %d", got)
	}
	if got := get(w, "203.0.113.9"); got != http.StatusForbidden {
		t.Errorf("through a proxy on this machine: %d, want 403", got)
	}
	behind := newWorld(t, "sqlite", func(c *web.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")} })
	if got := get(behind, "203.0.113.9"); got != http.StatusForbidden {
		t.Errorf("from the internet through a trusted proxy: %d, want 403", got)
	}
	open := newWorld(t, "sqlite", func(c *web.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
		c.MetricsAllow = []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")}
	})
	if got := get(open, "203.0.113.9"); got != http.StatusOK {
		t.Errorf("from a range allowed: %d, want 200", got)
	}
}
