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

// The crisis plan is a page to read: the person and their practitioner see
// each part with a Change link, numbers as tap-to-call links and their own
// line breaks; a supporter it is not shared with is told so kindly, and one
// it is shared with reads it under the person's name without Change links;
// the help-now numbers are always there.
func TestCrisisPlanReadsAsAPage(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			person, prac, sup := w.as("person"), w.as("practitioner"), w.as("supporter")
			id := w.users["person"].ID
			crisis := fmt.Sprintf("/people/%d/crisis", id)
			plan := fmt.Sprintf("/people/%d/plan", id)

			wantBody(t, "the plan links to it", person.get(plan), `href="`+crisis+`">My crisis plan`)
			wantBody(t, "nothing written", person.get(crisis), "My crisis plan", "Nothing is written in your crisis plan yet",
				"If you need help now", `href="tel:116123"`, "Breathing Space", `href="tel:&#43;44800838587"`)

			contacts := "1. My sister Ann 07700 900123\n2. GP (0141) 123 4567\n3. Agreed on 2 December 2026 <b>not bold</b>"
			saved := person.post(plan+"/sections/crisis", url.Values{"version": {"0"}, "contacts": {contacts}, "helps": {"A quiet room"}})
			wantStatus(t, "person writes", saved, http.StatusSeeOther)
			if saved.Location != crisis {
				t.Fatalf("saving the crisis plan leads to %q, want back to %q", saved.Location, crisis)
			}

			mine := person.get(crisis)
			wantBody(t, "the person's page", mine, "<h1 class=\"page-title\">My crisis plan</h1>", "A quiet room",
				`<a class="tel" href="tel:+447700900123">07700 900123</a>`,
				`<a class="tel" href="tel:+441411234567">(0141) 123 4567</a>`,
				"1. My sister Ann <a", "</a>\n2. GP", // the lines as typed
				"Agreed on 2 December 2026 &lt;b&gt;not bold&lt;/b&gt;",
				`href="/people/`+fmt.Sprint(id)+`/plan/sections/crisis#contacts">Change<span class="visually-hidden"> “Who to contact”`,
				"Not written yet", "If you need help now", "/crisis/print", "/crisis/card")
			if strings.Contains(mine.Body, "<b>not bold") || strings.Contains(mine.Body, `tel:2`) {
				t.Fatal("the crisis plan let HTML through, or linked a date")
			}
			if strings.Contains(mine.Body, "<textarea") {
				t.Fatal("the crisis plan page is a form")
			}

			theirs := prac.get(crisis)
			wantBody(t, "the practitioner's page", theirs, "Pat Person’s crisis plan", "07700 900123", ">Change<", "If you need help now")

			// The supporter is shared "hopes" only.
			r := sup.get(crisis)
			wantStatus(t, "supporter, not shared", r, http.StatusOK)
			wantBody(t, "supporter, not shared", r, "Pat Person’s crisis plan", "Pat Person has not shared this part of their plan with you", "If you need help now", `href="tel:999"`)
			if strings.Contains(r.Body, "07700 900123") || strings.Contains(r.Body, ">Change<") || strings.Contains(r.Body, "/crisis/print") {
				t.Fatal("a supporter it is not shared with sees the crisis plan, or may change or print it")
			}
			wantStatus(t, "supporter, not shared, print", sup.get(crisis+"/print"), http.StatusForbidden)
			wantBody(t, "the supporter's page of the person links to it", sup.get(fmt.Sprintf("/people/%d", id)), `href="`+crisis+`"`)

			links, err := w.store.Links.Supporters(ctx, id)
			must(t, err)
			must(t, w.store.Plans.SetPlanSharing(ctx, id, alongside.PlanSharing{links[0].ID: {"hopes": true, alongside.SectionCrisis: false}}, w.svcA.ID))
			sup = w.as("supporter")
			r = sup.get(crisis)
			wantBody(t, "supporter, shared", r, "Pat Person’s crisis plan", `<a class="tel" href="tel:+447700900123">07700 900123</a>`, "If you need help now")
			if strings.Contains(r.Body, ">Change<") || strings.Contains(r.Body, "has not shared") {
				t.Fatal("a supporter who may only read is offered Change, or told it is not shared")
			}
			wantBody(t, "supporter's plan page links to it", sup.get(plan), `href="`+crisis+`">Pat Person’s crisis plan`)

			// One page to print, and the pocket card.
			wantBody(t, "print", person.get(crisis+"/print"), "Crisis plan: Pat Person", "07700 900123", "If you need help now")
			wantBody(t, "card", person.get(crisis+"/card"), "Crisis card", "Who to call", "07700 900123", "What helps me", "A quiet room", "116 123")

			// Someone with no tie to the person: as if it were not there.
			wantStatus(t, "another service's practitioner", w.as("otherPractitioner").get(crisis), http.StatusNotFound)
			wantStatus(t, "the manager", w.as("manager").get(crisis), http.StatusForbidden)

			// Reading it is audited against the person.
			events, _, err := w.store.Audit.AuditEvents(ctx, alongside.AuditFilter{Action: "plan.view", Limit: 50})
			must(t, err)
			seen := false
			for _, e := range events {
				seen = seen || (e.TargetID == id && e.Detail == alongside.SectionCrisis)
			}
			if !seen {
				t.Fatal("reading the crisis plan was not audited")
			}
		})
	}
}

// An organisation's administrator changes the help-now numbers for their
// area: a mistake is refused with its line, the text kept; a stale save is
// a conflict; the crisis plan and the anonymous thank-you screens then show
// the organisation's own numbers.
func TestHelpNowNumbersForAnOrganisation(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			admin := w.as("orgadmin")
			page := fmt.Sprintf("/orgs/%d/help-now", w.org.ID)
			crisis := fmt.Sprintf("/people/%d/crisis", w.users["person"].ID)
			wantBody(t, "the org page links to it", admin.get(fmt.Sprintf("/orgs/%d", w.org.ID)), `href="`+page+`"`)
			wantBody(t, "the settings page links to it", admin.get(fmt.Sprintf("/orgs/%d/settings", w.org.ID)), `href="`+page+`"`)
			wantBody(t, "shipped numbers", admin.get(page), "The numbers that come with Alongside", "Samaritans | 116 123", `name="version" value="0"`)

			bad := "Highland crisis team | 01463 704000 | Day or night.\nDad | 2 December 2026 | Evenings."
			r := admin.post(page, url.Values{"version": {"0"}, "body": {bad}})
			wantStatus(t, "a date for a number", r, http.StatusUnprocessableEntity)
			wantBody(t, "a date for a number", r, "Line 2: &#34;2 December 2026&#34; is not a UK telephone number", "Dad | 2 December 2026 | Evenings.")

			own := "Highland crisis team | 01463 704000 | Day or night.\nSamaritans | 116 123 | Any time."
			wantStatus(t, "saved", admin.post(page, url.Values{"version": {"0"}, "body": {own}}), http.StatusSeeOther)
			r = admin.post(page, url.Values{"version": {"0"}, "body": {"Samaritans | 116 123 | Any time, day or night."}})
			wantStatus(t, "stale", r, http.StatusConflict)
			wantBody(t, "stale kept", r, "Any time, day or night.", `name="version" value="1"`)

			mine := w.as("person").get(crisis)
			wantBody(t, "the org's own numbers", mine, "Highland crisis team", `href="tel:&#43;441463704000"`)
			if strings.Contains(mine.Body, "Breathing Space") {
				t.Fatal("the crisis plan still shows the shipped numbers")
			}

			// The anonymous survey's closing screen shows them too.
			link := "/s/" + w.survey.Waves[0].Token
			anon := w.as("anon")
			nonce := formToken(t, anon.get(link))
			first := w.survey.Questionnaire.Items[0].Key
			done := anon.post(link, url.Values{"form_token": {nonce}, first: {"4"}})
			wantBody(t, "survey thank-you", done, "Thank you", "If you need help now", "Highland crisis team", `href="tel:116123"`)

			// Back to the shipped numbers.
			wantStatus(t, "shipped again", admin.post(page, url.Values{"version": {"1"}, "shipped": {"1"}}), http.StatusSeeOther)
			wantBody(t, "shipped again", w.as("person").get(crisis), "Breathing Space", `href="tel:&#43;44800838587"`)
		})
	}
}

// The SRI 2 sheet a carer answers by link ends with the help-now numbers.
func TestAnswerSheetThankYouShowsHelpNow(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			advance(w, w.review)
			tokens, err := w.store.Links.IssueInvitations(ctx, w.review, alongside.SourceCarers, 1, 14)
			must(t, err)
			r := w.as("anon").post("/answer/"+tokens[0], url.Values{"r-carers-1": {"5"}})
			wantBody(t, "thank-you", r, "Thank you", "If you need help now", `href="tel:999"`, "Samaritans", "116 123")
		})
	}
}
