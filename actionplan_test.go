package alongside

import (
	"testing"
	"time"
)

func TestActionValidateAndOverdue(t *testing.T) {
	set := &StatementSet{Indicators: []Indicator{{Key: "goals"}, {Key: "carers"}}}
	themes := []Theme{{Key: "goal-setting"}}
	a := &Action{What: "  Ask carers to the team meeting ", Due: "2026-03-01", Status: ActionPlanned,
		Indicators: []string{"carers", "carers"}, Themes: []string{"goal-setting"}}
	if err := a.Validate(set, themes); err != nil || a.What != "Ask carers to the team meeting" || len(a.Indicators) != 1 {
		t.Fatalf("a good action: %v %+v", err, a)
	}
	bad := &Action{Due: "31/02/2026", Status: "maybe", Indicators: []string{"nope"}, Themes: []string{"nope"}, Who: "Born 03/04/1971"}
	f := FieldErrors(bad.Validate(set, themes))
	for _, k := range []string{"what", "who", "due", "status", "indicators", "themes"} {
		if f[k] == "" {
			t.Errorf("no message for %q: %v", k, f)
		}
	}
	today := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		due    string
		status ActionStatus
		want   bool
	}{
		{"2026-03-01", ActionPlanned, true},
		{"2026-03-01", ActionUnderWay, true},
		{"2026-03-02", ActionPlanned, false}, // due today is not yet overdue
		{"2026-03-01", ActionDone, false},
		{"2026-03-01", ActionNotGoingAhead, false},
		{"", ActionPlanned, false},
	}
	for _, tc := range cases {
		if got := (&Action{Due: tc.due, Status: tc.status}).Overdue(today); got != tc.want {
			t.Errorf("due %q %s: overdue=%v", tc.due, tc.status, got)
		}
	}
}
