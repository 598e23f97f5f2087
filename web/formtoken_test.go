package web_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/formtoken"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
	"github.com/alongside-recovery/alongside/web"
)

func responsesTo(t testing.TB, s *sqlstore.Store, waveID int64) int {
	t.Helper()
	var n int
	must(t, s.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM survey_responses WHERE wave_id = $1", waveID).Scan(&n))
	return n
}

func madeUp() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// An anonymous answer counts only with a token the server issued for that
// link, and only once; a refused form comes back with its answers and a
// fresh token, so someone whose page grew old can still send it.
func TestSurveyAnswerTokens(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			mgr := w.as("manager")
			today := w.store.Clock.Now().UTC()
			r := mgr.post(fmt.Sprintf("/surveys/%d/waves", w.survey.ID), url.Values{"label": {"Follow-up"},
				"opens_on": {today.Format("2006-01-02")}, "closes_on": {today.AddDate(0, 0, 7).Format("2006-01-02")}})
			wantStatus(t, "a second wave", r, http.StatusSeeOther)
			sv, err := w.store.Surveys.Survey(ctx, w.survey.ID)
			must(t, err)
			base, follow := sv.Waves[0], sv.Waves[1]
			link, other := "/s/"+base.Token, "/s/"+follow.Token
			first := sv.Questionnaire.Items[0].Key
			anon := w.as("anon")

			// 20 sendings, each with a nonce of the sender's own making.
			for i := range 20 {
				r := anon.post(link, url.Values{"nonce": {madeUp()}, "form_token": {madeUp()}, first: {"4"}})
				if i == 0 {
					wantStatus(t, "a made-up nonce", r, http.StatusBadRequest)
					wantBody(t, "a made-up nonce: kept, with a fresh token", r, "nothing was saved", fmt.Sprintf(`name="%s" value="4" checked`, first))
					formToken(t, r)
				}
			}
			if n := responsesTo(t, w.store, base.ID); n != 0 {
				t.Fatalf("20 made-up nonces added %d responses", n)
			}

			// An issued token sent twice counts once, and the second says so.
			form := anon.withToken(link, url.Values{first: {"5"}})
			wantBody(t, "the first sending", anon.post(link, form), "Your answers are in")
			again := anon.post(link, form)
			wantStatus(t, "the second sending", again, http.StatusOK)
			wantBody(t, "the second sending", again, "We already have these answers", "they count once")
			if n := responsesTo(t, w.store, base.ID); n != 1 {
				t.Fatalf("one form sent twice added %d responses", n)
			}

			// A token issued for one link is no good on another.
			form = anon.withToken(link, url.Values{first: {"3"}})
			r = anon.post(other, form)
			wantStatus(t, "another link's token", r, http.StatusBadRequest)
			if n := responsesTo(t, w.store, follow.ID); n != 0 {
				t.Fatalf("another link's token added %d responses", n)
			}

			// An altered token: refused, the answers kept, a fresh token given.
			form = anon.withToken(link, url.Values{first: {"2"}, "pair_code": {"heron 7"}})
			forged := []byte(form.Get("form_token"))
			forged[len(forged)-2] ^= 1
			form.Set("form_token", string(forged))
			r = anon.post(link, form)
			wantStatus(t, "an altered token", r, http.StatusBadRequest)
			wantBody(t, "an altered token", r, "could not tell that this form came from us", fmt.Sprintf(`name="%s" value="2" checked`, first), `value="heron 7"`)
			if fresh := formToken(t, r); fresh == string(forged) {
				t.Fatal("the refused form kept its altered token")
			}

			// A page left open over a day: refused with the answers kept, and
			// the fresh token on the page sends them.
			form = anon.withToken(other, url.Values{first: {"1"}})
			w.store.Clock.(*alongside.FixedClock).Advance(formtoken.MaxAge + time.Minute)
			r = anon.post(other, form)
			wantStatus(t, "a day-old form", r, http.StatusBadRequest)
			wantBody(t, "a day-old form", r, "open for more than a day", fmt.Sprintf(`name="%s" value="1" checked`, first))
			form.Set("form_token", formToken(t, r))
			wantBody(t, "sent again from the page", anon.post(other, form), "Your answers are in")
			if n := responsesTo(t, w.store, follow.ID); n != 1 {
				t.Fatalf("the follow-up has %d responses, want the one sent again", n)
			}
		})
	}
}

// Paper entry: a sheet or a paper survey answer typed in and sent again (a
// retry after a dropped connection, a second tap) is kept once.
func TestPaperEntryCountsOnce(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			coord, mgr := w.as("practitioner"), w.as("manager")
			advance(w, w.review)
			rp := fmt.Sprintf("/reviews/%d", w.review.ID)

			sheet := coord.withToken(rp+"/sheets/carers", url.Values{"r-carers-1": {"2"}, "e-carers": {"Phoned back the same day"}})
			wantStatus(t, "a paper sheet", coord.post(rp+"/sheets/carers", sheet), http.StatusSeeOther)
			r := coord.post(rp+"/sheets/carers", sheet)
			wantStatus(t, "the same sheet again", r, http.StatusSeeOther)
			wantBody(t, "the same sheet again", coord.get(r.Location), "already saved, and it counts once")
			// A sheet form's token is for its own source.
			wantStatus(t, "a carers' token on a people's sheet", coord.post(rp+"/sheets/people", sheet), http.StatusBadRequest)
			counts, err := w.store.Reviews.SheetCounts(ctx, w.review.ID)
			must(t, err)
			if counts[alongside.SourceCarers] != 1 || counts[alongside.SourcePeople] != 0 {
				t.Fatalf("sheets kept: %v; want one carers' sheet", counts)
			}

			paper := fmt.Sprintf("/surveys/%d/waves/%d/paper", w.survey.ID, w.survey.Waves[0].ID)
			form := mgr.withToken(paper, url.Values{w.survey.Questionnaire.Items[0].Key: {"5"}})
			wantStatus(t, "a paper answer", mgr.post(paper, form), http.StatusSeeOther)
			r = mgr.post(paper, form)
			wantStatus(t, "the same paper answer again", r, http.StatusSeeOther)
			wantBody(t, "the same paper answer again", mgr.get(r.Location), "already entered, and it counts once")
			if n := responsesTo(t, w.store, w.survey.Waves[0].ID); n != 1 {
				t.Fatalf("a paper answer sent twice added %d responses", n)
			}
			// Nor does a paper form's token answer through the link.
			wantStatus(t, "a paper token on the link", w.as("anon").post("/s/"+w.survey.Waves[0].Token, form), http.StatusBadRequest)
		})
	}
}

// Two app servers on one database share a link's limit, and each takes the
// tokens the other issued.
func TestLinkLimitAcrossServers(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := testdb.DSN(t, engine)
			open := func() *sqlstore.Store {
				s, err := sqlstore.Open(ctx, dsn)
				must(t, err)
				t.Cleanup(func() { s.Close() })
				return s
			}
			one, two := open(), open()
			_, err := one.Migrate(ctx)
			must(t, err)
			clock := alongside.NewFixedClock(testdb.Epoch)
			one.Clock, two.Clock = clock, clock

			org := &alongside.Organisation{Name: "Lochside Network"}
			must(t, one.Organisations.CreateOrganisation(ctx, org))
			svc := &alongside.Service{OrgID: org.ID, Name: "Birchwood"}
			must(t, one.Organisations.CreateService(ctx, svc))
			mgr := &alongside.User{Name: "Morag Manager", Email: "manager@example.org"}
			must(t, one.Accounts.CreateUser(ctx, mgr, alongside.Membership{Role: alongside.RoleServiceManager, ServiceID: svc.ID}))
			today := clock.Now().UTC().Format("2006-01-02")
			sv := &alongside.Survey{OrgID: org.ID, ServiceID: svc.ID, Title: "Staff survey", Questionnaire: content.DefaultQuestionnaires()[0],
				Body: content.DefaultQuestionnaireFiles()[0], RateLimit: 10, CreatedBy: mgr.ID}
			must(t, one.Surveys.CreateSurvey(ctx, sv, &alongside.Wave{Label: "Baseline", OpensOn: today, ClosesOn: today}))

			key := formtoken.NewKey()
			serve := func(s *sqlstore.Store) *world {
				srv, err := web.New(s, web.Config{Password: auth.TestParams, FormKey: key, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
				must(t, err)
				w := &world{t: t, store: s, server: srv, ts: httptest.NewServer(srv), survey: sv}
				t.Cleanup(w.ts.Close)
				return w
			}
			a, b := serve(one), serve(two)
			link := "/s/" + sv.Waves[0].Token
			first := sv.Questionnaire.Items[0].Key
			send := func(from, to *world) response {
				form := from.as("anon").withToken(link, url.Values{first: {"4"}})
				return to.as("anon").post(link, form)
			}
			// Ten a minute in all: five through each, each form shown by the
			// other server.
			for i := range 5 {
				wantBody(t, fmt.Sprint("through the first, ", i), send(b, a), "Your answers are in")
				wantBody(t, fmt.Sprint("through the second, ", i), send(a, b), "Your answers are in")
			}
			for _, w := range []*world{a, b} {
				r := send(w, w)
				wantStatus(t, "the eleventh", r, http.StatusTooManyRequests)
				wantBody(t, "the eleventh", r, "Please wait a minute", fmt.Sprintf(`name="%s" value="4" checked`, first))
			}
			if n := responsesTo(t, one, sv.Waves[0].ID); n != 10 {
				t.Fatalf("%d responses kept, want 10", n)
			}
			// The next minute, the link takes answers again.
			clock.Advance(time.Minute)
			wantBody(t, "a minute later", send(a, b), "Your answers are in")
			if strings.Contains(send(b, a).Body, "Please wait") {
				t.Fatal("a minute later the first server still turns answers back")
			}
		})
	}
}
