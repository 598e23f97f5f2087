package demo_test

import (
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// Demo surveys show results and change: the network's staff survey has a
// baseline and a follow-up, both with enough responses to show, whose
// pairing codes pair and whose goal-setting scores rise; the first
// service's survey of people's experience is open on the demo's today and
// has enough responses for its results to show.
func TestDemoSurveys(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		accounts := seed(t, s)
		if now := s.Clock.Now(); !now.Equal(testdb.Epoch) {
			t.Errorf("the store's clock reads %v after seeding, want it put back to %v", now, testdb.Epoch)
		}
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
		lead := actorByEmail(t, s, by["lead"]).User
		manager := actorByEmail(t, s, by["manager"]).User

		all, err := s.Surveys.Surveys(ctx, org.ID, 0)
		must(t, err)
		var staff, people *alongside.Survey
		for i := range all {
			sv := &all[i]
			switch {
			case sv.ServiceID == 0 && sv.Questionnaire.Audience == alongside.AudienceStaff:
				staff = sv
			case sv.ServiceID == svc.ID && sv.Questionnaire.Audience == alongside.AudiencePeople:
				people = sv
			}
		}
		if staff == nil || people == nil {
			t.Fatalf("surveys = %+v, want a network staff survey and a people's survey at %s", all, svc.Name)
		}

		// The staff survey: the lead's, a baseline and a follow-up, both
		// closed by today, with enough responses, a few of them on paper.
		if staff.CreatedBy != lead.ID {
			t.Errorf("the staff survey was started by user %d, want the network lead (%d)", staff.CreatedBy, lead.ID)
		}
		if len(staff.Waves) != 2 || !staff.Waves[0].Baseline || staff.Waves[1].Baseline {
			t.Fatalf("the staff survey's waves = %+v, want a baseline and a follow-up", staff.Waves)
		}
		base, follow := staff.Waves[0], staff.Waves[1]
		for _, w := range staff.Waves {
			if w.Responses < 20 || w.Responses > 45 {
				t.Errorf("the staff survey's %s has %d responses, want 20 to 45", w.Label, w.Responses)
			}
			if w.OpenOn(developmentToday) || w.ClosesOn >= developmentToday.Format("2006-01-02") {
				t.Errorf("the staff survey's %s runs %s to %s, want it closed by %v", w.Label, w.OpensOn, w.ClosesOn, developmentToday)
			}
		}
		responses, err := s.Surveys.SurveyResponses(ctx, staff)
		must(t, err)
		paper, texts, services := 0, 0, map[string]bool{}
		for _, r := range responses {
			if r.Paper {
				paper++
			}
			if r.Answers["goals-help"] != "" || r.Answers["team-change"] != "" {
				texts++
			}
			services[r.Service] = true
		}
		if paper < 2 || paper > 3 || texts < 4 || len(services) < 5 {
			t.Errorf("the staff survey has %d paper responses, %d with free text, from %d services; want 2 or 3, several and several",
				paper, texts, len(services))
		}

		// Codes pair, and goal setting rises between them.
		diffs, err := s.Surveys.PairedDifferences(ctx, &base, &follow, 0)
		must(t, err)
		goals := diffs["goals"]
		if len(goals) < 10 {
			t.Fatalf("%d pairs in goal setting, want 10 or more", len(goals))
		}
		mean, falls := 0.0, 0
		for _, d := range goals {
			mean += d / float64(len(goals))
			if d < 0 {
				falls++
			}
		}
		if mean <= 0 || falls == len(goals) {
			t.Errorf("the mean paired change in goal setting is %.1f (%d of %d fall), want a rise", mean, falls, len(goals))
		}
		if len(goals) > (base.Responses+follow.Responses)/2 {
			t.Errorf("%d pairs of %d and %d responses: want some respondents unpaired", len(goals), base.Responses, follow.Responses)
		}
		before, err := s.Surveys.WaveSummary(ctx, &base, 0)
		must(t, err)
		after, err := s.Surveys.WaveSummary(ctx, &follow, 0)
		must(t, err)
		for _, d := range []string{"goals", "hope", "positive-risk"} {
			b, a := before.Domains[d], after.Domains[d]
			if a.Mean <= b.Mean || b.SD == 0 || a.SD == 0 {
				t.Errorf("%s: baseline %.1f (SD %.1f), follow-up %.1f (SD %.1f); want a rise, with spread", d, b.Mean, b.SD, a.Mean, a.SD)
			}
		}

		// The people's survey: the manager's, open today, with enough
		// responses for its results to show.
		if people.CreatedBy != manager.ID {
			t.Errorf("the people's survey was started by user %d, want %s's manager (%d)", people.CreatedBy, svc.Name, manager.ID)
		}
		if len(people.Waves) != 1 || !people.Waves[0].OpenOn(developmentToday) {
			t.Fatalf("the people's survey's waves = %+v, want one open on %v", people.Waves, developmentToday)
		}
		w := people.Waves[0]
		if w.Responses < 5 || w.Responses > 15 {
			t.Errorf("the people's survey has %d responses, want 5 to 15", w.Responses)
		}
		sum, err := s.Surveys.WaveSummary(ctx, &w, svc.ID)
		must(t, err)
		if sum.Respondents < alongside.MinGroup || sum.Respondents < 5 {
			t.Errorf("the people's survey's results have %d respondents behind them, want at least 5", sum.Respondents)
		}
	})
}
