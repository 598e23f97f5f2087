package web_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/web"
)

// advance moves a review on one stage as the store would for its coordinator.
func advance(w *world, r *alongside.Review) {
	must(w.t, w.store.Reviews.AdvanceReview(ctx, r))
}

var linkRE = regexp.MustCompile(`href="(?:https?://[^/"]+)?(/answer/[^"]+)"`)

func TestSheetsInvitationsAndResults(t *testing.T) {
	var logs bytes.Buffer
	w := newWorld(t, "sqlite", func(c *web.Config) { c.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) })
	coord, team := w.as("practitioner"), w.as("supervisor")
	rp := fmt.Sprintf("/reviews/%d", w.review.ID)

	wantStatus(t, "sheet while planning", team.get(rp+"/sheets/assessments"), http.StatusConflict)
	wantBody(t, "blank sheet while planning", team.get(rp+"/sheets/carers/print"), "Review sheet: Informal carers", "Please do not write your name", "N/A")
	advance(w, w.review)
	wantBody(t, "review page", coord.get(rp), "Enter a paper sheet", "Invite staff, people or carers", "See the results so far")
	// Someone in the team but not coordinating enters records, not paper sheets from people.
	if r := team.get(rp); strings.Contains(r.Body, "Enter a paper sheet") || strings.Contains(r.Body, "Make the links") {
		t.Fatal("a team member is offered paper entry or invitations")
	}
	wantStatus(t, "team member entering a carer's paper sheet", team.get(rp+"/sheets/carers"), http.StatusForbidden)

	// A records sheet with a CHI number as its reference comes back with the input kept.
	bad := team.post(rp+"/sheets/assessments", team.withToken(rp+"/sheets/assessments", url.Values{"reference": {"1503751234"}, "r-goals-1": {"4"}, "e-goals": {"Goals in own words"}}))
	wantStatus(t, "CHI number as reference", bad, http.StatusUnprocessableEntity)
	wantBody(t, "CHI number as reference", bad, "CHI", `value="4" checked`, "Goals in own words")
	wantStatus(t, "records sheet", team.post(rp+"/sheets/assessments", team.withToken(rp+"/sheets/assessments", url.Values{"reference": {"A1"}, "r-goals-1": {"4"}, "r-goals-2": {"na"}, "e-goals": {"Goals in own words & <i>plans</i>"}})), http.StatusSeeOther)
	wantStatus(t, "nothing rated", team.post(rp+"/sheets/service-information", team.withToken(rp+"/sheets/service-information", url.Values{})), http.StatusUnprocessableEntity)

	// The coordinator enters a carer's paper sheet.
	wantStatus(t, "paper sheet", coord.post(rp+"/sheets/carers", coord.withToken(rp+"/sheets/carers", url.Values{"r-carers-1": {"2"}, "e-carers": {"Phoned back the same day"}})), http.StatusSeeOther)

	// Invitations: a bad count keeps the form; then five links for carers.
	r := coord.post(rp+"/invitations", url.Values{"source": {"carers"}, "count": {"0"}, "days": {"14"}})
	wantStatus(t, "no links", r, http.StatusUnprocessableEntity)
	wantBody(t, "no links", r, "between 1 and 100")
	r = coord.post(rp+"/invitations", url.Values{"source": {"carers"}, "count": {"6"}, "days": {"14"}})
	wantBody(t, "links", r, "6 invitation links", "cannot be shown again", "<svg")
	links := linkRE.FindAllStringSubmatch(r.Body, -1)
	if len(links) != 6 {
		t.Fatalf("found %d links on the page", len(links))
	}

	// A carer answers without an account; a mistake keeps their answers.
	carer := w.as("anon")
	first := links[0][1]
	page := carer.get(first)
	wantBody(t, "answer page", page, "How well does this service support recovery?", "We do not ask your name", "About 10 minutes", "Start")
	if strings.Contains(page.Body, "Sign out") {
		t.Fatal("the answer page shows account controls")
	}
	odd := carer.post(first, url.Values{"r-carers-1": {"7"}, "e-carers": {"They listen"}})
	wantStatus(t, "a rating off the scale", odd, http.StatusUnprocessableEntity)
	wantBody(t, "a rating off the scale", odd, "does not match", "They listen")
	empty := carer.post(first, url.Values{"e-carers": {"They listen to me"}})
	wantStatus(t, "no rating", empty, http.StatusUnprocessableEntity)
	wantBody(t, "no rating", empty, "Rate at least one statement", "They listen to me")
	wantBody(t, "answer", carer.post(first, url.Values{"r-carers-1": {"5"}, "e-carers": {"They listen to me"}}), "Thank you")
	again := carer.post(first, url.Values{"r-carers-1": {"5"}})
	wantStatus(t, "the same link again", again, http.StatusGone)
	wantBody(t, "the same link again", again, "This link has been used or has expired", "If you have already sent your answers, thank you")

	// Two carer sheets so far: no carers' figure, and no carers' comment.
	res := coord.get(rp + "/results")
	wantBody(t, "results", res, "Fewer than 5 sheets: not shown", "<li>Goals in own words &amp; &lt;i&gt;plans&lt;/i&gt;</li>", "Indicator profile", "<svg")
	if strings.Contains(res.Body, "They listen to me") || strings.Contains(res.Body, "Phoned back") {
		t.Fatal("a comment from fewer than 5 carers is shown")
	}
	for _, l := range links[1:5] {
		wantStatus(t, "answer", carer.post(l[1], url.Values{"r-carers-1": {"4"}}), http.StatusOK)
	}
	res = w.as("lead").get(rp + "/results")
	wantBody(t, "results with six carers", res, "They listen to me", "Phoned back the same day")
	// Six carers rated "carers 1": 2, 5, 4, 4, 4, 4 → mean 3.8.
	if !regexp.MustCompile(`Informal carers</th>\s*<td class="num" data-label="Sheets">6</td>\s*<td class="num" data-label="Average">3.8</td>`).MatchString(res.Body) {
		t.Fatalf("carers' row is not 6 sheets, mean 3.8:\n%s", snippet(res.Body))
	}
	wantBody(t, "review counts", coord.get(rp), "5 of 6 used", "(1 from paper)")

	// Anonymous answers name no address and no account, in the audit log or the access log.
	events, _, err := w.store.Audit.AuditEvents(ctx, alongside.AuditFilter{OrgID: w.org.ID, Action: "sheet.add"})
	must(t, err)
	anon := 0
	for _, e := range events {
		if e.Detail == "carers" && e.ActorID == 0 {
			anon++
			if e.IP != "" {
				t.Fatalf("an anonymous answer's audit line has an address: %+v", e)
			}
		}
	}
	if anon != 6-1 {
		t.Fatalf("%d anonymous carer answers in the audit log, want 5", anon)
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "/answer/{token}") && strings.Contains(line, `"ip"`) {
			t.Fatalf("the access log ties an answer to an address: %s", line)
		}
	}

	// Once gathering ends, links stop working and no sheet can be added,
	// even from a form opened before.
	lateForm := team.withToken(rp+"/sheets/assessments", url.Values{"reference": {"A2"}, "r-goals-1": {"3"}})
	advance(w, w.review)
	late := team.post(rp+"/sheets/assessments", lateForm)
	wantStatus(t, "sheet after gathering", late, http.StatusUnprocessableEntity)
	wantBody(t, "sheet after gathering", late, "while the review is gathering evidence")
	wantStatus(t, "unused link after gathering", carer.get(links[5][1]), http.StatusGone)
}

func TestAttachNoteAndCompareWithPreviousReview(t *testing.T) {
	w := newWorld(t, "sqlite")
	coord := w.as("practitioner")
	rp := fmt.Sprintf("/reviews/%d", w.review.ID)
	advance(w, w.review)
	bad := coord.post(rp+"/evidence", url.Values{"indicator": {"goals"}, "title": {""}, "text": {"Team day notes"}})
	wantStatus(t, "note without title", bad, http.StatusUnprocessableEntity)
	wantBody(t, "note without title", bad, "Give the evidence a short title", "Team day notes")
	r := coord.post(rp+"/evidence", url.Values{"indicator": {"goals"}, "title": {"Team day"}, "text": {"We agreed goals belong to people"}})
	wantStatus(t, "note", r, http.StatusSeeOther)
	wantBody(t, "note shown", coord.get(rp+"/results"), "Attached evidence", "Team day", "We agreed goals belong to people", "Attached by Priya Practitioner")

	// First cycle: records rate goals 2 on average.
	set, err := w.store.Reviews.ReviewStatementSet(ctx, w.review)
	must(t, err)
	for _, v := range []int{2, 2} {
		must(t, w.store.Reviews.AddSheet(ctx, w.review, set, &alongside.EvidenceSheet{Source: alongside.SourceCarePlans, Reference: "C1", EnteredBy: w.users["practitioner"].ID,
			Ratings: map[alongside.StatementRef]int{{Indicator: "goals", N: 1}: v}}))
	}
	advance(w, w.review)
	advance(w, w.review)
	next := &alongside.Review{ServiceID: w.svcA.ID, CoordinatorID: w.users["practitioner"].ID, Title: "Autumn review"}
	must(t, w.store.Reviews.StartReview(ctx, next))
	advance(w, next)
	must(t, w.store.Reviews.AddSheet(ctx, next, set, &alongside.EvidenceSheet{Source: alongside.SourceCarePlans, Reference: "C9", EnteredBy: w.users["practitioner"].ID,
		Ratings: map[alongside.StatementRef]int{{Indicator: "goals", N: 1}: 4}}))
	res := coord.get(fmt.Sprintf("/reviews/%d/results", next.ID))
	wantBody(t, "change", res, "change since Spring review", "2.0 before", "&#43;2.0", "not comparable")
	// The complete review takes no more evidence.
	done := coord.post(rp+"/evidence", url.Values{"indicator": {"goals"}, "title": {"Late"}, "text": {"x"}})
	wantBody(t, "late note", done, "This review is complete")
}
