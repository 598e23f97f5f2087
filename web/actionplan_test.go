package web_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/alongside-recovery/alongside"
)

// planWorld is a world whose review has reached action planning.
func planWorld(t *testing.T) (*world, string) {
	w := newWorld(t, "sqlite")
	for !w.review.PlanOpen() {
		must(t, w.store.Reviews.AdvanceReview(ctx, w.review))
	}
	return w, fmt.Sprintf("/reviews/%d/plan", w.review.ID)
}

// onlyAction returns the plan's one action.
func onlyAction(t *testing.T, w *world) alongside.Action {
	t.Helper()
	p, err := w.store.ActionPlans.ActionPlan(ctx, w.review.ID)
	must(t, err)
	if len(p.Actions) != 1 {
		t.Fatalf("actions = %+v", p.Actions)
	}
	return p.Actions[0]
}

func TestPlanWaitsForTheEvidence(t *testing.T) {
	w := newWorld(t, "sqlite")
	coord := w.as("practitioner")
	plan := fmt.Sprintf("/reviews/%d/plan", w.review.ID)
	page := coord.get(plan)
	wantStatus(t, "plan while planning", page, http.StatusOK)
	wantBody(t, "plan while planning", page, "written after the evidence is gathered", "This review is at “Planning”")
	if strings.Contains(page.Body, "<form class=\"form\"") || strings.Contains(page.Body, "Add an action") {
		t.Fatal("the plan shows forms before action planning")
	}
	if strings.Contains(coord.get(fmt.Sprintf("/reviews/%d", w.review.ID)).Body, "/plan\">Action plan") {
		t.Fatal("the review page links to a plan that cannot be written yet")
	}
	early := coord.post(plan+"/findings", url.Values{"indicator": {"goals"}, "strengths": {"Too early"}})
	wantStatus(t, "finding while planning", early, http.StatusConflict)
	wantBody(t, "finding while planning", early, "move it on to action planning first")
	wantStatus(t, "action while planning", coord.post(plan+"/actions", url.Values{"what": {"Too early"}}), http.StatusConflict)
}

func TestWritingAnActionPlan(t *testing.T) {
	w, plan := planWorld(t)
	coord, colleague := w.as("practitioner"), w.as("supervisor")
	wantBody(t, "review page", coord.get(fmt.Sprintf("/reviews/%d", w.review.ID)), fmt.Sprintf(`href="%s">Action plan`, plan))
	wantBody(t, "empty plan", coord.get(plan), "Goals are identified and addressed", "No actions yet", "Add an action", "Involving carers")

	// Strengths and areas for one indicator.
	saved := coord.post(plan+"/findings", url.Values{"indicator": {"goals"}, "version": {"0"},
		"strengths": {"Goals are written in people's own words."}, "areas": {"Small steps are rarely recorded."}})
	wantStatus(t, "save finding", saved, http.StatusSeeOther)
	wantBody(t, "finding shown", coord.get(plan), "Goals are written in people&#39;s own words.", "Small steps are rarely recorded.", "Last changed by Priya Practitioner")

	// A colleague saves first; the stale save shows both versions.
	wantStatus(t, "colleague's save", colleague.post(plan+"/findings", url.Values{"indicator": {"goals"}, "version": {"1"},
		"strengths": {"Goals come from the person."}, "areas": {"Steps are now recorded in most plans."}}), http.StatusSeeOther)
	stale := coord.post(plan+"/findings", url.Values{"indicator": {"goals"}, "version": {"1"},
		"strengths": {"My stale strengths."}, "areas": {"My stale areas."}})
	wantStatus(t, "stale finding", stale, http.StatusConflict)
	wantBody(t, "stale finding", stale, "Someone else saved a change", "Steps are now recorded in most plans.", ">My stale areas.</textarea>",
		`href="#f-goals-strengths"`, `<details class="plan-edit" open>`)
	if !strings.Contains(stale.Body, `name="indicator" value="goals">
      <input type="hidden" name="version" value="2">`) {
		t.Fatal("the conflict form does not carry the current version")
	}

	// An action with no "what" comes back with the input kept.
	bad := coord.post(plan+"/actions", url.Values{"who": {"Peer workers"}, "indicators": {"carers"}, "themes": {"peer-support"}})
	wantStatus(t, "action without what", bad, http.StatusUnprocessableEntity)
	wantBody(t, "action without what", bad, "There is a problem", `href="#new-what"`, "Say what will be done", `value="Peer workers"`,
		`id="new-indicators-carers" name="indicators" type="checkbox" value="carers" checked`, `value="peer-support" checked`)

	// A good action with indicators and themes, due yesterday: overdue.
	added := coord.post(plan+"/actions", url.Values{"what": {"Invite carers to a team meeting"}, "who": {"Team leader and two peer workers"},
		"due": {"2026-03-01"}, "indicators": {"carers", "involvement"}, "themes": {"involving-carers", "peer-support"}})
	wantStatus(t, "add action", added, http.StatusSeeOther)
	a := onlyAction(t, w)
	page := coord.get(plan)
	wantBody(t, "action shown", page, "Invite carers to a team meeting", "Team leader and two peer workers", "1 March 2026",
		"Informal carers are involved", "Involving carers; Peer support", ">Planned<", ">Overdue<", "(overdue)")

	// Progress notes and examples of change appear, dated, with who wrote them.
	note := fmt.Sprintf("%s/actions/%d/notes", plan, a.ID)
	wantStatus(t, "empty note", coord.post(note, url.Values{"text": {" "}}), http.StatusUnprocessableEntity)
	wantStatus(t, "note", colleague.post(note, url.Values{"text": {"Two carers came to the May meeting."}}), http.StatusSeeOther)
	wantStatus(t, "example", coord.post(fmt.Sprintf("%s/actions/%d/examples", plan, a.ID), url.Values{"text": {"Carers now get the meeting notes."}}), http.StatusSeeOther)
	wantBody(t, "note and example", coord.get(plan), "Two carers came to the May meeting.", "2 March 2026, Sam Supervisor", "Carers now get the meeting notes.", "2 March 2026, Priya Practitioner")

	// A stale edit of the action is a conflict showing both versions.
	edit := fmt.Sprintf("%s/actions/%d", plan, a.ID)
	form := func(what, status string) url.Values {
		return url.Values{"what": {what}, "who": {"Team leader"}, "due": {"2026-03-01"}, "status": {status}, "version": {"1"}, "indicators": {"carers"}}
	}
	wantStatus(t, "edit", colleague.post(edit, form("Invite carers every quarter", "done")), http.StatusSeeOther)
	conflict := coord.post(edit, form("Invite carers every month", "under_way"))
	wantStatus(t, "stale edit", conflict, http.StatusConflict)
	wantBody(t, "stale edit", conflict, "Someone else saved a change", "Invite carers every quarter", ">Invite carers every month</textarea>",
		`<option value="under_way" selected>`)
	if got := onlyAction(t, w); got.What != "Invite carers every quarter" || got.Status != alongside.ActionDone || got.Version != 2 {
		t.Fatalf("the stale edit changed the action: %+v", got)
	}
	// Done is never overdue.
	if strings.Contains(coord.get(plan).Body, ">Overdue<") {
		t.Fatal("a done action is marked overdue")
	}

	// Completing the review leaves the plan open for follow-up.
	must(t, w.store.Reviews.AdvanceReview(ctx, w.review))
	wantStatus(t, "note after completion", coord.post(note, url.Values{"text": {"Still going well."}}), http.StatusSeeOther)
}

func TestOverdueFollowsTheClock(t *testing.T) {
	w, plan := planWorld(t)
	coord := w.as("practitioner")
	wantStatus(t, "add", coord.post(plan+"/actions", url.Values{"what": {"Start a peer support group"}, "due": {"2026-04-30"}}), http.StatusSeeOther)
	if strings.Contains(coord.get(plan).Body, ">Overdue<") {
		t.Fatal("an action due next month is overdue")
	}
	w.store.Clock.(*alongside.FixedClock).Advance(60 * 24 * time.Hour)
	wantBody(t, "two months on", w.as("practitioner").get(plan), ">Overdue<", "30 April 2026")
}

func TestWhoSeesThePlan(t *testing.T) {
	w, plan := planWorld(t)
	wantStatus(t, "add", w.as("manager").post(plan+"/actions", url.Values{"what": {"Share recovery stories in the newsletter"}}), http.StatusSeeOther)
	lead := w.as("lead")
	page := lead.get(plan)
	wantStatus(t, "lead reads", page, http.StatusOK)
	wantBody(t, "lead reads", page, "Share recovery stories in the newsletter")
	if strings.Contains(page.Body, "Add an action") || strings.Contains(page.Body, "Change this action") {
		t.Fatal("a network lead is offered forms")
	}
	wantStatus(t, "lead writes", lead.post(plan+"/actions", url.Values{"what": {"From the network"}}), http.StatusForbidden)
	wantStatus(t, "other service's manager", w.as("otherManager").get(plan), http.StatusNotFound)
	wantStatus(t, "other service's manager CSV", w.as("otherManager").get(plan+".csv"), http.StatusNotFound)

	// An action id of another review is not found through this one.
	other := &alongside.Review{ServiceID: w.svcB.ID, CoordinatorID: w.users["otherPractitioner"].ID, Title: "Cedar review"}
	must(t, w.store.Reviews.StartReview(ctx, other))
	a := onlyAction(t, w)
	wantStatus(t, "action through another review", w.as("otherPractitioner").post(fmt.Sprintf("/reviews/%d/plan/actions/%d/notes", other.ID, a.ID),
		url.Values{"text": {"x"}}), http.StatusNotFound)
}

func TestPlanExports(t *testing.T) {
	w, plan := planWorld(t)
	coord := w.as("practitioner")
	wantStatus(t, "finding", coord.post(plan+"/findings", url.Values{"indicator": {"carers"}, "strengths": {"Carers feel welcome."}, "areas": {"-Carers rarely see plans."}}), http.StatusSeeOther)
	wantStatus(t, "action", coord.post(plan+"/actions", url.Values{"what": {"=HYPERLINK(\"http://example.org\")"}, "who": {"Team leader"},
		"due": {"2026-03-01"}, "indicators": {"carers", "goals"}, "themes": {"involving-carers"}}), http.StatusSeeOther)
	a := onlyAction(t, w)
	wantStatus(t, "note", coord.post(fmt.Sprintf("%s/actions/%d/notes", plan, a.ID), url.Values{"text": {"Asked at the carers' group."}}), http.StatusSeeOther)
	wantStatus(t, "example", coord.post(fmt.Sprintf("%s/actions/%d/examples", plan, a.ID), url.Values{"text": {"Carers join reviews."}}), http.StatusSeeOther)

	res := w.as("lead").get(plan + ".csv")
	wantStatus(t, "csv", res, http.StatusOK)
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="action-plan-birchwood-spring-review.csv"` {
		t.Fatalf("Content-Disposition = %q", cd)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\uFEFF")))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	must(t, err)
	wantRow := func(what string, got, want []string) {
		t.Helper()
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("%s:\n got %q\nwant %q", what, got, want)
		}
	}
	wantRow("header", rows[0], []string{"What", "Who", "By when", "Status", "Indicators", "Themes", "Overdue", "Progress notes", "Examples of change in practice"})
	wantRow("action", rows[1], []string{`'=HYPERLINK("http://example.org")`, "Team leader", "2026-03-01", "Planned",
		"Goals are identified and addressed; Informal carers are involved", "Involving carers", "yes",
		"2 March 2026, Priya Practitioner: Asked at the carers' group.", "2 March 2026, Priya Practitioner: Carers join reviews."})
	// The blank row is skipped by the reader; the findings follow, one row per indicator.
	wantRow("findings header", rows[2], []string{"Indicator", "Strengths to build on", "Areas for development"})
	found := false
	for _, row := range rows[3:] {
		if row[0] == "Informal carers are involved" {
			wantRow("carers finding", row, []string{"Informal carers are involved", "Carers feel welcome.", "'-Carers rarely see plans."})
			found = true
		}
	}
	if !found || len(rows) != 3+10 {
		t.Fatalf("findings rows: %d", len(rows)-3)
	}

	res = coord.get(plan + ".xlsx")
	wantStatus(t, "xlsx", res, http.StatusOK)
	if !strings.Contains(res.Header.Get("Content-Disposition"), `filename="action-plan-birchwood-spring-review.xlsx"`) {
		t.Fatalf("Content-Disposition = %q", res.Header.Get("Content-Disposition"))
	}
	x, err := excelize.OpenReader(strings.NewReader(res.Body))
	must(t, err)
	defer x.Close()
	cell := func(sheet, ref string) string {
		v, err := x.GetCellValue(sheet, ref)
		must(t, err)
		return v
	}
	if got := cell("Actions", "A2"); got != `=HYPERLINK("http://example.org")` {
		t.Errorf("A2 = %q (a string cell, not a formula)", got)
	}
	if f, _ := x.GetCellFormula("Actions", "A2"); f != "" {
		t.Errorf("A2 has a formula %q", f)
	}
	if cell("Actions", "G2") != "yes" || cell("Actions", "F2") != "Involving carers" || cell("Actions", "I1") != "Examples of change in practice" {
		t.Errorf("actions sheet: %q %q %q", cell("Actions", "G2"), cell("Actions", "F2"), cell("Actions", "I1"))
	}
	rowsX, err := x.GetRows("Strengths and areas")
	must(t, err)
	found = false
	for _, row := range rowsX {
		if len(row) == 3 && row[0] == "Informal carers are involved" && row[1] == "Carers feel welcome." && row[2] == "-Carers rarely see plans." {
			found = true
		}
	}
	if !found {
		t.Fatalf("strengths sheet = %q", rowsX)
	}
}
