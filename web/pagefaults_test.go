package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
)

var (
	formRe     = regexp.MustCompile(`(?s)<form\b[^>]*\baction="([^"]*)"[^>]*>(.*?)</form>`)
	inputRe    = regexp.MustCompile(`<input\b[^>]*>`)
	textareaRe = regexp.MustCompile(`(?s)<textarea\b([^>]*)>(.*?)</textarea>`)
	nameRe     = regexp.MustCompile(`\bname="([^"]*)"`)
	valueRe    = regexp.MustCompile(`\bvalue="([^"]*)"`)
)

// formAt returns what a browser would send from the page's form with the
// action, as it is shown (checkboxes and radios only when checked), and
// whether there is one.
func formAt(body, action string) (url.Values, bool) {
	for _, m := range formRe.FindAllStringSubmatch(body, -1) {
		if html.UnescapeString(m[1]) != action {
			continue
		}
		v := url.Values{}
		for _, in := range inputRe.FindAllString(m[2], -1) {
			n := nameRe.FindStringSubmatch(in)
			if n == nil {
				continue
			}
			if (strings.Contains(in, `type="checkbox"`) || strings.Contains(in, `type="radio"`)) && !strings.Contains(in, " checked") {
				continue
			}
			val := ""
			if x := valueRe.FindStringSubmatch(in); x != nil {
				val = html.UnescapeString(x[1])
			}
			v.Add(html.UnescapeString(n[1]), val)
		}
		for _, ta := range textareaRe.FindAllStringSubmatch(m[2], -1) {
			if n := nameRe.FindStringSubmatch(ta[1]); n != nil {
				v.Add(html.UnescapeString(n[1]), html.UnescapeString(strings.TrimPrefix(ta[2], "\n")))
			}
		}
		return v, true
	}
	return nil, false
}

// Each wave's "Change the name or dates" form shows that wave's own name
// and dates, and saving it as shown changes nothing; a changed date is
// kept; a save from a page someone else has since changed is refused with
// both versions shown, never silently overwriting.
func TestWaveFormsShowAndSaveTheirOwnWave(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			follow := &alongside.Wave{Label: "Autumn follow-up", OpensOn: "2027-09-01", ClosesOn: "2027-09-30"}
			must(t, w.store.Surveys.AddWave(ctx, w.survey, follow))
			base := w.survey.Waves[0]
			mgr := w.as("manager")
			page := "/surveys/" + itoa(w.survey.ID)
			body := mgr.get(page).Body
			for _, wv := range []alongside.Wave{base, *follow} {
				action := page + "/waves/" + itoa(wv.ID)
				f, ok := formAt(body, action)
				if !ok {
					t.Fatalf("no form to change %s", wv.Label)
				}
				if f.Get("label") != wv.Label || f.Get("opens_on") != wv.OpensOn || f.Get("closes_on") != wv.ClosesOn {
					t.Fatalf("the form to change %q shows %q, %s to %s; want its own name and dates %s to %s", wv.Label, f.Get("label"), f.Get("opens_on"), f.Get("closes_on"), wv.OpensOn, wv.ClosesOn)
				}
				wantStatus(t, "saving "+wv.Label+" as shown", mgr.post(action, f), http.StatusSeeOther)
			}
			sv, err := w.store.Surveys.Survey(ctx, w.survey.ID)
			must(t, err)
			if got := sv.Waves[0]; got.Label != base.Label || got.OpensOn != base.OpensOn || got.ClosesOn != base.ClosesOn {
				t.Fatalf("saving the baseline as shown changed it to %q, %s to %s", got.Label, got.OpensOn, got.ClosesOn)
			}

			// Two managers open the page; one closes the follow-up early,
			// then the other's save is refused, showing both.
			action := page + "/waves/" + itoa(follow.ID)
			first, _ := formAt(mgr.get(page).Body, action)
			second := url.Values{}
			for k, v := range first {
				second[k] = append([]string(nil), v...)
			}
			first.Set("closes_on", "2027-09-15")
			wantStatus(t, "closing early", mgr.post(action, first), http.StatusSeeOther)
			second.Set("label", "Follow-up in September")
			r := mgr.post(action, second)
			wantStatus(t, "a stale save", r, http.StatusConflict)
			wantBody(t, "a stale save", r, "Someone changed this wave", "15 September 2027", `value="Follow-up in September"`)
			sv, err = w.store.Surveys.Survey(ctx, w.survey.ID)
			must(t, err)
			if got := sv.Waves[1]; got.Label != follow.Label || got.ClosesOn != "2027-09-15" {
				t.Fatalf("the stale save overwrote the wave: %q closing %s", got.Label, got.ClosesOn)
			}
			// Saving again from the page shown keeps the writer's own.
			again, _ := formAt(r.Body, action)
			wantStatus(t, "saving again", mgr.post(action, again), http.StatusSeeOther)
			sv, err = w.store.Surveys.Survey(ctx, w.survey.ID)
			must(t, err)
			if got := sv.Waves[1]; got.Label != "Follow-up in September" {
				t.Fatalf("saving again kept %q", got.Label)
			}
			// A bad date is refused, with the field named and the input kept.
			bad, _ := formAt(mgr.get(page).Body, action)
			bad.Set("closes_on", "2027-08-01")
			r = mgr.post(action, bad)
			wantStatus(t, "closing before opening", r, http.StatusUnprocessableEntity)
			wantBody(t, "closing before opening", r, "on or after the opening date", `href="#w`+itoa(follow.ID)+`-closes_on"`, `value="2027-08-01"`)
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A one-time link that has been used, or that never was, says so plainly,
// with what to do next for its kind, not "Page not found"; an answer
// link's page offers no sign-in to someone with no account.
func TestSpentLinksSayWhatToDo(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			anon := w.as("anon")
			for _, c := range []struct {
				path, method string
				says         []string
				not          []string
			}{
				{"/links/0123456789abcdef", http.MethodGet, []string{"If you have already set your password", `href="/login"`, "Ask whoever sent you the link for a new one", `href="/login/forgot"`}, nil},
				{"/links/0123456789abcdef", http.MethodPost, []string{"If you have already set your password"}, nil},
				{"/answer/0123456789abcdef", http.MethodGet, []string{"If you have already sent your answers, thank you", "ask whoever gave you the link for a new one"}, []string{`>Sign in<`, "/login/forgot", "Page not found"}},
				{"/answer/0123456789abcdef", http.MethodPost, []string{"If you have already sent your answers"}, []string{`>Sign in<`}},
			} {
				what := c.method + " " + c.path
				var r response
				if c.method == http.MethodGet {
					r = anon.get(c.path)
				} else {
					r = anon.post(c.path, url.Values{"password": {"a long enough password"}, "confirm": {"a long enough password"}})
				}
				wantStatus(t, what, r, http.StatusGone)
				wantBody(t, what, r, append([]string{"<title>This link has been used or has expired"}, c.says...)...)
				for _, n := range c.not {
					if strings.Contains(r.Body, n) {
						t.Errorf("%s: the page shows %q", what, n)
					}
				}
				if strings.Contains(r.Body, "Page not found") {
					t.Errorf("%s: the page says Page not found", what)
				}
			}
			// Signed in, a spent sign-in link sends its holder home.
			wantBody(t, "signed in", w.as("person").get("/links/0123456789abcdef"), "You are signed in already", `href="/home"`)
		})
	}
}

// Titles never say "Error: Error:", and an error page does not say its
// heading twice.
func TestErrorTitlesAndMessagesAreSaidOnce(t *testing.T) {
	w := newWorld(t, "sqlite")
	// A survey answer sent without its form's token: an error on the
	// answer page.
	r := w.as("anon").post("/s/"+w.survey.Waves[0].Token, url.Values{})
	if strings.Contains(r.Body, "Error: Error:") {
		t.Errorf("the survey page's title says Error: twice: %s", titleOf(r.Body))
	}
	if !strings.Contains(titleOf(r.Body), "Error: ") {
		t.Errorf("an answer sent back with a problem has no Error: in its title: %s", titleOf(r.Body))
	}
	// A page someone may not open says so once.
	r = w.as("practitioner").get("/services/" + itoa(w.svcA.ID))
	if n := strings.Count(strings.ToLower(r.Body), "you do not have access to this page"); r.Status != http.StatusForbidden || n != 2 { // the title and the heading
		t.Errorf("a refused page (%d) says it %d times, want the title and the heading only", r.Status, n)
	}
	r = w.as("person").get("/reviews/999999")
	if strings.Contains(r.Body, "We could not find that page") {
		t.Errorf("a missing page repeats its heading in its text")
	}
}

var titleRe = regexp.MustCompile(`<title>([^<]*)</title>`)

func titleOf(body string) string {
	if m := titleRe.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// Someone answering a survey or an answer sheet by link has no records
// here: the footer does not tell them about "your records".
func TestAnonymousPagesDoNotSpeakOfRecords(t *testing.T) {
	w := newWorld(t, "sqlite")
	anon := w.as("anon")
	pages := []string{"/s/" + w.survey.Waves[0].Token, "/login"}
	rv := w.gatheringReview()
	tokens, err := w.store.Links.IssueInvitations(ctx, rv, alongside.SourceCarers, 1, 7)
	must(t, err)
	pages = append(pages, "/answer/"+tokens[0])
	for _, p := range pages {
		r := anon.get(p)
		wantStatus(t, p, r, http.StatusOK)
		if strings.Contains(r.Body, "your records") {
			t.Errorf("%s tells someone with no account about “your records”", p)
		}
	}
	wantBody(t, "a signed-in page", w.as("person").get("/home"), "your records")
}
