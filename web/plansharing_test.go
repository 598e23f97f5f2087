package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
)

// shareWith saves, as the person, what their first supporter (Jo) sees,
// from the version saved now: the parts to see, and those to add a view to.
func shareWith(t *testing.T, w *world, person *client, see, add []string) response {
	t.Helper()
	jo := supporterLink(t, w, "Jo Supporter")
	return person.post(fmt.Sprintf("/people/%d/plan/sharing/%d", w.users["person"].ID, jo.ID),
		url.Values{"version": {fmt.Sprint(jo.SharingVersion)}, "see": see, "add": add})
}

func supporterLink(t *testing.T, w *world, name string) alongside.SupporterLink {
	t.Helper()
	links, err := w.store.Links.Supporters(ctx, w.users["person"].ID)
	must(t, err)
	for _, l := range links {
		if l.SupporterName == name {
			return l
		}
	}
	t.Fatalf("no supporter %s", name)
	return alongside.SupporterLink{}
}

// "Who can see my plan" is a short overview, a line per supporter and
// practitioner, with a page per supporter: a tick per part. Saving one
// supporter's page changes what that supporter sees, and nobody else's.
func TestSharingOneSupporterAtATime(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		twoSupportersViews(t, w) // Jo and Kim both see hopes, and may add a view
		pat := w.as("person")
		plan := fmt.Sprintf("/people/%d/plan", w.users["person"].ID)
		wantStatus(t, "writes crisis plan", pat.post(plan+"/sections/crisis", url.Values{"version": {"0"}, "helps": {"A quiet room and tea"}}), http.StatusSeeOther)
		kim := supporterLink(t, w, "Kim Friend")

		over := pat.get(plan + "/sharing")
		wantBody(t, "overview", over, "Jo Supporter", "Kim Friend", "Priya Practitioner",
			"Sees Hopes, dreams and aspirations, and can add their view to it.", "Sees all of your plan and writes it with you.",
			fmt.Sprintf(`href="%s/sharing/%d"`, plan, kim.ID))
		if n := strings.Count(over.Body, "<select"); n != 0 {
			t.Fatalf("the overview still has %d drop-downs", n)
		}
		page := pat.get(fmt.Sprintf("%s/sharing/%d", plan, kim.ID))
		wantBody(t, "Kim's page", page, "What Kim Friend can see", `name="see" value="crisis"`, `id="add-hopes" name="add" value="hopes" checked`)

		// Kim is given the crisis plan, and no longer adds a view to hopes.
		r := pat.post(fmt.Sprintf("%s/sharing/%d", plan, kim.ID), url.Values{"version": {fmt.Sprint(kim.SharingVersion)}, "see": {"hopes", "crisis"}})
		wantStatus(t, "save Kim's page", r, http.StatusSeeOther)
		wantBody(t, "Kim sees the crisis plan", w.as("kim").get(plan+"/sections/crisis"), "A quiet room and tea", "Pat Person’s crisis plan")
		if strings.Contains(w.as("kim").get(plan+"/sections/hopes").Body, "Add my view") {
			t.Fatal("Kim may still add a view to hopes")
		}
		// Jo is as she was: hopes with a view, and no crisis plan.
		wantStatus(t, "Jo and the crisis plan", w.as("supporter").get(plan+"/sections/crisis"), http.StatusForbidden)
		wantBody(t, "Jo still adds a view", w.as("supporter").get(plan+"/sections/hopes"), "Add my view")
		wantBody(t, "overview after", pat.get(plan+"/sharing"), "Sees Hopes, dreams and aspirations and My crisis plan.",
			"Sees Hopes, dreams and aspirations, and can add their view to it.")
		wantBody(t, "audited", pat.get(plan+"/activity"), "Changed what your supporters can see")

		// A part the plan does not have is refused, the ticks kept.
		kim = supporterLink(t, w, "Kim Friend")
		r = pat.post(fmt.Sprintf("%s/sharing/%d", plan, kim.ID), url.Values{"version": {fmt.Sprint(kim.SharingVersion)}, "see": {"crisis", "diary"}})
		wantStatus(t, "unknown part", r, http.StatusUnprocessableEntity)
		wantBody(t, "unknown part", r, "Your plan has no part called", `id="see-crisis" name="see" value="crisis" checked`)

		// Another person's supporter is not found from this person's page.
		other := w.as("otherPerson")
		wantStatus(t, "another's link", other.get(fmt.Sprintf("/people/%d/plan/sharing/%d", w.users["otherPerson"].ID, kim.ID)), http.StatusNotFound)
	})
}

// Two windows open on one supporter's page: the second save is a conflict,
// writes nothing, keeps the person's own ticks and shows what is saved now.
func TestSharingStaleSaveIsAConflict(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		pat := w.as("person")
		plan := fmt.Sprintf("/people/%d/plan", w.users["person"].ID)
		jo := supporterLink(t, w, "Jo Supporter")
		path := fmt.Sprintf("%s/sharing/%d", plan, jo.ID)
		stale := fmt.Sprint(jo.SharingVersion)
		wantStatus(t, "first window", pat.post(path, url.Values{"version": {stale}, "see": {"hopes", "staying-well"}}), http.StatusSeeOther)
		r := pat.post(path, url.Values{"version": {stale}, "see": {"crisis"}, "add": {"people"}})
		wantStatus(t, "second window", r, http.StatusConflict)
		wantBody(t, "second window", r, "in another window or tab", "Saved now: Jo Supporter sees Hopes, dreams and aspirations and Staying well.",
			`id="see-crisis" name="see" value="crisis" checked`, `id="add-people" name="add" value="people" checked`)
		if strings.Contains(r.Body, `id="see-hopes" name="see" value="hopes" checked`) {
			t.Fatal("the conflict page ticks what the other window saved, not the person's own choice")
		}
		wantStatus(t, "crisis not shared", w.as("supporter").get(plan+"/sections/crisis"), http.StatusForbidden)
		wantBody(t, "staying well shared", w.as("supporter").get(plan+"/sections/staying-well"), "Pat Person’s staying well plan")
		// Saving again from the page shown keeps the person's ticks, knowingly.
		now := supporterLink(t, w, "Jo Supporter")
		if !strings.Contains(r.Body, fmt.Sprintf(`name="version" value="%d"`, now.SharingVersion)) {
			t.Fatal("the conflict page does not carry the version now saved")
		}
		wantStatus(t, "save again", pat.post(path, url.Values{"version": {fmt.Sprint(now.SharingVersion)}, "see": {"crisis"}, "add": {"people"}}), http.StatusSeeOther)
		wantStatus(t, "now crisis shared", w.as("supporter").get(plan+"/sections/crisis"), http.StatusOK)
	})
}

// A supporter is spoken to as a supporter: the person's name in every
// heading, no staff wording, and a part not shared said kindly.
func TestSupporterReadsThirdPerson(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		pat, jo, prac := w.as("person"), w.as("supporter"), w.as("practitioner")
		plan := fmt.Sprintf("/people/%d/plan", w.users["person"].ID)
		wantStatus(t, "writes staying well", pat.post(plan+"/sections/staying-well", url.Values{"version": {"0"}, "keeps-well": {"Walking by the loch"}}), http.StatusSeeOther)
		wantStatus(t, "writes crisis", pat.post(plan+"/sections/crisis", url.Values{"version": {"0"}, "helps": {"Tea"}}), http.StatusSeeOther)
		wantStatus(t, "share", shareWith(t, w, pat, []string{"staying-well", "crisis", "progress"}, []string{"hopes"}), http.StatusSeeOther)

		for path, want := range map[string][]string{
			plan:                                    {"Pat Person’s recovery plan", "Pat Person’s staying well plan", "Pat Person’s crisis plan", "Pat Person’s hopes, dreams and aspirations", "parts of their recovery plan Pat Person shares with you"},
			plan + "/sections/staying-well":         {"Pat Person’s staying well plan", "What keeps Pat Person well, and what helps"},
			plan + "/sections/staying-well/history": {"What changed: Pat Person’s staying well plan", "Pat Person’s recovery plan"},
			plan + "/sections/crisis":               {"<h1 class=\"page-title\">Pat Person’s crisis plan</h1>"},
			fmt.Sprintf("/people/%d/progress", w.users["person"].ID): {"Pat Person’s progress"},
		} {
			page := jo.get(path)
			wantStatus(t, path, page, http.StatusOK)
			wantBody(t, path, page, want...)
			for _, staff := range []string{"My recovery plan", "My crisis plan", "My staying well", "Staying well</h", "the needs the service must meet are yours", "Write it with them"} {
				if strings.Contains(page.Body, staff) {
					t.Fatalf("%s: the supporter reads %q", path, staff)
				}
			}
		}
		// The person still reads their own plan in the first person.
		wantBody(t, "the person's own", pat.get(plan+"/sections/crisis"), "<h1 class=\"page-title\">My crisis plan</h1>")
		wantBody(t, "the person's plan", pat.get(plan), "My recovery plan", "My crisis plan")

		// A part not shared: said kindly, with the way back, not the 403 page.
		r := jo.get(plan + "/sections/strengths")
		wantStatus(t, "not shared", r, http.StatusForbidden)
		wantBody(t, "not shared", r, "Pat Person has not shared this part with you", "Pat Person’s strengths", `href="`+plan+`"`)
		if strings.Contains(r.Body, "You do not have access") || strings.Contains(r.Body, "service manager or administrator") {
			t.Fatal("a supporter gets the generic refusal")
		}
		// Nothing shared at all: the whole plan says so too.
		wantStatus(t, "share nothing", shareWith(t, w, pat, nil, nil), http.StatusSeeOther)
		r = jo.get(plan)
		wantStatus(t, "nothing shared", r, http.StatusForbidden)
		wantBody(t, "nothing shared", r, "Pat Person has not shared any of their plan with you")

		// Practitioners read the person's name too.
		wantBody(t, "practitioner's plan", prac.get(plan), "Pat Person’s crisis plan", "Pat Person’s staying well plan")
		wantBody(t, "practitioner's section", prac.get(plan+"/sections/crisis"), "<h1 class=\"page-title\">Pat Person’s crisis plan</h1>")
	})
}
