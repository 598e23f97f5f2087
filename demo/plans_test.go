package demo_test

import (
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
)

// Demo plans show every part of a plan in use: the canonical person's full
// plan with a witnessed advance statement, shared in part with supporters;
// a plan with goals met, a review and progress; and one just started.
func TestDemoPlansAtThreeStages(t *testing.T) {
	s := testdb.New(t, "sqlite")
	accounts := seed(t, s)
	var personEmail string
	for _, a := range accounts {
		if a.Role == "person" {
			personEmail = a.Email
		}
	}
	person, err := s.Accounts.UserByEmail(ctx, personEmail)
	must(t, err)
	full, err := s.Plans.Plan(ctx, person.ID)
	must(t, err)

	for _, sec := range alongside.PlanSections {
		if !sec.Writable() {
			continue
		}
		if _, ok := full.Sections[sec.Key]; !ok {
			t.Errorf("the canonical person's plan has nothing in %q", sec.Key)
		}
	}
	if full.SignedVersion != full.Version || full.Sections[alongside.SectionAdvanceStatement].Text["witness-certifies"] != "yes" {
		t.Errorf("canonical plan: signed %d of %d, statement %v", full.SignedVersion, full.Version, full.Sections[alongside.SectionAdvanceStatement].Text)
	}
	sharing, err := s.Plans.PlanSharing(ctx, person.ID)
	must(t, err)
	views, err := s.Plans.SupporterViews(ctx, person.ID)
	must(t, err)
	if len(sharing) != 2 || len(views["staying-well"]) != 1 {
		t.Errorf("sharing = %v, views = %v", sharing, views)
	}

	// The other two people of the same service.
	ms, err := s.Accounts.MembershipsOf(ctx, person.ID)
	must(t, err)
	people, err := s.Accounts.ServiceMembers(ctx, ms[0].ServiceID, alongside.RolePerson)
	must(t, err)
	stages := map[string]int{}
	for _, m := range people {
		if m.UserID == person.ID {
			continue
		}
		p, err := s.Plans.Plan(ctx, m.UserID)
		must(t, err)
		ratings, err := s.Plans.ProgressRatings(ctx, m.UserID)
		must(t, err)
		switch {
		case p.Sections["review-1"].Version > 0 && p.Sections["goal-1"].Text["status"] == "done" && len(ratings) >= 9:
			stages["goals met"]++
		case p.Version > 0 && p.Version <= 2:
			stages["new"]++
		}
	}
	if stages["goals met"] != 1 || stages["new"] != 1 {
		t.Errorf("plans by stage = %v", stages)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
