package demo_test

import (
	"testing"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// developmentToday is the last day the demo's development records reach.
var developmentToday = time.Date(2026, 11, 13, 0, 0, 0, 0, time.UTC)

// Demo practitioners' development shows something on every page: the
// manager's totals have figures in each framework group; the canonical
// practitioner has self-assessments over the year, rising, a plan at three
// stages shared with their supervisor, who has signed it off and
// commented, and recent reflections that improve.
func TestDemoDevelopment(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		accounts := seed(t, s)
		if now := s.Clock.Now(); !now.Equal(testdb.Epoch) {
			t.Errorf("the store's clock reads %v after seeding, want it put back to %v", now, testdb.Epoch)
		}
		c := content.DefaultPractice()
		org := onlyOrg(t, s)
		by := map[string]string{}
		var svcName string
		for _, a := range accounts {
			by[a.Role] = a.Email
			if a.Role == "manager" {
				svcName = a.Service
			}
		}
		svc := serviceByName(t, s, org.ID, svcName)
		prac := actorByEmail(t, s, by["practitioner"]).User
		sup := actorByEmail(t, s, by["supervisor"]).User
		end := developmentToday.AddDate(0, 0, 1)

		// The manager's totals are shown, with needs in every group.
		totals, err := s.Development.DevelopmentTotals(ctx, svc.ID)
		must(t, err)
		if !totals.Shown() {
			t.Errorf("%s's development totals have %d practitioners behind them: hidden", svc.Name, totals.Practitioners)
		}
		for _, g := range alongside.FrameworkGroups {
			if totals.GroupNeeds(c, g) == 0 {
				t.Errorf("no development needs marked in %s: %v", g.Label(), totals.Needs)
			}
		}

		// The practitioner's self-assessments span the year, rising.
		as, err := s.Development.SelfAssessments(ctx, prac.ID)
		must(t, err)
		if len(as) < 3 {
			t.Fatalf("the practitioner has %d self-assessments, want 3 or more", len(as))
		}
		first, last := as[0], as[len(as)-1]
		if first.TakenAt.AddDate(0, 9, 0).After(last.TakenAt) || last.TakenAt.After(end) {
			t.Errorf("self-assessments from %v to %v: want at least nine months, up to %v", first.TakenAt, last.TakenAt, developmentToday)
		}
		mean := func(a alongside.SelfAssessment) float64 {
			sum := 0.0
			for _, g := range alongside.FrameworkGroups {
				sum += a.GroupMean(c, g) * float64(len(c.InGroup(g)))
			}
			return sum / float64(len(c.Framework))
		}
		for i := 1; i < len(as); i++ {
			if mean(as[i]) < mean(as[i-1]) {
				t.Errorf("self-assessment %d's mean %.2f is below the one before, %.2f", i+1, mean(as[i]), mean(as[i-1]))
			}
		}
		needs := 0
		for _, r := range last.Ratings {
			if r.Need {
				needs++
			}
		}
		if mean(last) <= mean(first) || needs < 2 || needs > 6 {
			t.Errorf("mean rating %.2f then %.2f, %d needs in the latest; want a rise and a few needs", mean(first), mean(last), needs)
		}

		// Their plan: three objectives at three stages, shared with their
		// supervisor, signed off before its latest change, and commented on.
		p, err := s.Development.DevelopmentPlan(ctx, prac.ID)
		must(t, err)
		statuses := map[string]int{}
		for _, o := range p.Objectives {
			statuses[o.Status]++
			if o.Status == "achieved" && (o.Evidence == "" || len(o.Links) == 0 || o.Reflection == "") {
				t.Errorf("the achieved objective has evidence %q, links %v, reflection %q", o.Evidence, o.Links, o.Reflection)
			}
		}
		if len(p.Objectives) != 3 || statuses["achieved"] != 1 || statuses["under-way"] != 1 || statuses["planned"] != 1 {
			t.Errorf("the plan's objectives by status: %v", statuses)
		}
		if len(p.SharedWith) != 1 || p.SharedWith[0].ID != sup.ID {
			t.Errorf("the plan is shared with %v, want only the supervisor %s", p.SharedWith, sup.Name)
		}
		if len(p.SignOffs) != 1 || p.SignOffs[0].SupervisorID != sup.ID || !p.ChangedSinceSignOff() {
			t.Errorf("sign-offs %+v, changed since %v: want one by the supervisor, before the latest change", p.SignOffs, p.ChangedSinceSignOff())
		}
		if len(p.Comments) != 1 || p.Comments[0].AuthorID != sup.ID {
			t.Errorf("comments %+v: want one by the supervisor", p.Comments)
		}

		// Their reflections: recent, improving, and notes that identify no one.
		recent, err := s.Development.Reflections(ctx, prac.ID, developmentToday.AddDate(0, 0, -30))
		must(t, err)
		if len(recent) < 4 || recent[0].TakenAt.After(end) {
			t.Errorf("%d reflections in the last 30 days, the newest %v; want several, none after %v", len(recent), recent, developmentToday)
		}
		since := developmentToday.AddDate(0, -7, 0)
		rs, err := s.Development.Reflections(ctx, prac.ID, since)
		must(t, err)
		half := since.Add(end.Sub(since) / 2)
		var yes, all [2]int
		answers, notes := map[string]int{}, 0
		for _, r := range rs {
			h := 0
			if r.TakenAt.After(half) {
				h = 1
			}
			for _, a := range r.Answers {
				answers[a]++
				all[h]++
				if a == "yes" {
					yes[h]++
				}
			}
			if r.Note != "" {
				notes++
				if msg := alongside.ReflectionNoteProblem(r.Note); msg != "" {
					t.Errorf("note %q: %s", r.Note, msg)
				}
			}
		}
		if len(rs) < 40 || notes == 0 || answers["partly"] == 0 || answers["no"] == 0 || answers["yes"] < answers["partly"]+answers["no"] {
			t.Errorf("%d reflections with %d notes, answers %v: want two or more a week, mostly yes", len(rs), notes, answers)
		}
		if all[0] == 0 || all[1] == 0 || float64(yes[1])/float64(all[1]) <= float64(yes[0])/float64(all[0]) {
			t.Errorf("yes in %d of %d answers, then %d of %d: want more later", yes[0], all[0], yes[1], all[1])
		}

		// Others in the team reflect too.
		members, err := s.Accounts.ServiceMembers(ctx, svc.ID, alongside.RolePractitioner)
		must(t, err)
		reflecting := 0
		for _, m := range members {
			rs, err := s.Development.Reflections(ctx, m.UserID, since)
			must(t, err)
			if len(rs) > 0 {
				reflecting++
			}
		}
		if reflecting < 3 {
			t.Errorf("%d practitioners of %s reflect, want several", reflecting, svc.Name)
		}
		t.Logf("%d practitioners with self-assessments, needs %v; %d of the practitioner's reflections since %v, answers %v, %d notes",
			totals.Practitioners, totals.Needs, len(rs), since.Format("2 January 2006"), answers, notes)
	})
}
