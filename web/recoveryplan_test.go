package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside/internal/testdb"
)

// The person writes their plan; their practitioner writes at the same time
// and sees both texts; the statutory needs are the practitioner's to write;
// the person sees who has looked.
func TestRecoveryPlanIsWrittenTogether(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			person, prac := w.as("person"), w.as("practitioner")
			plan := fmt.Sprintf("/people/%d/plan", w.users["person"].ID)
			strengths := plan + "/sections/strengths"

			wantBody(t, "empty plan", person.get(plan), "My recovery plan", "My crisis plan", "Nothing written yet")
			form := person.get(strengths)
			wantBody(t, "form", form, `name="version" value="0"`, "My strengths")

			// Both start from nothing; the person saves first.
			r := person.post(strengths, url.Values{"version": {"0"}, "strengths": {"I cook for my neighbours"}})
			wantStatus(t, "person saves", r, http.StatusSeeOther)
			r = prac.post(strengths, url.Values{"version": {"0"}, "strengths": {"Kind, and a good listener"}})
			wantStatus(t, "stale save", r, http.StatusConflict)
			wantBody(t, "both texts", r, "saved this section while you were writing", "I cook for my neighbours", "Kind, and a good listener", `name="version" value="1"`)

			// Merged and saved from the version now shown.
			r = prac.post(strengths, url.Values{"version": {"1"}, "strengths": {"I cook for my neighbours\nKind, and a good listener"}})
			wantStatus(t, "merged save", r, http.StatusSeeOther)
			page := person.get(plan)
			wantBody(t, "plan", page, "Kind, and a good listener", "Last changed by Priya")
			hist := person.get(strengths + "/history")
			wantBody(t, "history", hist, "Version 1 to version 2", "Added: </span>Kind, and a good listener", "Every version")

			// The statutory needs: the practitioner writes them, the person reads them.
			statutory := plan + "/sections/statutory-needs"
			wantStatus(t, "person writes statutory needs", person.post(statutory, url.Values{"version": {"0"}, "needs": {"none"}}), http.StatusForbidden)
			wantStatus(t, "practitioner writes statutory needs", prac.post(statutory, url.Values{"version": {"0"}, "needs": {"Aftercare under section 25"}}), http.StatusSeeOther)
			view := person.get(statutory)
			wantBody(t, "person reads statutory needs", view, "Aftercare under section 25", "Written by the service")
			if strings.Contains(view.Body, `<textarea`) {
				t.Fatal("the person is offered a form for the statutory needs")
			}

			// Too long: kept, with a message, nothing saved.
			long := strings.Repeat("x", 10001)
			r = person.post(strengths, url.Values{"version": {"2"}, "strengths": {long}})
			wantStatus(t, "too long", r, http.StatusUnprocessableEntity)
			wantBody(t, "too long kept", r, "10000 characters or fewer", long[:200])

			// Sign-off, then who has looked.
			wantStatus(t, "sign off", person.post(plan+"/sign-off", url.Values{"version": {"3"}}), http.StatusSeeOther)
			wantBody(t, "signed", person.get(plan), "signed off version 3")
			act := person.get(plan + "/activity")
			wantBody(t, "activity", act, "Priya Practitioner", "Changed “My strengths”", "Looked at your plan", "Signed off the plan")
		})
	}
}
