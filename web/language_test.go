package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/internal/testdb"
)

// A practitioner's note with deficit words is saved, and the save shows the
// words marked with the reason and alternatives; set aside for this text
// or for good, they are not shown again there, and can be brought back.
func TestLanguageSuggestionsOnSave(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			prac := w.as("practitioner")
			reflect := fmt.Sprintf("/practitioners/%d/reflect", w.users["practitioner"].ID)
			note := reflection

			r := prac.post(reflect, note("Went over the crisis plan. Still non-compliant with the tablets."))
			wantStatus(t, "saved, with a thought about words", r, http.StatusOK)
			wantBody(t, "the words marked, the reason, the way on", r, "Reflection saved", "<mark>non-compliant</mark>", "You might write",
				"Not for this text", "Never suggest this", fmt.Sprintf(`href="/practitioners/%d/reflections"`, w.users["practitioner"].ID))
			wantBody(t, "the reflection was kept", prac.get(fmt.Sprintf("/practitioners/%d/reflections", w.users["practitioner"].ID)), "1 yes, 0 partly, 0 no")

			// Seen as they typed (the script says so): straight on.
			seen := note("Still non-compliant.")
			seen.Set("suggestions_seen", "1")
			wantStatus(t, "seen as typed", prac.post(reflect, seen), http.StatusSeeOther)

			// Clean words: straight on.
			wantStatus(t, "nothing to suggest", prac.post(reflect, note("We planned a walk together.")), http.StatusSeeOther)

			// Set aside for this text: gone here, still shown elsewhere.
			r = prac.post("/language/dismiss", url.Values{"entry": {"non compliant"}, "key": {reflect + "#note"}, "scope": {"text"}, "next": {reflect}})
			wantStatus(t, "set aside here", r, http.StatusSeeOther)
			if r.Location != reflect {
				t.Fatalf("after setting aside, went to %q, want %q", r.Location, reflect)
			}
			wantStatus(t, "not again in this text", prac.post(reflect, note("Non-compliant again.")), http.StatusSeeOther)
			check := prac.post("/language/check", url.Values{"text": {"non-compliant"}, "key": {"/elsewhere#text"}})
			wantStatus(t, "still suggested elsewhere", check, http.StatusOK)
			wantBody(t, "as a note", check, "non-compliant", "suggestion")

			// For good: nowhere, listed on the account page, and brought back.
			wantStatus(t, "set aside for good", prac.post("/language/dismiss", url.Values{"entry": {"non compliant"}, "scope": {"always"}}), http.StatusSeeOther)
			wantStatus(t, "not elsewhere either", prac.post("/language/check", url.Values{"text": {"non-compliant"}, "key": {"/elsewhere#text"}}), http.StatusNoContent)
			wantBody(t, "account lists it", prac.get("/account"), "You have set aside for good", "non compliant")
			wantStatus(t, "bring back", prac.post("/account/language", url.Values{"bring_back": {"1"}}), http.StatusSeeOther)
			wantStatus(t, "shown again", prac.post("/language/check", url.Values{"text": {"non-compliant"}, "key": {"/elsewhere#text"}}), http.StatusOK)

			// The script's dismissal answers without a page.
			req := url.Values{"entry": {"non compliant"}, "scope": {"always"}}
			r = prac.do(http.MethodPost, "/language/dismiss", req)
			wantStatus(t, "no script header: a redirect", r, http.StatusSeeOther)
		})
	}
}

// Someone writing their own plan gets no suggestions unless they turn them
// on; a practitioner adding to the person's words is told only about their
// own; a supporter's view gets them too.
func TestLanguageSuggestionsInThePlan(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			person, prac := w.as("person"), w.as("practitioner")
			section := fmt.Sprintf("/people/%d/plan/sections/strengths", w.users["person"].ID)
			page := person.get(section)
			wantStatus(t, "the person's section", page, http.StatusOK)
			fields := sectionFieldNames(page.Body)
			if len(fields) == 0 {
				t.Fatal("no free-text field in the section")
			}
			field := fields[0]

			r := person.post(section, url.Values{field: {"I suffer from voices, and I was a frequent flyer at A&E."}, "version": {"0"}})
			wantStatus(t, "the person's words are theirs", r, http.StatusSeeOther)
			wantStatus(t, "no checking for them either", person.post("/language/check", url.Values{"text": {"I suffer from voices"}}), http.StatusNoContent)
			if got := person.post("/language/check", url.Values{"text": {"I suffer from voices"}}); got.Header.Get("X-Suggestions") != "off" {
				t.Fatal("the script is not told to stop checking for someone who has not asked for suggestions")
			}

			// The practitioner adds a line: only their words are noted.
			text := "I suffer from voices, and I was a frequent flyer at A&E.\nStaff note: attention seeking at night."
			r = prac.post(section, url.Values{field: {text}, "version": {"1"}})
			wantStatus(t, "practitioner's save", r, http.StatusOK)
			wantBody(t, "their own words noted", r, "<mark>attention seeking</mark>")
			if strings.Contains(r.Body, "<mark>suffer from</mark>") || strings.Contains(r.Body, "<mark>frequent flyer</mark>") {
				t.Fatal("the practitioner was told about the person's own words")
			}

			// The person turns suggestions on for themselves.
			wantBody(t, "offered on the account page", person.get("/account"), "Turn on suggestions in my writing")
			wantStatus(t, "turn on", person.post("/account/language", url.Values{"suggestions": {"on"}}), http.StatusSeeOther)
			wantBody(t, "now on", person.get("/account"), "Turn off suggestions")
			r = person.post(section, url.Values{field: {text + "\nI am a schizophrenic."}, "version": {"2"}})
			wantStatus(t, "their own save now noted", r, http.StatusOK)
			wantBody(t, "their new words", r, "<mark>a schizophrenic</mark>")

			// The supporter's view on the section shared with them.
			hopes := fmt.Sprintf("/people/%d/plan/sections/hopes", w.users["person"].ID)
			r = w.as("supporter").post(hopes+"/views", url.Values{"view": {"She suffers from low moods but keeps going."}})
			wantStatus(t, "supporter's view", r, http.StatusOK)
			wantBody(t, "noted", r, "<mark>suffers from</mark>", "Your view is added")
		})
	}
}

// reflection is an after-session reflection form: "yes" to every tip, and
// the note.
func reflection(note string) url.Values {
	v := url.Values{"note": {note}}
	for _, tip := range content.DefaultPractice().Tips {
		v.Set(tip.Key, "yes")
	}
	return v
}

// sectionFieldNames are the names of a plan section form's text boxes.
func sectionFieldNames(body string) []string {
	var out []string
	for _, part := range strings.Split(body, "<textarea")[1:] {
		i := strings.Index(part, `name="`)
		if i < 0 {
			continue
		}
		name := part[i+6:]
		out = append(out, name[:strings.Index(name, `"`)])
	}
	return out
}
