package web_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/web"
)

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
