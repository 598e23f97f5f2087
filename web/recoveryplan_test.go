package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside"
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

// A supporter sees only the sections the person shares, adds their view
// where allowed, and loses access on their next request once the person
// takes it away.
func TestSupportersSeeOnlyWhatIsShared(t *testing.T) {
	w := newWorld(t, "sqlite")
	person, sup := w.as("person"), w.as("supporter")
	plan := fmt.Sprintf("/people/%d/plan", w.users["person"].ID)
	wantStatus(t, "person writes hopes", person.post(plan+"/sections/hopes", url.Values{"version": {"0"}, "hopes": {"To swim in the sea again"}}), http.StatusSeeOther)
	wantStatus(t, "person writes strengths", person.post(plan+"/sections/strengths", url.Values{"version": {"0"}, "strengths": {"Patient with my nephew"}}), http.StatusSeeOther)

	// The world shares "hopes" with the supporter, with their own view.
	page := sup.get(plan)
	wantBody(t, "supporter's plan", page, "To swim in the sea again", "Add your view")
	for _, hidden := range []string{"Patient with my nephew", "My strengths", "crisis plan"} {
		if strings.Contains(page.Body, hidden) {
			t.Fatalf("the supporter sees %q, which was not shared", hidden)
		}
	}
	wantStatus(t, "supporter opens crisis plan", sup.get(plan+"/sections/crisis"), http.StatusForbidden)
	wantStatus(t, "supporter opens strengths", sup.get(plan+"/sections/strengths"), http.StatusForbidden)
	wantStatus(t, "supporter writes hopes", sup.post(plan+"/sections/hopes", url.Values{"version": {"1"}, "hopes": {"x"}}), http.StatusForbidden)

	r := sup.post(plan+"/sections/hopes/views", url.Values{"view": {""}})
	wantStatus(t, "empty view", r, http.StatusUnprocessableEntity)
	wantBody(t, "empty view", r, "Write your view before adding it")
	wantStatus(t, "supporter adds view", sup.post(plan+"/sections/hopes/views", url.Values{"view": {"We could go to Portobello in June"}}), http.StatusSeeOther)
	wantBody(t, "person reads the view", person.get(plan), "We could go to Portobello in June", "Jo Supporter")

	// The person takes "hopes" back: the supporter's next request is refused.
	wantBody(t, "sharing page", person.get(plan+"/sharing"), "Jo Supporter", "Sees Hopes, dreams and aspirations, and can add their view to it.")
	wantStatus(t, "withdraw", shareWith(t, w, person, nil, nil), http.StatusSeeOther)
	wantStatus(t, "supporter after withdrawal", sup.get(plan), http.StatusForbidden)
	wantStatus(t, "view after withdrawal", sup.post(plan+"/sections/hopes/views", url.Values{"view": {"again"}}), http.StatusForbidden)

	// Shared again, see only: no view form.
	wantStatus(t, "share to see", shareWith(t, w, person, []string{"hopes"}, nil), http.StatusSeeOther)
	page = sup.get(plan)
	wantBody(t, "see only", page, "To swim in the sea again")
	if strings.Contains(page.Body, "Add your view") {
		t.Fatal("a see-only supporter is offered to add a view")
	}
	wantBody(t, "activity", person.get(plan+"/activity"), "Added their view to “Hopes, dreams and aspirations”", "Changed what your supporters can see")
}

// Goals and small steps are sections of their own: written, checked, listed
// on the plan, and shared with supporters together.
func TestGoalsAndSmallSteps(t *testing.T) {
	w := newWorld(t, "sqlite")
	person, sup := w.as("person"), w.as("supporter")
	plan := fmt.Sprintf("/people/%d/plan", w.users["person"].ID)
	wantBody(t, "no goals yet", person.get(plan), "No goals written yet", `href="`+plan+`/sections/goal-1"`)

	r := person.post(plan+"/sections/goal-1", url.Values{"version": {"0"}, "title": {""}, "target": {"next spring"}, "status": {"working"}})
	wantStatus(t, "goal without a title, bad date", r, http.StatusUnprocessableEntity)
	wantBody(t, "messages", r, "My goal: please write something here", "please give a date, such as 31 March 2027", `value="next spring"`)
	wantStatus(t, "goal", person.post(plan+"/sections/goal-1", url.Values{"version": {"0"}, "title": {"Get back to work part-time"},
		"target": {"31 March 2027"}, "status": {"working"}}), http.StatusSeeOther)
	wantStatus(t, "step of no goal", person.get(plan+"/sections/goal-2.1"), http.StatusNotFound)
	wantStatus(t, "step", person.post(plan+"/sections/goal-1.1", url.Values{"version": {"0"}, "title": {"Ask about volunteering at the café"},
		"status": {"done"}}), http.StatusSeeOther)
	wantStatus(t, "step with markup", person.post(plan+"/sections/goal-1.2", url.Values{"version": {"0"}, "title": {"Write <b>my</b> CV & cover letter"}}), http.StatusSeeOther)
	page := person.get(plan)
	wantBody(t, "plan lists the goal", page, "Get back to work part-time", "31 March 2027", "Working on it",
		"Ask about volunteering at the café", "Done", "Write &lt;b&gt;my&lt;/b&gt; CV &amp; cover letter", `href="`+plan+`/sections/goal-1.3"`, `href="`+plan+`/sections/goal-2"`)

	// Shared as "goals", together.
	wantStatus(t, "share goals", shareWith(t, w, person, []string{"goals"}, nil), http.StatusSeeOther)
	wantBody(t, "supporter sees goals", sup.get(plan), "Get back to work part-time")
	wantBody(t, "supporter opens a step", sup.get(plan+"/sections/goal-1.1"), "Ask about volunteering at the café")
}

// The person takes their data away: JSON a program can read, and a page.
func TestPrintAndDownloadMyData(t *testing.T) {
	w := newWorld(t, "sqlite")
	person, prac := w.as("person"), w.as("practitioner")
	plan := fmt.Sprintf("/people/%d/plan", w.users["person"].ID)
	wantStatus(t, "write", person.post(plan+"/sections/strengths", url.Values{"version": {"0"}, "strengths": {"Good at <fixing> bikes"}}), http.StatusSeeOther)
	wantStatus(t, "write crisis", person.post(plan+"/sections/crisis", url.Values{"version": {"0"}, "helps": {"Walking the dog"}}), http.StatusSeeOther)
	prac.get(plan)

	printed := person.get(plan + "/print?s=strengths")
	wantBody(t, "print chosen", printed, "Good at &lt;fixing&gt; bikes")
	if strings.Contains(printed.Body, "Walking the dog") {
		t.Fatal("a section not chosen was printed")
	}
	wantBody(t, "print all", person.get(plan+"/print"), "Good at &lt;fixing&gt; bikes", "Walking the dog")

	r := person.get(fmt.Sprintf("/people/%d/my-data.json", w.users["person"].ID))
	wantStatus(t, "json", r, http.StatusOK)
	var d struct {
		Name     string
		Sections []struct {
			Key      string
			Current  map[string]string
			Versions []struct{ Version int }
		}
		Activity []struct{ Who, What string } `json:"who_looked_or_changed"`
	}
	must(t, json.Unmarshal([]byte(r.Body), &d))
	found := false
	for _, s := range d.Sections {
		if s.Key == "strengths" && s.Current["strengths"] == "Good at <fixing> bikes" && len(s.Versions) == 1 {
			found = true
		}
	}
	lookedBy := false
	for _, a := range d.Activity {
		lookedBy = lookedBy || (a.What == "Looked at your plan" && a.Who == "practitioner@example.org")
	}
	if d.Name != w.users["person"].Name || !found || !lookedBy {
		t.Fatalf("json export = %+v", d)
	}
	page := person.get(fmt.Sprintf("/people/%d/my-data.html", w.users["person"].ID))
	wantStatus(t, "html", page, http.StatusOK)
	wantBody(t, "html", page, "My Alongside data", "Good at &lt;fixing&gt; bikes", "Who has looked at or changed my records")
}

// A review keeps the person's words beside the worker's, and sets when the
// plan is next looked at, which the practitioner's list then shows.
func TestPlanReviews(t *testing.T) {
	w := newWorld(t, "sqlite")
	person, prac := w.as("person"), w.as("practitioner")
	plan := fmt.Sprintf("/people/%d/plan", w.users["person"].ID)
	wantBody(t, "no reviews", person.get(plan), "No reviews yet", `href="`+plan+`/sections/review-1"`)
	r := prac.post(plan+"/sections/review-1", url.Values{"version": {"0"}, "worker": {"Sleeping better"}})
	wantStatus(t, "review without a date", r, http.StatusUnprocessableEntity)
	wantBody(t, "review without a date", r, "When we met: please write something here", "Sleeping better")
	soon := w.store.Clock.Now().AddDate(0, 0, 3).Format("2006-01-02")
	wantStatus(t, "review", prac.post(plan+"/sections/review-1", url.Values{"version": {"0"}, "held": {w.store.Clock.Now().Format("2006-01-02")},
		"person": {"Better than I expected"}, "worker": {"Sleeping better"}, "next-on": {soon}}), http.StatusSeeOther)
	wantBody(t, "side by side", person.get(plan), "In my words: how things are going", "Better than I expected", "The worker’s words", "Sleeping better")
	wantBody(t, "due on the list", prac.get("/alongside"), "A review of the whole plan")
}

// The advance statement counts once signed and witnessed: a signing
// without its witness is refused, the review date brings a reminder, and a
// copy prints for signing.
func TestAdvanceStatement(t *testing.T) {
	w := newWorld(t, "sqlite")
	person := w.as("person")
	plan := fmt.Sprintf("/people/%d/plan", w.users["person"].ID)
	statement := plan + "/sections/advance-statement"
	today := w.store.Clock.Now().Format("2006-01-02")
	base := url.Values{"version": {"0"}, "not-wanted": {"No depot injections"}, "full-name": {"Pat Person"},
		"address": {"1 Harbour Row, Leith"}, "born": {"1980-04-02"}, "signed-on": {today}}

	r := person.post(statement, base)
	wantStatus(t, "signed without a witness", r, http.StatusUnprocessableEntity)
	wantBody(t, "witness needed", r, "A signed statement needs its witness’s name", "counts only once the witness certifies", "No depot injections")

	withdrawn := url.Values{"version": {"0"}, "not-wanted": {"x"}, "withdrawn-on": {today}}
	wantBody(t, "withdraw unsigned", person.post(statement, withdrawn), "Only a signed statement can be withdrawn")

	signed := url.Values{}
	for k, v := range base {
		signed[k] = v
	}
	signed.Set("witness-name", "Dr Morven Reid")
	signed.Set("witness-address", "Leith Health Centre")
	signed.Set("witness-class", "Doctor")
	signed.Set("witness-certifies", "yes")
	signed.Set("review-on", today)
	wantStatus(t, "signed and witnessed", person.post(statement, signed), http.StatusSeeOther)
	wantBody(t, "reminder", person.get(plan), "Your advance statement is due to be looked at again")
	wantBody(t, "practitioner's list", w.as("practitioner").get("/alongside"), "The advance statement, due for review")
	wantBody(t, "print for signing", person.get(plan+"/print?s=advance-statement"), "section 275", "No depot injections", "Witness: signature", "Dr Morven Reid")
}

// The person chooses areas, rates them over time, and sees the change with
// the small steps they completed; the practitioner sees it, a supporter
// only if it is shared.
func TestMyProgress(t *testing.T) {
	w := newWorld(t, "sqlite")
	person, prac, sup := w.as("person"), w.as("practitioner"), w.as("supporter")
	progress := fmt.Sprintf("/people/%d/progress", w.users["person"].ID)
	plan := fmt.Sprintf("/people/%d/plan", w.users["person"].ID)
	wantBody(t, "nothing yet", person.get(progress), "No ratings yet", "Feeling in control")

	r := person.post(progress+"/areas", url.Values{"area": {"   "}})
	wantStatus(t, "empty area", r, http.StatusUnprocessableEntity)
	wantBody(t, "empty area", r, "Give the area a name")
	wantStatus(t, "area", person.post(progress+"/areas", url.Values{"area": {"Sleep"}}), http.StatusSeeOther)
	wantStatus(t, "own area", person.post(progress+"/areas", url.Values{"area": {"Playing  guitar"}}), http.StatusSeeOther)

	r = person.post(progress, url.Values{"a0": {"11"}})
	wantStatus(t, "out of range", r, http.StatusUnprocessableEntity)
	wantBody(t, "out of range", r, "from 0 to 10")
	wantStatus(t, "first ratings", person.post(progress, url.Values{"a0": {"3"}, "a1": {"2"}}), http.StatusSeeOther)
	w.store.Clock.(*alongside.FixedClock).Advance(14 * 24 * time.Hour)
	person = w.as("person")
	wantStatus(t, "goal", person.post(plan+"/sections/goal-1", url.Values{"version": {"0"}, "title": {"Sleep through"}, "status": {"working"}}), http.StatusSeeOther)
	wantStatus(t, "step done", person.post(plan+"/sections/goal-1.1", url.Values{"version": {"0"}, "title": {"No screens after ten"}, "status": {"done"}}), http.StatusSeeOther)
	wantStatus(t, "later ratings", person.post(progress, url.Values{"a0": {"6"}}), http.StatusSeeOther)

	page := person.get(progress)
	wantBody(t, "chart and table", page, "<polyline", "Playing guitar", "Latest: Playing guitar 6", "No screens after ten", "✓1", "Every rating, oldest first")
	prac, sup = w.as("practitioner"), w.as("supporter") // signed in afresh after two weeks
	wantBody(t, "practitioner sees it", prac.get(progress), "Pat Person’s progress", "No screens after ten")
	if strings.Contains(prac.get(progress).Body, "How is it going today?") {
		t.Fatal("the practitioner is offered the person's rating form")
	}
	wantStatus(t, "practitioner rates", prac.post(progress, url.Values{"a0": {"9"}}), http.StatusForbidden)
	wantStatus(t, "supporter, not shared", sup.get(progress), http.StatusForbidden)
}

// When the person leaves the service, its practitioners lose access at
// once, an emergency opening included, and the plan stays with the person.
func TestLeavingAServiceKeepsThePlanWithThePerson(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			person, prac, other := w.as("person"), w.as("practitioner"), w.as("supervisor")
			plan := fmt.Sprintf("/people/%d/plan", w.users["person"].ID)
			wantStatus(t, "write", person.post(plan+"/sections/hopes", url.Values{"version": {"0"}, "hopes": {"A garden of my own"}}), http.StatusSeeOther)
			wantStatus(t, "break glass", other.post(fmt.Sprintf("/services/%d/emergency", w.svcA.ID),
				url.Values{"person": {fmt.Sprint(w.users["person"].ID)}, "reason": {"Called at night"}}), http.StatusSeeOther)
			wantStatus(t, "practitioner before", prac.get(plan), http.StatusOK)
			wantStatus(t, "emergency before", other.get(plan+"/sections/crisis"), http.StatusOK)

			ms, err := w.store.Accounts.MembershipsOf(ctx, w.users["person"].ID)
			must(t, err)
			for _, m := range ms {
				if m.Role == alongside.RolePerson {
					must(t, w.store.Accounts.RemoveMembership(ctx, m.ID))
				}
			}
			// With no relationship left, the plan is as if it did not exist.
			wantStatus(t, "practitioner after", prac.get(plan), http.StatusNotFound)
			wantStatus(t, "emergency after", other.get(plan+"/sections/crisis"), http.StatusNotFound)
			wantBody(t, "the person still has their plan", person.get(plan), "A garden of my own")
			wantStatus(t, "and can still write it", person.post(plan+"/sections/hopes", url.Values{"version": {"1"}, "hopes": {"A garden, and a dog"}}), http.StatusSeeOther)
		})
	}
}

// Closing an account signs the person out, ends everyone's access at once,
// and erases their records once the organisation's retention has passed.
func TestClosingAnAccountErasesAfterRetention(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			admin, person, prac := w.as("orgadmin"), w.as("person"), w.as("practitioner")
			settings := fmt.Sprintf("/orgs/%d/settings", w.org.ID)
			r := admin.post(settings, url.Values{"name": {w.org.Name}, "retention": {"3"}, "version": {"1"}})
			wantStatus(t, "too short a retention", r, http.StatusUnprocessableEntity)
			wantBody(t, "retention message", r, "between 7 and 3000 days", `value="3"`)
			wantStatus(t, "retention", admin.post(settings, url.Values{"name": {w.org.Name}, "retention": {"14"}, "version": {"1"}}), http.StatusSeeOther)

			plan := fmt.Sprintf("/people/%d/plan", w.users["person"].ID)
			closeURL := fmt.Sprintf("/people/%d/close", w.users["person"].ID)
			wantStatus(t, "write", person.post(plan+"/sections/hopes", url.Values{"version": {"0"}, "hopes": {"To travel"}}), http.StatusSeeOther)
			wantBody(t, "unconfirmed", person.post(closeURL, url.Values{}), "Tick the box to say you understand")
			r = person.post(closeURL, url.Values{"confirm": {"yes"}})
			wantStatus(t, "close", r, http.StatusSeeOther)
			if r.Location != "/login" {
				t.Fatalf("after closing: %q", r.Location)
			}
			wantStatus(t, "person signed out", person.get(plan), http.StatusSeeOther)
			wantStatus(t, "practitioner loses access", prac.get(plan), http.StatusForbidden)

			n, err := w.store.Accounts.EraseDue(ctx)
			must(t, err)
			p, err := w.store.Plans.Plan(ctx, w.users["person"].ID)
			must(t, err)
			if n != 0 || p.Version == 0 {
				t.Fatalf("erased %d before the retention passed; plan version %d", n, p.Version)
			}
			w.store.Clock.(*alongside.FixedClock).Advance(15 * 24 * time.Hour)
			n, err = w.store.Accounts.EraseDue(ctx)
			must(t, err)
			p, err = w.store.Plans.Plan(ctx, w.users["person"].ID)
			must(t, err)
			u, err := w.store.Accounts.User(ctx, w.users["person"].ID)
			must(t, err)
			hist, err := w.store.Plans.SectionHistory(ctx, w.users["person"].ID, "hopes")
			must(t, err)
			if n != 1 || p.Version != 0 || len(hist) != 0 || u.Name != "Erased account" || !u.Disabled || strings.Contains(u.Email, "example.org") {
				t.Fatalf("after erasure: %d erased, plan %d, history %d, user %+v", n, p.Version, len(hist), u)
			}
			if n, _ := w.store.Accounts.EraseDue(ctx); n != 0 {
				t.Fatalf("erased again: %d", n)
			}
		})
	}
}

// Joining another service with a plan already written, the person chooses
// what that service's practitioners see: nothing until they do.
func TestJoiningAnotherServiceSharesOnlyWhatThePersonChooses(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			person, prac := w.as("person"), w.as("practitioner")
			plan := fmt.Sprintf("/people/%d/plan", w.users["person"].ID)
			wantStatus(t, "hopes", person.post(plan+"/sections/hopes", url.Values{"version": {"0"}, "hopes": {"A job in a bakery"}}), http.StatusSeeOther)
			wantStatus(t, "strengths", person.post(plan+"/sections/strengths", url.Values{"version": {"0"}, "strengths": {"Early riser"}}), http.StatusSeeOther)

			must(t, w.store.Accounts.AddMembership(ctx, &alongside.Membership{UserID: w.users["person"].ID, Role: alongside.RolePerson, ServiceID: w.svcB.ID}))
			must(t, w.store.Relationships.Allocate(ctx, &alongside.Allocation{ServiceID: w.svcB.ID, PractitionerID: w.users["otherPractitioner"].ID, PersonID: w.users["person"].ID}))
			newPrac := w.as("otherPractitioner")
			page := newPrac.get(plan)
			if strings.Contains(page.Body, "A job in a bakery") || strings.Contains(page.Body, "Early riser") {
				t.Fatal("the new service sees the plan before the person chose")
			}
			wantStatus(t, "new service opens hopes", newPrac.get(plan+"/sections/hopes"), http.StatusForbidden)

			wantBody(t, "sharing page", person.get(plan+"/sharing"), "Services you joined with your plan", "Cedar Court")
			wantStatus(t, "share hopes", person.post(plan+"/sharing", url.Values{fmt.Sprintf("s-%d-hopes", w.svcB.ID): {"see"}}), http.StatusSeeOther)
			wantBody(t, "new service sees hopes", newPrac.get(plan+"/sections/hopes"), "A job in a bakery")
			wantStatus(t, "not strengths", newPrac.get(plan+"/sections/strengths"), http.StatusForbidden)
			wantBody(t, "the first service still sees all", prac.get(plan), "A job in a bakery", "Early riser")
		})
	}
}

// What the plan reveals elsewhere follows what the viewer may see of it: a
// later service not shown the goals does not see them on its list, and a
// supporter shown progress but not goals sees no step titles.
func TestGoalsStayHiddenWhereNotShared(t *testing.T) {
	w := newWorld(t, "sqlite")
	person := w.as("person")
	plan := fmt.Sprintf("/people/%d/plan", w.users["person"].ID)
	today := w.store.Clock.Now().Format("2006-01-02")
	wantStatus(t, "goal", person.post(plan+"/sections/goal-1", url.Values{"version": {"0"}, "title": {"Private goal"}, "status": {"working"}, "review": {today}}), http.StatusSeeOther)
	wantStatus(t, "step", person.post(plan+"/sections/goal-1.1", url.Values{"version": {"0"}, "title": {"Private step"}, "status": {"done"}}), http.StatusSeeOther)

	must(t, w.store.Accounts.AddMembership(ctx, &alongside.Membership{UserID: w.users["person"].ID, Role: alongside.RolePerson, ServiceID: w.svcB.ID}))
	must(t, w.store.Relationships.Allocate(ctx, &alongside.Allocation{ServiceID: w.svcB.ID, PractitionerID: w.users["otherPractitioner"].ID, PersonID: w.users["person"].ID}))
	if strings.Contains(w.as("otherPractitioner").get("/alongside").Body, "Private goal") {
		t.Fatal("a service not shown the goals sees a goal title on its list")
	}
	wantBody(t, "the allocated practitioner of the first service sees it", w.as("practitioner").get("/alongside"), "Private goal")
	wantBody(t, "and the person sees the look was logged", person.get(plan+"/activity"), "on their list")

	links, err := w.store.Links.Supporters(ctx, w.users["person"].ID)
	must(t, err)
	must(t, w.store.Plans.SetPlanSharing(ctx, w.users["person"].ID, alongside.PlanSharing{links[0].ID: {alongside.SectionProgress: false}}, w.svcA.ID))
	progress := fmt.Sprintf("/people/%d/progress", w.users["person"].ID)
	page := w.as("supporter").get(progress)
	wantStatus(t, "supporter sees progress", page, http.StatusOK)
	if strings.Contains(page.Body, "Private step") {
		t.Fatal("a supporter not shown the goals sees a step title on the progress page")
	}
	wantBody(t, "the person sees their step", person.get(progress), "Private step")
}

// A person's own plan pages take the person from the signed-in actor
// (sqlstore.SelfAsPerson), their practitioner's from the store: saves by
// both are audited alike, under the person's service and organisation.
func TestOwnAndPractitionerSavesAreAuditedAlike(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			person := w.users["person"]
			hopes := fmt.Sprintf("/people/%d/plan/sections/hopes", person.ID)
			wantStatus(t, "person saves", w.as("person").post(hopes, url.Values{"version": {"0"}, "hopes": {"A garden"}}), http.StatusSeeOther)
			wantStatus(t, "practitioner saves", w.as("practitioner").post(hopes, url.Values{"version": {"1"}, "hopes": {"A garden, and a dog"}}), http.StatusSeeOther)
			events, _, err := w.store.Audit.AuditEvents(ctx, alongside.AuditFilter{TargetKind: "person", TargetID: person.ID})
			must(t, err)
			by := map[int64]bool{}
			for _, e := range events {
				if e.Action != "plan.save" {
					continue
				}
				by[e.ActorID] = true
				if e.ServiceID != w.svcA.ID || e.OrgID != w.org.ID || e.Detail != "hopes" {
					t.Errorf("audit line = %+v", e)
				}
			}
			if !by[person.ID] || !by[w.users["practitioner"].ID] || len(by) != 2 {
				t.Fatalf("saves audited by %v", by)
			}
		})
	}
}
