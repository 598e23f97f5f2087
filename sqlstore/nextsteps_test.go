package sqlstore_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// Every combination of parts of the home page's query runs on each engine.
func TestNextStepsQueryRuns(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			s := testdb.Open(t, testdb.DSN(t, engine))
			for bits := range 16 {
				p := sqlstore.HomeParts{OwnPlan: bits&1 != 0, Allocated: bits&2 != 0, Manager: bits&4 != 0, Lead: bits&8 != 0}
				if _, err := s.Plans.NextSteps(context.Background(), 1, p, s.Clock.Now()); err != nil {
					t.Fatalf("%+v: %v", p, err)
				}
			}
		})
	}
}

// What the home page's query finds due in a plan is what
// alongside.Plan.ReviewsDue finds in it: open goals and steps within the
// week or past, the latest review's next date (review 10 after review 9),
// and an advance statement not withdrawn.
func TestNextStepsDueIsPlanReviewsDue(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		now := s.Clock.Now()
		day := func(d int) string { return now.AddDate(0, 0, d).Format("2006-01-02") }
		save := func(key string, text alongside.SectionText) {
			t.Helper()
			sec, ok := alongside.PlanSectionByKey(key)
			if !ok {
				t.Fatalf("no section %q", key)
			}
			_, err := s.Plans.SaveSection(ctx, w.person.ID, sec, 0, text, w.person.ID, w.svcA.ID)
			must(t, err)
		}
		save("goal-1", alongside.SectionText{"title": "Past", "status": "working", "review": day(-3)})
		save("goal-2", alongside.SectionText{"title": "This week", "review": day(6)})
		save("goal-3", alongside.SectionText{"title": "Later", "status": "working", "review": day(30)})
		save("goal-4", alongside.SectionText{"title": "Done", "status": "done", "review": day(-1)})
		save("goal-4.1", alongside.SectionText{"title": "A step", "status": "thinking", "review": day(0)})
		save("goal-5", alongside.SectionText{"title": "Changed my mind", "status": "changed", "review": day(1)})
		for n := 1; n <= 10; n++ {
			next := day(60) // only the latest review's date counts
			if n == 9 {
				next = day(-2)
			}
			if n == 10 {
				next = day(2)
			}
			save(alongside.ReviewKey(n), alongside.SectionText{"held": day(-100 + n), "next-on": next})
		}
		save(alongside.SectionAdvanceStatement, alongside.SectionText{"wanted": "Quiet", "review-on": day(-10)})

		plan, err := s.Plans.Plan(ctx, w.person.ID)
		must(t, err)
		var want []string
		for _, d := range plan.ReviewsDue(now) {
			want = append(want, d.Key+" "+d.Review.Format("2006-01-02"))
		}
		steps, err := s.Plans.NextSteps(ctx, w.person.ID, sqlstore.HomeParts{OwnPlan: true}, now)
		must(t, err)
		var got []string
		for _, d := range steps.Plans[w.person.ID].Due {
			got = append(got, d.Key+" "+d.Review.Format("2006-01-02"))
		}
		sort.Strings(want)
		sort.Strings(got)
		if strings.Join(got, ", ") != strings.Join(want, ", ") || len(want) != 5 {
			t.Fatalf("due from the query: %v\nfrom the plan: %v", got, want)
		}
	})
}
