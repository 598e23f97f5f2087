package web_test

import (
	"bytes"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/web"
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

// Answering through the link: no account, a form counted once however
// often it is sent, answers kept when refused, a clear message when closed
// or busy.
func TestSurveyAnswering(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			link := "/s/" + w.survey.Waves[0].Token
			anon := w.as("anon")
			page := anon.get(link)
			wantBody(t, "the questionnaire", page, w.survey.Questionnaire.Title, "We do not ask your name", "Your own code (optional)")
			nonce := formToken(t, page)

			first := w.survey.Questionnaire.Items[0].Key
			r := anon.post(link, url.Values{"form_token": {nonce}})
			wantStatus(t, "nothing answered", r, http.StatusUnprocessableEntity)
			wantBody(t, "says so", r, "Answer at least one question")

			var text alongside.SurveyItem
			for _, it := range w.survey.Questionnaire.Items {
				if it.Type == alongside.ItemText {
					text = it
				}
			}
			r = anon.post(link, url.Values{"form_token": {nonce}, first: {"4"}, text.Key: {"Ask about 0101901234"}})
			wantStatus(t, "a CHI number in a comment", r, http.StatusUnprocessableEntity)
			wantBody(t, "refused, kept", r, "looks like a CHI number", fmt.Sprintf(`name="%s" value="4" checked`, first), "Ask about")

			form := url.Values{"form_token": {nonce}, first: {"4"}, text.Key: {"More time to talk in team meetings"}}
			wantBody(t, "thanks", anon.post(link, form), "Thank you")
			wantBody(t, "sent twice", anon.post(link, form), "Thank you")
			sum, err := w.store.Surveys.WaveSummary(ctx, &w.survey.Waves[0], 0)
			must(t, err)
			if sum.Respondents != 1 {
				t.Fatalf("a form sent twice counted %d times", sum.Respondents)
			}

			// A limit of 10 sendings a minute, of which four are used above:
			// the eleventh is turned back, its answers kept.
			sv, err := w.store.Surveys.Survey(ctx, w.survey.ID)
			must(t, err)
			must(t, w.store.Surveys.SetSurveyRateLimit(ctx, sv, 10))
			w.survey = sv
			for i := range 6 {
				wantStatus(t, fmt.Sprint("answer ", i), answerOnce(t, w, link, 3, ""), http.StatusOK)
			}
			r = answerOnce(t, w, link, 5, "")
			wantStatus(t, "over the limit", r, http.StatusTooManyRequests)
			wantBody(t, "kept", r, "Please wait a minute", fmt.Sprintf(`name="%s" value="5" checked`, first))

			wave := w.survey.Waves[0]
			wave.OpensOn, wave.ClosesOn = "2020-01-01", "2020-01-31"
			must(t, w.store.Surveys.SetWaveDates(ctx, w.survey, &wave))
			wantBody(t, "closed", anon.get(link), "This survey closed on 31 January 2020")
			wantStatus(t, "closed: an answer is refused", anon.post(link, form), http.StatusGone)
		})
	}
}

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

// An answer is tied to nobody: a signed-in member of staff answering
// through the link leaves no account, no address and no time of day in
// storage, the audit log or the request log.
func TestSurveyAnswersAreAnonymous(t *testing.T) {
	var logs bytes.Buffer
	w := newWorld(t, "sqlite", func(c *web.Config) { c.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) })
	prac := w.as("practitioner")
	link := "/s/" + w.survey.Waves[0].Token
	form := prac.withToken(link, url.Values{w.survey.Questionnaire.Items[0].Key: {"5"}, "pair_code": {"kestrel 42"}})
	wantBody(t, "answered", prac.post(link, form), "Thank you")

	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, `"route":"POST /s/{token}"`) || strings.Contains(line, `"route":"GET /s/{token}"`) {
			if strings.Contains(line, `"ip"`) || strings.Contains(line, "practitioner") {
				t.Fatalf("the request log ties an answer to someone: %s", line)
			}
		}
	}
	db := w.store.DB()
	var n int
	must(t, db.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_events WHERE target_kind = 'survey' OR action LIKE 'survey.answer%'").Scan(&n))
	if n != 1 { // the survey's creation alone
		t.Fatalf("%d audit lines about the survey, want only its creation", n)
	}
	var day, pair, nonce string
	must(t, db.QueryRowContext(ctx, "SELECT received_on, pair_code, nonce FROM survey_responses").Scan(&day, &pair, &nonce))
	if len(day) != len("2006-01-02") || strings.Contains(pair, "kestrel") || strings.Contains(form.Get("form_token"), nonce) {
		t.Fatalf("stored: day %q, code %q, nonce %q", day, pair, nonce)
	}
	rows, err := db.QueryContext(ctx, "SELECT * FROM survey_responses")
	must(t, err)
	cols, _ := rows.Columns()
	rows.Close()
	for _, c := range cols {
		if strings.Contains(c, "user") || strings.Contains(c, "ip") || strings.Contains(c, "_at") {
			t.Fatalf("a response has a column %q", c)
		}
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
