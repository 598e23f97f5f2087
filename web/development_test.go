package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/internal/testdb"
)

// ratings answers every framework item with the same rating, marking the
// first item of each group as a need.
func ratings(r string) url.Values {
	v := url.Values{}
	pc := content.DefaultPractice()
	for _, g := range alongside.FrameworkGroups {
		for i, it := range pc.InGroup(g) {
			v.Set("r-"+it.Key, r)
			if i == 0 {
				v.Set("n-"+it.Key, "yes")
			}
		}
	}
	return v
}

// A self-assessment must rate every item; what was chosen is kept when it
// is sent back, and repeating it shows change by framework group.
func TestSelfAssessmentOverTime(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			prac := w.as("practitioner")
			base := fmt.Sprintf("/practitioners/%d", w.users["practitioner"].ID)
			pc := content.DefaultPractice()
			first, last := pc.Framework[0].Key, pc.Framework[len(pc.Framework)-1].Key

			wantBody(t, "nothing yet", prac.get(base+"/development"), "You have not done a self-assessment yet")
			partial := ratings("2")
			partial.Del("r-" + last)
			r := prac.post(base+"/self-assessment", partial)
			wantStatus(t, "an item left out", r, http.StatusUnprocessableEntity)
			wantBody(t, "says which, keeps the rest", r, "Choose how this sits with you now", fmt.Sprintf(`id="r-%s-2" name="r-%s" value="2" checked`, first, first))

			wantStatus(t, "first", prac.post(base+"/self-assessment", ratings("2")), http.StatusSeeOther)
			w.store.Clock.(*alongside.FixedClock).Advance(20 * 60 * 1e9) // within the session's idle time
			wantBody(t, "form starts from the last answers", prac.get(base+"/self-assessment"), fmt.Sprintf(`id="r-%s-2" name="r-%s" value="2" checked`, first, first))
			wantStatus(t, "second", prac.post(base+"/self-assessment", ratings("3")), http.StatusSeeOther)
			page := prac.get(base + "/development")
			wantBody(t, "chart and table", page, "2 self-assessments", "<svg", "Mean rating by framework group", "<td class=\"num\">3.0</td>", "<td class=\"num\">2.0</td>")
			if strings.Index(page.Body, ">3.0<") > strings.Index(page.Body, ">2.0<") {
				t.Fatal("the newest self-assessment is not listed first")
			}
			wantStatus(t, "the supervisor does not see it", w.as("supervisor").get(base+"/development"), http.StatusForbidden)
		})
	}
}

// The plan: objectives written with a status, kept through a clash, shared
// with the supervisor who comments and signs off; withdrawing sharing
// takes effect at once.
func TestDevelopmentPlanSharedCommentedSignedOff(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			prac, sup := w.as("practitioner"), w.as("supervisor")
			plan := fmt.Sprintf("/practitioners/%d/development-plan", w.users["practitioner"].ID)
			pc := content.DefaultPractice()
			need := pc.InGroup(alongside.KindSkills)[0]

			obj := url.Values{"need_item": {need.Key}, "need": {"I rush goal setting"}, "objective": {"Let people set goals in their own words"},
				"status": {"planned"}, "activity_kind": {pc.Activities[0].Key}, "activity": {"Shadow a peer worker"},
				"activity_status": {"booked"}, "target_date": {"2027-03-31"}, "links": {"https://example.org/notes\nnot a link"}}
			r := prac.post(plan+"/objectives", obj)
			wantStatus(t, "a bad link", r, http.StatusUnprocessableEntity)
			wantBody(t, "says so, keeps the words", r, "starting with https://", "Let people set goals in their own words", "not a link")
			obj.Set("links", "https://example.org/notes")
			r = prac.post(plan+"/objectives", obj)
			wantStatus(t, "saved", r, http.StatusSeeOther)
			wantBody(t, "listed", prac.get(plan), "Let people set goals in their own words", need.Text, "Booked", "https://example.org/notes")

			dp, err := w.store.DevelopmentPlan(ctx, w.users["practitioner"].ID)
			must(t, err)
			edit := fmt.Sprintf("%s/objectives/%d", plan, dp.Objectives[0].ID)
			obj.Set("version", "1")
			obj.Set("status", "under-way")
			wantStatus(t, "changed", prac.post(edit, obj), http.StatusSeeOther)
			obj.Set("objective", "Written in another tab")
			r = prac.post(edit, obj) // still from version 1
			wantStatus(t, "a stale change", r, http.StatusConflict)
			wantBody(t, "shows what is saved, keeps the writer's text", r, "changed in another window", "What is saved now", "“Let people set goals in their own words”", "Written in another tab", `name="version" value="2"`)

			wantBody(t, "the supervisor finds it from home", sup.get("/home"), "Development plans shared with you", plan)
			wantBody(t, "and reads it", sup.get(plan), "Let people set goals in their own words", "Sign off the plan")
			wantStatus(t, "an empty comment", sup.post(plan+"/comments", url.Values{"comment": {"  "}}), http.StatusUnprocessableEntity)
			wantStatus(t, "comment", sup.post(plan+"/comments", url.Values{"comment": {"Good choice: try it in supervision first."}}), http.StatusSeeOther)
			wantStatus(t, "sign off", sup.post(plan+"/sign-off", url.Values{"note": {"Agreed at supervision"}}), http.StatusSeeOther)
			wantBody(t, "the practitioner sees both", prac.get(plan), "Good choice: try it in supervision first.", "Signed off by Sam Supervisor", "Agreed at supervision")
			wantStatus(t, "a colleague not shared with", w.as("otherPractitioner").get(plan), http.StatusNotFound) // of another service
			wantStatus(t, "not the supervisor's to write", sup.post(plan+"/objectives", obj), http.StatusForbidden)

			w.store.Clock.(*alongside.FixedClock).Advance(60 * 1e9)
			obj.Set("version", "2")
			wantStatus(t, "changed after sign-off", prac.post(edit, obj), http.StatusSeeOther)
			wantBody(t, "says so", prac.get(plan), "It has changed since.")

			wantStatus(t, "withdraw sharing", prac.post(plan+"/sharing", url.Values{}), http.StatusSeeOther)
			wantStatus(t, "the supervisor no longer sees it", sup.get(plan), http.StatusForbidden)
			wantBody(t, "sharing with a stranger", prac.post(plan+"/sharing", url.Values{"viewer": {fmt.Sprint(w.users["otherManager"].ID)}}), "colleagues in your services and your supervisors only")
		})
	}
}

// A reflection names nobody: a note with a name and a date is refused with
// the answers kept; saved ones show as a trend by tip.
func TestReflectionRefusesNamesAndShowsTrend(t *testing.T) {
	w := newWorld(t, "sqlite")
	prac := w.as("practitioner")
	base := fmt.Sprintf("/practitioners/%d", w.users["practitioner"].ID)
	tips := content.DefaultPractice().Tips
	form := url.Values{tips[0].Key: {"yes"}, tips[1].Key: {"partly"}, "note": {"Saw Jo Bloggs on 3/4 and rushed the end"}}
	r := prac.post(base+"/reflect", form)
	wantStatus(t, "a name and a date", r, http.StatusUnprocessableEntity)
	wantBody(t, "refused, kept", r, "looks like a name with a date", "rushed the end", fmt.Sprintf(`name="%s" value="partly" checked`, tips[1].Key))
	wantStatus(t, "no answers", prac.post(base+"/reflect", url.Values{"note": {"Fine"}}), http.StatusUnprocessableEntity)

	form.Set("note", "I rushed the end; next time I will leave time to agree a small step.")
	r = prac.post(base+"/reflect", form)
	wantStatus(t, "saved", r, http.StatusSeeOther)
	if r.Location != base+"/reflections" {
		t.Fatalf("went to %q", r.Location)
	}
	page := prac.get(base + "/reflections")
	wantBody(t, "trend", page, tips[0].Text, "1 yes, 0 partly, 0 no", "0 yes, 1 partly, 0 no", "next time I will leave time")
	wantBody(t, "by week", prac.get(base+"/reflections?by=week"), "Answers to each tip by week", "Week of", "1 yes, 0 partly, 0 no")
	wantStatus(t, "the supervisor does not see reflections", w.as("supervisor").get(base+"/reflections"), http.StatusForbidden)
}

// The manager sees development needs in total only, and nothing until five
// practitioners stand behind the figures; then exports and attaches them.
func TestDevelopmentTotalsHideSmallNumbers(t *testing.T) {
	w := newWorld(t, "sqlite")
	mgr := w.as("manager")
	totals := fmt.Sprintf("/services/%d/development", w.svcA.ID)
	pc := content.DefaultPractice()
	assess := func(id int64, need bool) {
		a := &alongside.SelfAssessment{PractitionerID: id, Ratings: map[string]alongside.ItemRating{}}
		for _, it := range pc.Framework {
			a.Ratings[it.Key] = alongside.ItemRating{Rating: 2, Need: need && it.Key == pc.Framework[0].Key}
		}
		must(t, w.store.SaveSelfAssessment(ctx, a, pc))
	}
	assess(w.users["practitioner"].ID, true)
	assess(w.users["supervisor"].ID, true)
	for range 2 {
		assess(tempPractitioner(w), false)
	}
	page := mgr.get(totals)
	wantBody(t, "four: nothing shown", page, "Totals are shown once at least 5 practitioners")
	if strings.Contains(page.Body, pc.Framework[0].Text) {
		t.Fatal("an item's count is shown for four practitioners")
	}
	// The export says what the page says, and holds no figure either.
	csv := mgr.get(totals + ".csv")
	wantBody(t, "no figures in the export either", csv, "Totals are shown once at least 5 practitioners")
	if strings.Contains(csv.Body, pc.Framework[0].Text) {
		t.Fatal("an item's count is exported for four practitioners")
	}

	assess(tempPractitioner(w), false)
	wantBody(t, "five: shown", mgr.get(totals), "5 practitioners have done a self-assessment", pc.Framework[0].Text+`</th><td class="num">2</td>`)
	csv = mgr.get(totals + ".csv")
	wantStatus(t, "export", csv, http.StatusOK)
	wantBody(t, "export rows", csv, "Framework area,Item,Practitioners marking it a development need", "Knowledge,All knowledge items,2,5,")

	wantStatus(t, "attach", mgr.post(totals+"/attach", url.Values{"review": {fmt.Sprint(w.review.ID)}}), http.StatusSeeOther)
	ev, err := w.store.ReviewEvidence(ctx, w.review.ID)
	must(t, err)
	if len(ev) != 1 || ev[0].Indicator != "staff-supported" || ev[0].Kind != alongside.KindDevelopmentNeeds {
		t.Fatalf("attached %+v", ev)
	}
	wantStatus(t, "another service's review", mgr.post(totals+"/attach", url.Values{"review": {fmt.Sprint(w.gatheringReview().ID)}}), http.StatusUnprocessableEntity)
}
