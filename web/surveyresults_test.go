package web_test

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
)

// Results: nothing below five respondents; then distributions, domain
// scores and, with a follow-up, the change, paired where codes match. The
// export ties no answer to anyone.
func TestSurveyResultsAndExport(t *testing.T) {
	w := newWorld(t, "sqlite")
	mgr := w.as("manager")
	survey := fmt.Sprintf("/surveys/%d", w.survey.ID)
	link := "/s/" + w.survey.Waves[0].Token
	for i := range 4 {
		answerOnce(t, w, link, 2+i%2, fmt.Sprintf("code-%d", i))
	}
	wantBody(t, "four: nothing", mgr.get(survey+"/results"), "Fewer than 5 people have answered")
	for i := 4; i < 8; i++ {
		answerOnce(t, w, link, 2+i%2, fmt.Sprintf("code-%d", i))
	}
	page := mgr.get(survey + "/results")
	wantBody(t, "eight: shown", page, "Baseline: 8 responses", "Domain scores (0 to 100) in Baseline", "<svg")
	// Half answered 2 (score 25), half 3 (score 50) on every agree5 item.
	dom := w.survey.Questionnaire.Domains[0]
	wantBody(t, "the domain's score", page, fmt.Sprintf(`<th scope="row">%s</th><td class="num" data-label="People answering">8</td><td class="num" data-label="Score">38</td>`, dom.Name))

	today := w.store.Clock.Now().UTC().Format("2006-01-02")
	wantStatus(t, "a follow-up", mgr.post(survey+"/waves", url.Values{"label": {"Follow-up"}, "opens_on": {today}, "closes_on": {today}}), http.StatusSeeOther)
	sv, err := w.store.Surveys.Survey(ctx, w.survey.ID)
	must(t, err)
	w.survey = sv
	follow := "/s/" + sv.Waves[1].Token
	for i := range 8 {
		answerOnce(t, w, follow, 4, fmt.Sprintf("CODE %d", i)) // the same codes, written differently
	}
	page = mgr.get(survey + "/results")
	// By hand: baseline four 25s and four 50s (mean 37.5, SD 13.363), follow-up
	// eight 75s (SD 0). Welch: SE 13.363/√8 = 4.725 on 7 df, t 2.3646, so
	// 37.5 ± 11.17 = 26.3 to 48.7. Hedges' g: pooled SD √(7×178.57/14) = 9.449,
	// 37.5/9.449 × (1 − 3/55) = 3.75. Paired: differences 50 and 25 alike, the
	// same interval, d_z = 37.5/13.363 = 2.81.
	wantBody(t, "change", page, "Change from Baseline to Follow-up", "&#43;37.5 (95% CI 26.3 to 48.7), Hedges’ g 3.75; 8 and 8 people",
		"&#43;37.5 (95% CI 26.3 to 48.7), d<sub>z</sub> 2.81; 8 pairs")

	csv := mgr.get(survey + "/responses.csv")
	wantStatus(t, "export", csv, http.StatusOK)
	lines := strings.Split(strings.TrimSpace(csv.Body), "\n")
	if !strings.Contains(lines[0], "Wave,Service,Day received,Pairing pseudonym,Paper") || !strings.HasPrefix(lines[1], "Baseline,") {
		t.Fatalf("export starts %q", lines[:2])
	}
	if strings.Contains(csv.Body, "code-1") || strings.Contains(csv.Body, "CODE") {
		t.Fatal("the export holds a pairing code itself")
	}
	x := mgr.get(survey + "/responses.xlsx")
	if x.Status != http.StatusOK || !strings.HasPrefix(x.Body, "PK") {
		t.Fatalf("xlsx: %d", x.Status)
	}

	// The manager enters a paper sheet; it counts, marked as paper.
	paper := fmt.Sprintf("%s/waves/%d/paper", survey, sv.Waves[1].ID)
	form := mgr.withToken(paper, url.Values{w.survey.Questionnaire.Items[0].Key: {"5"}})
	wantStatus(t, "paper sheet", mgr.post(paper, form), http.StatusSeeOther)
	if !strings.Contains(mgr.get(survey+"/responses.csv").Body, ",yes,5") {
		t.Fatal("the paper sheet is not in the export, marked as paper")
	}
	wantBody(t, "printable", mgr.get(survey+"/print"), "Do not write your name", "☐ Strongly agree")
	qr := mgr.get(fmt.Sprintf("%s/waves/%d/qr.svg", survey, sv.Waves[0].ID))
	if qr.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(qr.Body, "<svg") {
		t.Fatalf("QR code: %q", qr.Header.Get("Content-Type"))
	}
}

// A network survey's results, filtered to one service, show only that
// service's answers (nothing below five), and its manager can attach them
// to the service's review.
func TestNetworkSurveyFilteredAndAttached(t *testing.T) {
	w := newWorld(t, "sqlite")
	today := w.store.Clock.Now().UTC().Format("2006-01-02")
	sv := &alongside.Survey{OrgID: w.org.ID, Title: "Network staff survey", Questionnaire: w.survey.Questionnaire, Body: w.survey.Body,
		RateLimit: alongside.DefaultSurveyRateLimit, CreatedBy: w.users["lead"].ID}
	must(t, w.store.Surveys.CreateSurvey(ctx, sv, &alongside.Wave{Label: "Baseline", OpensOn: today, ClosesOn: today}))
	answer := func(service int64, n int) {
		for i := range n {
			a := alongside.SurveyAnswer{sv.Questionnaire.Items[0].Key: "4"}
			_, err := w.store.Surveys.Respond(ctx, sv, &sv.Waves[0], service, a, "", fmt.Sprintf("net-%d-%016d", service, i), false)
			must(t, err)
		}
	}
	answer(w.svcA.ID, 5)
	answer(w.svcB.ID, 3)
	mgr := w.as("manager")
	results := fmt.Sprintf("/surveys/%d/results", sv.ID)
	wantBody(t, "all services", mgr.get(results), "Baseline: 8 responses")
	wantBody(t, "service B alone: too few", mgr.get(fmt.Sprintf("%s?service=%d", results, w.svcB.ID)), "Fewer than 5 people have answered for this service")
	page := mgr.get(fmt.Sprintf("%s?service=%d", results, w.svcA.ID))
	wantBody(t, "service A alone", page, "Baseline: 5 responses", "Use as evidence in a review")
	r := mgr.post(fmt.Sprintf("/surveys/%d/evidence?service=%d", sv.ID, w.svcA.ID), url.Values{"review": {fmt.Sprint(w.review.ID)}, "indicator": {"staff-supported"}})
	wantStatus(t, "attached", r, http.StatusSeeOther)
	ev, err := w.store.Reviews.ReviewEvidence(ctx, w.review.ID)
	must(t, err)
	if len(ev) != 1 || !strings.Contains(ev[0].Title, w.svcA.Name) || ev[0].Figures[0].Value != "5" {
		t.Fatalf("attached %+v", ev)
	}
	wantStatus(t, "not the lead's survey to run", mgr.get(fmt.Sprintf("/surveys/%d", sv.ID)), http.StatusForbidden)
}

// The change between waves is said in plain words before its figures,
// per domain and per question, the two waves side by side: a rise whose
// interval lies above zero is a clear improvement, one spanning zero no
// clear change, one below zero a clear fall; a figure fewer than five
// people stand behind is not shown, nor judged.
func TestSurveyChangeInPlainWords(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			mgr := w.as("manager")
			survey := fmt.Sprintf("/surveys/%d", w.survey.ID)
			q := w.survey.Questionnaire
			hope, choice, strengths := q.InDomain("hope"), q.InDomain("self-determination"), q.InDomain("strengths")
			if len(hope) == 0 || len(choice) == 0 || len(strengths) < 3 {
				t.Fatal("the staff questionnaire's domains have changed")
			}
			// answers: each domain's items answered a or b, by turns.
			answers := func(i int, domains map[string][2]int, skip string) map[string]string {
				a := map[string]string{}
				for d, ab := range domains {
					for _, it := range q.InDomain(d) {
						if it.Key != skip {
							a[it.Key] = fmt.Sprint(ab[i%2])
						}
					}
				}
				return a
			}
			link := "/s/" + w.survey.Waves[0].Token
			for i := range 8 {
				answerWith(t, w, link, answers(i, map[string][2]int{"hope": {2, 3}, "self-determination": {3, 4}, "strengths": {4, 5}}, ""))
			}
			today := w.store.Clock.Now().UTC().Format("2006-01-02")
			wantStatus(t, "a follow-up", mgr.post(survey+"/waves", url.Values{"label": {"Follow-up"}, "opens_on": {today}, "closes_on": {today}}), http.StatusSeeOther)
			sv, err := w.store.Surveys.Survey(ctx, w.survey.ID)
			must(t, err)
			follow := "/s/" + sv.Waves[1].Token
			// Hope rises to 4 from 2 and 3; choice stays at 3 and 4;
			// strengths falls to 1 and 2 from 4 and 5. Only four answer
			// the last strengths question at follow-up.
			last := strengths[len(strengths)-1]
			for i := range 8 {
				skip := ""
				if i >= 4 {
					skip = last.Key
				}
				answerWith(t, w, follow, answers(i, map[string][2]int{"hope": {4, 4}, "self-determination": {3, 4}, "strengths": {1, 2}}, skip))
			}
			page := mgr.get(survey + "/results")
			row := func(name string) string {
				t.Helper()
				m := regexp.MustCompile(`<tr><th scope="row">` + regexp.QuoteMeta(template.HTMLEscapeString(name)) + `</th>(?s:.*?)</tr>`).FindString(page.Body)
				if m == "" {
					t.Fatalf("no row for %q side by side:\n%s", name, snippet(page.Body))
				}
				return m
			}
			verdictFirst := func(what, r, words string) {
				t.Helper()
				v, ci := strings.Index(r, words), strings.Index(r, "95% CI")
				if v < 0 {
					t.Errorf("%s: the row does not say %q: %s", what, words, r)
				} else if ci >= 0 && ci < v {
					t.Errorf("%s: the figures come before the verdict: %s", what, r)
				}
			}
			// Domains on 0–100: hope 25 and 50 by turns (37.5, shown 38) then 75.
			hopeRow := row("Hope and belief in recovery")
			verdictFirst("hope", hopeRow, "Clear improvement")
			wantBody(t, "hope side by side", response{Body: hopeRow}, `data-label="Baseline">38</td>`, `data-label="Follow-up">75</td>`)
			verdictFirst("choice", row("Choice and self-determination"), "No clear change")
			verdictFirst("strengths", row("Strengths"), "Clear fall")

			// Each question, on its own scale.
			q1 := row(hope[0].Text)
			verdictFirst("a hope question", q1, "Clear improvement")
			wantBody(t, "a hope question side by side", response{Body: q1}, `data-label="Baseline">2.5 of 5</td>`, `data-label="Follow-up">4.0 of 5</td>`)
			verdictFirst("a choice question", row(choice[0].Text), "No clear change")
			verdictFirst("a strengths question", row(strengths[0].Text), "Clear fall")
			// Four answers at follow-up: not shown, not judged.
			few := row(last.Text)
			wantBody(t, "too few at follow-up", response{Body: few}, `data-label="Baseline">4.5 of 5</td>`,
				`data-label="Follow-up"><span class="hint">fewer than 5 answered</span></td>`, "Too few answers to compare")
			if strings.Contains(few, "Clear") || strings.Contains(few, "95% CI") {
				t.Errorf("a question four people answered is judged: %s", few)
			}
			if strings.Index(page.Body, "Change from Baseline to Follow-up") > strings.Index(page.Body, "Baseline: 8 responses") {
				t.Error("the change comes after each wave's own figures, not first")
			}
		})
	}
}
