package web_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
)

// completeReview runs a review of a service through a whole cycle with one
// care-plan sheet rating "goals" and an action plan with the given themes.
func completeReview(w *world, svc *alongside.Service, coordinator string, rating int, themes ...string) *alongside.Review {
	r := &alongside.Review{ServiceID: svc.ID, CoordinatorID: w.users[coordinator].ID, Title: svc.Name + " review"}
	must(w.t, w.store.Reviews.StartReview(ctx, r))
	advance(w, r)
	l, err := w.store.Reviews.ReviewStatementSet(ctx, r)
	must(w.t, err)
	must(w.t, w.store.Reviews.AddSheet(ctx, r, l, &alongside.EvidenceSheet{Source: alongside.SourceCarePlans, Reference: "C1", EnteredBy: w.users[coordinator].ID,
		Ratings: map[alongside.StatementRef]int{{Indicator: "goals", N: 1}: rating}}))
	advance(w, r)
	if len(themes) > 0 {
		must(w.t, w.store.ActionPlans.AddAction(ctx, r, l, &alongside.Action{What: "Something agreed", Status: alongside.ActionPlanned, Themes: themes}))
	}
	advance(w, r)
	return r
}

func TestNetworkViewSideBySide(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) { networkSideBySide(t, engine) })
	}
}

func networkSideBySide(t *testing.T, engine string) {
	w := newWorld(t, engine)
	// Service A (Birchwood) already has a review in planning; complete it first.
	advance(w, w.review)
	advance(w, w.review)
	l, err := w.store.Reviews.ReviewStatementSet(ctx, w.review)
	must(t, err)
	must(t, w.store.ActionPlans.AddAction(ctx, w.review, l, &alongside.Action{What: "Carers' evening", Status: alongside.ActionPlanned, Themes: []string{"involving-carers", "goal-setting"}}))
	advance(w, w.review)
	completeReview(w, w.svcB, "otherManager", 4, "involving-carers")

	lead := w.as("lead")
	page := lead.get(fmt.Sprintf("/orgs/%d/network", w.org.ID))
	wantBody(t, "network", page, "2 of 2</strong> action plans include involving carers", "1 of 2</strong> action plans include goal setting",
		"Cedar Court review", "Showing 2 of 2 services")
	if strings.Index(page.Body, ">Birchwood<") > strings.Index(page.Body, ">Cedar Court<") {
		t.Fatal("services are not in name order")
	}
	// Cedar Court's care plans rated "goals" 4; Birchwood has no sheets.
	if !strings.Contains(page.Body, `<td class="num" data-label="Goals">4.0</td>`) {
		t.Fatalf("Cedar Court's goals figure is missing, or not labelled for its card on a phone:\n%s", snippet(page.Body))
	}
	// The columns are headed by the indicators' short names, the full name
	// on hover, and a key below the table gives every full name; no column
	// is a bare number to look up.
	wantBody(t, "short names", page,
		`<th scope="col" class="num"><abbr title="Basic needs are identified and addressed">Basic needs</abbr></th>`,
		`<abbr title="Service encourages advance planning and self management">Advance planning</abbr>`,
		`<abbr title="Informal carers are involved">Carers involved</abbr>`)
	table, key := strings.Index(page.Body, "</table>"), strings.Index(page.Body, `<dl class="indicator-key"`)
	if key < table {
		t.Fatalf("the key to the indicators is not below the table")
	}
	wantBody(t, "the key", response{Body: page.Body[key:]}, "<dt>Staff supported</dt><dd>Staff are supported and valued</dd>",
		"<dt>Recovery practice</dt><dd>Practice is recovery focused</dd>")
	if regexp.MustCompile(`<abbr title="[^"]*">\d+</abbr>`).MatchString(page.Body) {
		t.Fatal("an indicator's column is still headed by a number")
	}

	filtered := lead.get(fmt.Sprintf("/orgs/%d/network?theme=goal-setting", w.org.ID))
	wantBody(t, "filtered", filtered, "Showing 1 of 2 services")
	if strings.Contains(filtered.Body, "Cedar Court review") {
		t.Fatal("the theme filter kept a service whose plan lacks the theme")
	}

	res := lead.get(fmt.Sprintf("/orgs/%d/network.csv?q=cedar", w.org.ID))
	wantStatus(t, "csv", res, http.StatusOK)
	if !strings.Contains(res.Header.Get("Content-Disposition"), "network-lochside-network.csv") {
		t.Fatalf("filename: %q", res.Header.Get("Content-Disposition"))
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\uFEFF")))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	must(t, err)
	if len(rows) < 3 || rows[0][0] != "Service" || rows[1][0] != "Cedar Court" || rows[1][5] != "4.0" || rows[1][len(rows[1])-3] != "Involving carers" || rows[1][len(rows[1])-1] != "fewer than 5" {
		t.Fatalf("csv rows = %q", rows)
	}
	// A network lead sees results and the plan, never a sheet or the review's own page.
	wantStatus(t, "lead results", lead.get(fmt.Sprintf("/reviews/%d/results", w.review.ID)), http.StatusOK)
	wantStatus(t, "lead plan", lead.get(fmt.Sprintf("/reviews/%d/plan", w.review.ID)), http.StatusOK)
	wantStatus(t, "lead review page", lead.get(fmt.Sprintf("/reviews/%d", w.review.ID)), http.StatusForbidden)
}
