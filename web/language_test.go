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

// An administrator edits the organisation's list: a mistake is refused
// whole with its line and the text kept; a new entry is suggested on from
// the next check; a stale save is a conflict.
func TestLanguageListEditedByAdministrator(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			admin := w.as("orgadmin")
			list := fmt.Sprintf("/orgs/%d/language", w.org.ID)
			page := admin.get(list)
			wantBody(t, "the shipped list", page, "The list that comes with Alongside", "non-compliant", "Edit the list")

			shipped := content.DefaultSuggestionsText()
			bad := shipped + "\nphrase: service refuser\ncategory: grumpy\nreason: A label.\ninstead: someone who chose not to come\n"
			r := admin.post(list, url.Values{"body": {bad}, "version": {"0"}})
			wantStatus(t, "a mistake", r, http.StatusUnprocessableEntity)
			line := strings.Count(shipped, "\n") + 3
			wantBody(t, "with its line, text kept", r, fmt.Sprintf("Line %d:", line), "service refuser")
			wantStatus(t, "nothing saved", w.as("practitioner").post("/language/check", url.Values{"text": {"a service refuser"}}), http.StatusNoContent)

			good := strings.Replace(bad, "category: grumpy", "category: label", 1)
			wantStatus(t, "saved", admin.post(list, url.Values{"body": {good}, "version": {"0"}}), http.StatusSeeOther)
			check := w.as("practitioner").post("/language/check", url.Values{"text": {"He is a service refuser."}})
			wantStatus(t, "the new entry is used", check, http.StatusOK)
			wantBody(t, "with its alternative", check, "someone who chose not to come")
			wantBody(t, "the page says whose list", admin.get(list), "Your organisation’s own list", "Version 1, saved by Ola Orgadmin")

			wantStatus(t, "stale", admin.post(list, url.Values{"body": {shipped}, "version": {"0"}}), http.StatusConflict)
			wantStatus(t, "back to the shipped list", admin.post(list, url.Values{"shipped": {"1"}, "version": {"1"}}), http.StatusSeeOther)
			wantStatus(t, "the new entry is gone", w.as("practitioner").post("/language/check", url.Values{"text": {"He is a service refuser."}}), http.StatusNoContent)
		})
	}
}

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
