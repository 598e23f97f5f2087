package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
)

// A practitioner of the service who is not allocated opens the crisis plan
// in an emergency, with a reason: they see the crisis plan and nothing else,
// and the person and the manager see that they did.
func TestBreakGlassOpensOnlyTheCrisisPlan(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			person, other := w.as("person"), w.as("supervisor") // a practitioner of service A, not allocated
			plan := fmt.Sprintf("/people/%d/plan", w.users["person"].ID)
			wantStatus(t, "person writes crisis plan", person.post(plan+"/sections/crisis", url.Values{"version": {"0"}, "helps": {"Quiet room, my sister Ann"}}), http.StatusSeeOther)
			wantStatus(t, "before", other.get(plan+"/sections/crisis"), http.StatusForbidden)

			emergency := fmt.Sprintf("/services/%d/emergency", w.svcA.ID)
			r := other.post(emergency, url.Values{"person": {fmt.Sprint(w.users["person"].ID)}, "reason": {"  "}})
			wantStatus(t, "no reason", r, http.StatusUnprocessableEntity)
			wantBody(t, "no reason", r, "Say why you need to open the crisis plan now")
			// Someone from another service cannot be chosen.
			r = other.post(emergency, url.Values{"person": {fmt.Sprint(w.users["otherPerson"].ID)}, "reason": {"x"}})
			wantStatus(t, "other service's person", r, http.StatusUnprocessableEntity)

			r = other.post(emergency, url.Values{"person": {fmt.Sprint(w.users["person"].ID)}, "reason": {"Night staff called: very distressed"}})
			wantStatus(t, "break glass", r, http.StatusSeeOther)
			wantBody(t, "crisis plan", other.get(plan+"/sections/crisis"), "Quiet room, my sister Ann")
			wantStatus(t, "other sections", other.get(plan+"/sections/strengths"), http.StatusForbidden)
			wantStatus(t, "whole plan", other.get(plan), http.StatusForbidden)
			wantStatus(t, "writing", other.post(plan+"/sections/crisis", url.Values{"version": {"1"}, "helps": {"x"}}), http.StatusForbidden)

			wantBody(t, "person sees it", person.get(plan+"/activity"), "Opened your crisis plan in an emergency, saying: Night staff called: very distressed")
			wantBody(t, "manager sees it", w.as("manager").get(fmt.Sprintf("/services/%d", w.svcA.ID)), "Crisis plans opened in an emergency", "Night staff called: very distressed")

			// After 12 hours the opening has lapsed (signed in afresh, as the
			// session has lapsed too).
			w.store.Clock.(*alongside.FixedClock).Advance(alongside.BreakGlassFor + time.Minute)
			wantStatus(t, "after it lapses", w.as("supervisor").get(plan+"/sections/crisis"), http.StatusForbidden)
		})
	}
}

// The practitioner's list says whose plan changed since they last looked
// and which goals are due a look together.
func TestPeopleIWorkAlongside(t *testing.T) {
	w := newWorld(t, "sqlite")
	person, prac := w.as("person"), w.as("practitioner")
	plan := fmt.Sprintf("/people/%d/plan", w.users["person"].ID)
	wantBody(t, "nothing written", prac.get("/alongside"), "Pat", "No changes since you last looked")

	today := w.store.Clock.Now().Format("2006-01-02")
	later := w.store.Clock.Now().AddDate(0, 2, 0).Format("2006-01-02")
	wantStatus(t, "goal due", person.post(plan+"/sections/goal-1", url.Values{"version": {"0"}, "title": {"Cook for friends"}, "status": {"working"}, "review": {today}}), http.StatusSeeOther)
	wantStatus(t, "goal later", person.post(plan+"/sections/goal-2", url.Values{"version": {"0"}, "title": {"Learn to drive"}, "status": {"working"}, "review": {later}}), http.StatusSeeOther)
	page := prac.get("/alongside")
	wantBody(t, "changed and due", page, "You have not looked at this plan yet", "Cook for friends")
	if strings.Contains(page.Body, "Learn to drive") {
		t.Fatal("a goal due in two months is listed as due")
	}
	prac.get(plan)
	wantBody(t, "after looking", prac.get("/alongside"), "No changes since you last looked")
	wantStatus(t, "person changes it", person.post(plan+"/sections/strengths", url.Values{"version": {"0"}, "strengths": {"Stubborn, in a good way"}}), http.StatusSeeOther)
	wantBody(t, "changed since", prac.get("/alongside"), "1 change since you last looked")
}
