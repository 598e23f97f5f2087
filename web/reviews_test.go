package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"
)

func TestReviewCycleThroughThePages(t *testing.T) {
	w := newWorld(t, "sqlite")
	mgr := w.as("otherManager")
	list := fmt.Sprintf("/services/%d/reviews", w.svcB.ID)
	wantBody(t, "no reviews", mgr.get(list), "No reviews yet", "Start a review")

	bad := mgr.post(list, url.Values{"title": {""}, "coordinator": {fmt.Sprint(w.users["otherPractitioner"].ID)}})
	wantStatus(t, "no title", bad, http.StatusUnprocessableEntity)
	wantBody(t, "no title", bad, "Give the review a name", `href="#title"`)

	r := mgr.post(list, url.Values{"title": {"Spring 2027 review"}, "coordinator": {fmt.Sprint(w.users["otherPractitioner"].ID)}})
	wantStatus(t, "start", r, http.StatusSeeOther)
	reviewPath := r.Location
	coord := w.as("otherPractitioner")
	page := coord.get(reviewPath)
	wantBody(t, "review page", page, "Spring 2027 review", "Oona Otherpractitioner", "Alongside SRI 2 reflective statements, version 1", "first review", "Move on to Gathering evidence")
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page.Body)[1]

	wantStatus(t, "advance", coord.post(reviewPath+"/stage", url.Values{"version": {version}}), http.StatusSeeOther)
	wantBody(t, "advanced", coord.get(reviewPath), `aria-current="step">Gathering evidence`)
	// The manager pressing the same button from an old page does not skip a stage.
	stale := mgr.post(reviewPath+"/stage", url.Values{"version": {version}})
	wantStatus(t, "stale advance", stale, http.StatusConflict)
	wantBody(t, "stale advance", stale, "Someone else moved this review on")

	again := mgr.post(list, url.Values{"title": {"Another"}, "coordinator": {fmt.Sprint(w.users["otherManager"].ID)}})
	wantStatus(t, "second review while one is open", again, http.StatusUnprocessableEntity)
	wantBody(t, "second review while one is open", again, "already has a review under way")

	// Staff of another service see nothing of this one: not even that it
	// exists.
	wantStatus(t, "other service's practitioner", w.as("practitioner").get(reviewPath), http.StatusNotFound)
	wantStatus(t, "other service's manager", w.as("manager").get(list), http.StatusNotFound)

	// Finish it; the next review links back to it.
	for i := 0; i < 2; i++ {
		p := coord.get(reviewPath)
		v := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(p.Body)[1]
		wantStatus(t, "advance", coord.post(reviewPath+"/stage", url.Values{"version": {v}}), http.StatusSeeOther)
	}
	wantBody(t, "complete", coord.get(reviewPath), `aria-current="step">Complete`, "Completed")
	next := mgr.post(list, url.Values{"title": {"Autumn 2027 review"}, "coordinator": {fmt.Sprint(w.users["otherManager"].ID)}})
	wantStatus(t, "next review", next, http.StatusSeeOther)
	wantBody(t, "next review", mgr.get(next.Location), "Spring 2027 review")
	wantBody(t, "list", coord.get(list), "Autumn 2027 review", "Spring 2027 review", "Complete")
}
