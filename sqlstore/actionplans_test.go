package sqlstore_test

import (
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

func TestActionPlan(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		r := &alongside.Review{ServiceID: w.svcA.ID, CoordinatorID: w.prac.ID, Title: "Spring review"}
		if err := s.Reviews.StartReview(ctx, r); err != nil {
			t.Fatal(err)
		}
		l, err := s.Reviews.ReviewStatementSet(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		set := l
		action := func() *alongside.Action {
			return &alongside.Action{What: "Invite carers to a team meeting", Who: "Team leader", Due: "2026-06-30", CreatedBy: w.prac.ID,
				Indicators: []string{"carers", "involvement"}, Themes: []string{"involving-carers"}}
		}
		// Nothing is written before the evidence is gathered.
		if err := s.ActionPlans.AddAction(ctx, r, set, action()); code(err) != alongside.ECONFLICT {
			t.Fatalf("an action while planning: %v", err)
		}
		if err := s.ActionPlans.SaveFinding(ctx, r, set, &alongside.Finding{Indicator: "goals", Strengths: "x"}); code(err) != alongside.ECONFLICT {
			t.Fatalf("a finding while planning: %v", err)
		}
		for i := 0; i < 2; i++ {
			if err := s.Reviews.AdvanceReview(ctx, r); err != nil {
				t.Fatal(err)
			}
		}

		// Findings: first save, then a versioned update; a stale save is refused.
		f := &alongside.Finding{Indicator: "goals", Strengths: "Goals are in people's own words.", Areas: "Small steps are rarely written down.", UpdatedBy: w.prac.ID}
		if err := s.ActionPlans.SaveFinding(ctx, r, set, f); err != nil || f.Version != 1 {
			t.Fatalf("first save: %v %d", err, f.Version)
		}
		racing := &alongside.Finding{Indicator: "goals", Strengths: "Mine"}
		if err := s.ActionPlans.SaveFinding(ctx, r, set, racing); code(err) != alongside.ECONFLICT {
			t.Fatalf("a second first save: %v", err)
		}
		f.Areas = "Small steps are now written down."
		if err := s.ActionPlans.SaveFinding(ctx, r, set, f); err != nil || f.Version != 2 {
			t.Fatalf("update: %v %d", err, f.Version)
		}
		stale := &alongside.Finding{Indicator: "goals", Strengths: "Old", Version: 1}
		if err := s.ActionPlans.SaveFinding(ctx, r, set, stale); code(err) != alongside.ECONFLICT {
			t.Fatalf("stale finding: %v", err)
		}
		if err := s.ActionPlans.SaveFinding(ctx, r, set, &alongside.Finding{Indicator: "nope"}); code(err) != alongside.EINVALID {
			t.Fatalf("unknown indicator: %v", err)
		}

		// Actions with indicators and themes; a stale edit is refused.
		a := action()
		if err := s.ActionPlans.AddAction(ctx, r, set, a); err != nil || a.Status != alongside.ActionPlanned {
			t.Fatalf("add: %v %+v", err, a)
		}
		bad := action()
		bad.Themes = []string{"made-up"}
		if fe := alongside.FieldErrors(s.ActionPlans.AddAction(ctx, r, set, bad)); fe["themes"] == "" {
			t.Fatal("an unknown theme was accepted")
		}
		edit := *a
		edit.Status, edit.Indicators, edit.Themes = alongside.ActionUnderWay, []string{"carers"}, []string{"involving-carers", "peer-support"}
		if err := s.ActionPlans.UpdateAction(ctx, r, set, &edit); err != nil || edit.Version != 2 {
			t.Fatalf("update: %v %+v", err, edit)
		}
		if err := s.ActionPlans.UpdateAction(ctx, r, set, a); code(err) != alongside.ECONFLICT {
			t.Fatalf("stale update: %v", err)
		}

		// Notes and examples, only on the review's own actions.
		if err := s.ActionPlans.AddProgressNote(ctx, r, &alongside.ProgressNote{ActionID: a.ID, Text: "Two carers came in May.", WrittenBy: w.prac2.ID}); err != nil {
			t.Fatal(err)
		}
		if err := s.ActionPlans.AddChangeExample(ctx, r, &alongside.ChangeExample{ActionID: a.ID, Text: "Carers now get the meeting notes.", AddedBy: w.manager.ID}); err != nil {
			t.Fatal(err)
		}
		if err := s.ActionPlans.AddProgressNote(ctx, r, &alongside.ProgressNote{ActionID: a.ID, Text: ""}); alongside.FieldErrors(err)["text"] == "" {
			t.Fatalf("an empty note: %v", err)
		}
		other := &alongside.Review{ServiceID: w.svcB.ID, CoordinatorID: w.otherPrac.ID, Title: "Cedar review"}
		if err := s.Reviews.StartReview(ctx, other); err != nil {
			t.Fatal(err)
		}
		other.Stage = alongside.StageComplete // as if; the store reads the stage itself
		if err := s.ActionPlans.AddProgressNote(ctx, other, &alongside.ProgressNote{ActionID: a.ID, Text: "Sneaky"}); code(err) != alongside.ECONFLICT {
			t.Fatalf("a note through another review at planning: %v", err)
		}

		// Completing the review leaves the plan open for follow-up.
		if err := s.Reviews.AdvanceReview(ctx, r); err != nil {
			t.Fatal(err)
		}
		if err := s.ActionPlans.AddProgressNote(ctx, r, &alongside.ProgressNote{ActionID: a.ID, Text: "Carers' group meets monthly.", WrittenBy: w.prac.ID}); err != nil {
			t.Fatalf("a note after completion: %v", err)
		}

		p, err := s.ActionPlans.ActionPlan(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Findings["goals"]; got.Areas != "Small steps are now written down." || got.Version != 2 || got.UpdatedByName != "Priya Practitioner" {
			t.Fatalf("finding = %+v", got)
		}
		if len(p.Actions) != 1 {
			t.Fatalf("actions = %+v", p.Actions)
		}
		got := p.Actions[0]
		if got.Status != alongside.ActionUnderWay || len(got.Indicators) != 1 || len(got.Themes) != 2 || got.CreatedByName != "Priya Practitioner" {
			t.Fatalf("action = %+v", got)
		}
		if len(got.Notes) != 2 || got.Notes[0].WrittenByName != "Sam Supervisor" || got.Notes[1].Text != "Carers' group meets monthly." {
			t.Fatalf("notes = %+v", got.Notes)
		}
		if len(got.Examples) != 1 || got.Examples[0].AddedByName != "Morag Manager" || got.Examples[0].AddedAt.IsZero() {
			t.Fatalf("examples = %+v", got.Examples)
		}
		one, err := s.ActionPlans.PlanAction(ctx, a.ID)
		if err != nil || one.ReviewID != r.ID {
			t.Fatalf("PlanAction: %+v %v", one, err)
		}
		if _, err := s.ActionPlans.PlanAction(ctx, a.ID+100); code(err) != alongside.ENOTFOUND {
			t.Fatalf("no such action: %v", err)
		}
		var n int
		if err := s.DB().QueryRow("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'plan.%'").Scan(&n); err != nil || n != 7 {
			t.Fatalf("plan audit lines = %d %v, want 7", n, err)
		}
	})
}
