package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/alongside-recovery/alongside"
)

var tokenField = regexp.MustCompile(`name="form_token" value="([^"]+)"`)

// formToken is the one-time token of the form on a page.
func formToken(t testing.TB, r response) string {
	t.Helper()
	m := tokenField.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("the form has no one-time token: %d %.300s", r.Status, r.Body)
	}
	return m[1]
}

// withToken opens the form at path and returns form with its one-time
// token added.
func (c *client) withToken(path string, form url.Values) url.Values {
	c.w.t.Helper()
	form.Set("form_token", formToken(c.w.t, c.get(path)))
	return form
}

// answerOnce opens the survey's link as a new visitor and sends every
// agree5 item answered v, with the pairing code given.
func answerOnce(t *testing.T, w *world, link string, v int, code string) response {
	t.Helper()
	anon := w.as("anon")
	form := anon.withToken(link, url.Values{"pair_code": {code}})
	for _, it := range w.survey.Questionnaire.Items {
		if it.Type == alongside.ItemAgree5 {
			form.Set(it.Key, fmt.Sprint(v))
		}
	}
	return anon.post(link, form)
}

// A manager starts a survey from the form; mistakes are explained and the
// form kept.
func TestStartingASurvey(t *testing.T) {
	w := newWorld(t, "sqlite")
	mgr := w.as("manager")
	surveys := fmt.Sprintf("/services/%d/surveys", w.svcA.ID)
	wantBody(t, "the list", mgr.get(surveys), "Staff survey", "Start a survey")
	form := url.Values{"title": {"Experience 2027"}, "questionnaire": {"people-experience@1"}, "label": {"Baseline"},
		"opens_on": {"2027-03-31"}, "closes_on": {"2027-03-01"}, "rate_limit": {"600"}}
	r := mgr.post(surveys, form)
	wantStatus(t, "closing before opening", r, http.StatusUnprocessableEntity)
	wantBody(t, "says so, keeps the title", r, "on or after the opening date", `value="Experience 2027"`)
	form.Set("closes_on", "2027-04-30")
	r = mgr.post(surveys, form)
	wantStatus(t, "started", r, http.StatusSeeOther)
	wantBody(t, "its page", mgr.get(r.Location), "Experience 2027", "/s/", "<svg")
}

// An administrator adds a questionnaire as a file; a bad one is refused
// whole with its lines named.
func TestAddingAQuestionnaire(t *testing.T) {
	w := newWorld(t, "sqlite")
	admin := w.as("orgadmin")
	path := fmt.Sprintf("/orgs/%d/questionnaires", w.org.ID)
	bad := "questionnaire: team-climate\nversion: 1\ntitle: Team climate\naudience: everyone\nsource: Written by us\n"
	r := admin.upload(path, "file", "bad.txt", bad)
	wantStatus(t, "bad file", r, http.StatusUnprocessableEntity)
	wantBody(t, "problems by line", r, "nothing was added", "Line 4")
	good := "questionnaire: team-climate\nversion: 1\ntitle: Team climate\naudience: staff\nsource: Written by us\n\ndomain: support\nname: Support\nagree5 support-asked: I can ask colleagues for help.\n"
	wantStatus(t, "good file", admin.upload(path, "file", "good.txt", good), http.StatusSeeOther)
	wantBody(t, "listed", admin.get(path), "Team climate", "Added by your organisation")
	wantStatus(t, "the same version again", admin.upload(path, "file", "good.txt", good), http.StatusConflict)
	wantBody(t, "offered to managers", w.as("manager").get(fmt.Sprintf("/services/%d/surveys", w.svcA.ID)), "Team climate (version 1)")
}

// answerWith opens the survey's link as a new visitor and sends the answers
// given, item by item.
func answerWith(t *testing.T, w *world, link string, answers map[string]string) {
	t.Helper()
	anon := w.as("anon")
	form := anon.withToken(link, url.Values{})
	for k, v := range answers {
		form.Set(k, v)
	}
	wantStatus(t, "an answer", anon.post(link, form), http.StatusOK)
}
