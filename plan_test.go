package alongside_test

import (
	"testing"

	"github.com/alongside-recovery/alongside"
)

func TestGoalKeys(t *testing.T) {
	cases := []struct {
		key        string
		goal, step int
		ok         bool
	}{
		{"goal-1", 1, 0, true}, {"goal-12.3", 12, 3, true}, {"goal-0", 0, 0, false}, {"goal-01", 0, 0, false},
		{"goal-1.", 0, 0, false}, {"goal-1.0", 0, 0, false}, {"goal--1", 0, 0, false}, {"goals", 0, 0, false},
		{"goal-99999", 0, 0, false}, {"crisis", 0, 0, false}, {"goal-1.2.3", 0, 0, false},
	}
	for _, c := range cases {
		g, s, ok := alongside.ParseGoalKey(c.key)
		if g != c.goal || s != c.step || ok != c.ok {
			t.Errorf("ParseGoalKey(%q) = %d, %d, %v", c.key, g, s, ok)
		}
		if ok && alongside.GoalKey(g, s) != c.key {
			t.Errorf("GoalKey(%d, %d) = %q", g, s, alongside.GoalKey(g, s))
		}
	}
	step, _ := alongside.PlanSectionByKey("goal-2.1")
	if step.ShareKey() != alongside.SectionGoals || step.Title != "Goal 2, small step 1" {
		t.Errorf("step section = %+v", step)
	}
	if err := (alongside.SectionText{"title": "x", "status": "maybe"}).Validate(step); alongside.FieldErrors(err)["status"] == "" {
		t.Errorf("an unknown status was accepted: %v", err)
	}
}
