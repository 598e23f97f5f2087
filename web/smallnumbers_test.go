package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/internal/testdb"
)

// exportCase says where a download is tried, as whom, and what in it would
// be a figure or an answer about a group of people. shows is nil for a
// download that holds none (a person's own record, a blank form, a link):
// it must hold no one else's answers at any size.
type exportCase struct {
	path  func(w *world) string
	as    string
	shows func(body string) bool
}

// marker is written in every survey answer the tests give, so that an
// answer in a download is easy to find.
const marker = "Marker answer"

func exportTable() map[string]exportCase {
	org := func(suffix string) func(*world) string {
		return func(w *world) string { return fmt.Sprintf("/orgs/%d%s", w.org.ID, suffix) }
	}
	review := func(suffix string) func(*world) string {
		return func(w *world) string { return fmt.Sprintf("/reviews/%d%s", w.review.ID, suffix) }
	}
	person := func(suffix string) func(*world) string {
		return func(w *world) string { return fmt.Sprintf("/people/%d%s", w.users["person"].ID, suffix) }
	}
	survey := func(suffix string) func(*world) string {
		return func(w *world) string { return fmt.Sprintf("/surveys/%d%s", w.survey.ID, suffix) }
	}
	answers := func(body string) bool { return strings.Contains(body, marker) }
	return map[string]exportCase{
		// Birchwood's totals of people and practitioners, a number only
		// from five.
		"GET /orgs/{org}/network.csv": {org("/network.csv"), "lead", func(body string) bool {
			return regexp.MustCompile(`(?m)^Birchwood,.*,\d+,\d+\r?$`).MatchString(body)
		}},
		"GET /reviews/{review}/sheets/{source}/print": {review("/sheets/people/print"), "manager", nil},
		"GET /reviews/{review}/plan.csv":              {review("/plan.csv"), "manager", nil},
		"GET /reviews/{review}/plan.xlsx":             {review("/plan.xlsx"), "manager", nil},
		"GET /people/{person}/plan/print":             {person("/plan/print"), "person", nil},
		"GET /people/{person}/crisis/print":           {person("/crisis/print"), "person", nil},
		"GET /people/{person}/crisis/card":            {person("/crisis/card"), "person", nil},
		"GET /people/{person}/my-data.json":           {person("/my-data.json"), "person", nil},
		"GET /people/{person}/my-data.html":           {person("/my-data.html"), "person", nil},
		"GET /services/{service}/development.csv": {func(w *world) string { return fmt.Sprintf("/services/%d/development.csv", w.svcA.ID) },
			"manager", func(body string) bool { return strings.Contains(body, "All knowledge items") }},
		"GET /surveys/{survey}/waves/{wave}/qr.svg": {func(w *world) string {
			return fmt.Sprintf("/surveys/%d/waves/%d/qr.svg", w.survey.ID, w.survey.Waves[0].ID)
		}, "manager", nil},
		"GET /surveys/{survey}/print":          {survey("/print"), "manager", nil},
		"GET /surveys/{survey}/responses.csv":  {survey("/responses.csv"), "manager", answers},
		"GET /surveys/{survey}/responses.xlsx": {survey("/responses.xlsx"), "manager", answers},
	}
}

// looksLikeExport is a route that gives a file or a copy to keep: it must
// be registered as a download of its page.
var looksLikeExport = regexp.MustCompile(`\.(csv|xlsx|json|html|svg|pdf|txt)$|/print$|/export|/download`)

// growTo brings service A to n people using it, n practitioners with a
// self-assessment, and n answers to its staff survey.
func growTo(w *world, n int) {
	t := w.t
	pc := content.DefaultPractice()
	ms, err := w.store.Accounts.ServiceMembers(ctx, w.svcA.ID, alongside.RolePerson)
	must(t, err)
	for people := len(ms); people < n; people++ {
		idSeq++
		u := &alongside.User{Name: "Someone", Email: fmt.Sprintf("someone%d@example.org", idSeq)}
		must(t, w.store.Accounts.CreateUser(ctx, u, alongside.Membership{Role: alongside.RolePerson, ServiceID: w.svcA.ID}))
	}
	totals, err := w.store.Development.DevelopmentTotals(ctx, w.svcA.ID)
	must(t, err)
	for assessed := totals.Practitioners; assessed < n; assessed++ {
		id := tempPractitioner(w)
		a := &alongside.SelfAssessment{PractitionerID: id, Ratings: map[string]alongside.ItemRating{}}
		for _, it := range pc.Framework {
			a.Ratings[it.Key] = alongside.ItemRating{Rating: 2, Need: true}
		}
		must(t, w.store.Development.SaveSelfAssessment(ctx, a, pc))
	}
	sv, err := w.store.Surveys.Survey(ctx, w.survey.ID)
	must(t, err)
	w.survey = sv
	for i := sv.Waves[0].Responses; i < n; i++ {
		respond(w, sv, 0, fmt.Sprintf("%s %d", marker, i))
	}
	w.survey, err = w.store.Surveys.Survey(ctx, w.survey.ID)
	must(t, err)
}

// respond adds one answer to the survey's first wave, for the service, with
// text in its free-text item.
func respond(w *world, sv *alongside.Survey, service int64, text string) {
	a := alongside.SurveyAnswer{}
	for _, it := range sv.Questionnaire.Items {
		switch it.Type {
		case alongside.ItemAgree5:
			a[it.Key] = "4"
		case alongside.ItemText:
			a[it.Key] = text
		}
	}
	idSeq++
	_, err := w.store.Surveys.Respond(ctx, sv, &sv.Waves[0], service, a, "", fmt.Sprintf("nonce-%016d", idSeq), false)
	must(w.t, err)
}

// readable is a download as text: a spreadsheet's cells, or the body.
func readable(t *testing.T, r response) string {
	if !strings.HasPrefix(r.Body, "PK") {
		return r.Body
	}
	x, err := excelize.OpenReader(strings.NewReader(r.Body))
	must(t, err)
	defer x.Close()
	var b strings.Builder
	for _, sheet := range x.GetSheetList() {
		rows, err := x.GetRows(sheet)
		must(t, err)
		for _, row := range rows {
			b.WriteString(strings.Join(row, ",") + "\n")
		}
	}
	return b.String()
}

// Every download obeys the small-numbers rule of the page it comes from:
// with fewer than five people behind them its figures and answers are not
// in it; with five they are. A download route missing from the table, or
// not registered as a download of its page, fails.
func TestEveryExportKeepsSmallNumbersHidden(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			table := exportTable()
			var exports []string
			for _, rt := range w.server.Routes() {
				_, listed := table[rt.Pattern]
				if looksLikeExport.MatchString(rt.Pattern) && rt.From == "" {
					t.Errorf("%q gives a file but is not registered as a download of its page (exportFrom)", rt.Pattern)
				}
				if rt.From == "" && !listed {
					continue
				}
				if !listed {
					t.Errorf("download %q has no row in the small-numbers table", rt.Pattern)
					continue
				}
				exports = append(exports, rt.Pattern)
			}
			if len(exports) != len(table) {
				t.Errorf("the table lists %d downloads, the server serves %d of them", len(table), len(exports))
			}
			for _, n := range []int{2, alongside.MinGroup} {
				growTo(w, n)
				for _, pattern := range exports {
					tc := table[pattern]
					r := w.as(tc.as).get(tc.path(w))
					if r.Status != http.StatusOK {
						t.Errorf("%d people: %s: status %d", n, pattern, r.Status)
						continue
					}
					body := readable(t, r)
					if tc.shows == nil {
						if strings.Contains(body, marker) {
							t.Errorf("%d people: %s holds survey answers", n, pattern)
						}
						continue
					}
					if got, want := tc.shows(body), alongside.EnoughPeople(n); got != want {
						t.Errorf("%d people: %s shows figures or answers: %v, want %v\n%s", n, pattern, got, want, body)
					}
				}
			}
		})
	}
}

// A network survey's responses, downloaded whole or filtered to a
// service, hold only the answers of the services whose results page would
// show them: five answers from Birchwood are in, three from Cedar Court are
// not, whichever way the file is cut.
func TestSurveyExportHidesSmallServicesUnderEveryFilter(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			today := w.store.Clock.Now().UTC().Format("2006-01-02")
			sv := &alongside.Survey{OrgID: w.org.ID, Title: "Network staff survey", Questionnaire: w.survey.Questionnaire, Body: w.survey.Body,
				RateLimit: alongside.DefaultSurveyRateLimit, CreatedBy: w.users["lead"].ID}
			must(t, w.store.Surveys.CreateSurvey(ctx, sv, &alongside.Wave{Label: "Baseline", OpensOn: today, ClosesOn: today}))
			for i := range 5 {
				respond(w, sv, w.svcA.ID, fmt.Sprintf("Birchwood answer %d", i))
			}
			for i := range 3 {
				respond(w, sv, w.svcB.ID, fmt.Sprintf("Cedar answer %d", i))
			}
			for i := range 4 {
				respond(w, sv, 0, fmt.Sprintf("Unplaced answer %d", i))
			}
			lead := w.as("lead")
			base := fmt.Sprintf("/surveys/%d/responses", sv.ID)
			results := fmt.Sprintf("/surveys/%d/results", sv.ID)
			wantBody(t, "the page: all services", lead.get(results), "Baseline: 12 responses")
			wantBody(t, "the page: Cedar Court alone", lead.get(fmt.Sprintf("%s?service=%d", results, w.svcB.ID)), "Fewer than 5 people have answered for this service")
			cases := []struct {
				filter    string
				birchwood bool
			}{
				{"", true},
				{fmt.Sprintf("?service=%d", w.svcA.ID), true},
				{fmt.Sprintf("?service=%d", w.svcB.ID), false},
			}
			for _, tc := range cases {
				for _, ext := range []string{".csv", ".xlsx"} {
					r := lead.get(base + ext + tc.filter)
					wantStatus(t, ext+tc.filter, r, http.StatusOK)
					body := readable(t, r)
					if strings.Contains(body, "Cedar answer") || strings.Contains(body, "Unplaced answer") {
						t.Errorf("%s%s holds answers of a group of three or four", ext, tc.filter)
					}
					got := 0 // rows holding one of Birchwood's answers
					for _, line := range strings.Split(body, "\n") {
						if strings.Contains(line, "Birchwood answer") {
							got++
						}
					}
					if (got == 5) != tc.birchwood || (got != 0 && got != 5) {
						t.Errorf("%s%s holds %d of Birchwood's five answers", ext, tc.filter, got)
					}
					if !strings.Contains(body, "left out") {
						t.Errorf("%s%s does not say answers were left out", ext, tc.filter)
					}
				}
			}
		})
	}
}
