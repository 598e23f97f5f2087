package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
)

// Staff writing is counted per service and month, and shown per 1,000
// words only when at least five wrote; a person's own writing is not
// counted. The manager attaches it to a review under "practice is
// recovery focused".
func TestWritingTotalsForTheReview(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			totals := fmt.Sprintf("/services/%d/language", w.svcA.ID)
			write := func(who, text string) {
				t.Helper()
				r := w.as(who).post(fmt.Sprintf("/practitioners/%d/reflect", w.users[who].ID), reflection(text))
				if r.Status != http.StatusOK && r.Status != http.StatusSeeOther {
					t.Fatalf("%s could not write: %d %s", who, r.Status, snippet(r.Body))
				}
			}
			// The person's own plan writing is not counted, whatever it says.
			w.as("person").post(fmt.Sprintf("/people/%d/plan/sections/strengths", w.users["person"].ID), url.Values{"strengths": {"I suffer from nothing much."}, "version": {"0"}})

			write("practitioner", "Non-compliant with support, but we found a way.")
			write("supervisor", "A good session.")
			page := w.as("manager").get(totals)
			wantBody(t, "hidden under five writers", page, "Not shown: fewer than 5 members of staff wrote this month")
			if strings.Contains(page.Body, "<svg") {
				t.Fatal("a chart was drawn for fewer than five writers")
			}
			for i := 0; i < 3; i++ {
				key := fmt.Sprintf("extra%d", i)
				u := &alongside.User{Name: "Extra " + key, Email: key + "@example.org", PasswordHash: w.users["practitioner"].PasswordHash}
				must(t, w.store.Accounts.CreateUser(ctx, u, alongside.Membership{Role: alongside.RolePractitioner, ServiceID: w.svcA.ID}))
				w.users[key] = u
			}
			write("extra0", "Sam refused his medication today.")
			write("extra1", "We walked to the shop.")
			write("extra2", "Planning a trip.")
			page = w.as("manager").get(totals)
			// 9 + 3 + 5 + 5 + 3 = 25 words, 2 suggestions: 80.0 per 1,000.
			wantBody(t, "shown with five writers", page, "<svg", "<td class=\"num\">25</td>", "<td class=\"num\">2</td>", "80.0")

			r := w.as("manager").post(totals+"/attach", url.Values{"review": {fmt.Sprint(w.review.ID)}})
			wantStatus(t, "attached", r, http.StatusSeeOther)
			wantBody(t, "under practice is recovery focused", w.as("manager").get(fmt.Sprintf("/reviews/%d/results", w.review.ID)), "Language in staff writing", "80.0")
		})
	}
}
