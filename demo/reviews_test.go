package demo_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// The demo's review cycles: every service has completed a first cycle with
// sheets from every source and an action plan, five are gathering evidence
// for a second, and the network view has themes and held-back figures to
// show.
func TestSeedReviews(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		accounts := seed(t, s)
		org := onlyOrg(t, s)
		if now := s.Clock.Now(); !now.Equal(testdb.Epoch) {
			t.Errorf("the store's clock reads %v after seeding, want it put back to %v", now, testdb.Epoch)
		}
		svs, err := s.Organisations.Services(ctx, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		gathering := map[string]*alongside.Review{}
		today := time.Now()
		overdue, open := 0, 0
		for _, svc := range svs {
			rs, err := s.Reviews.ServiceReviews(ctx, svc.ID)
			if err != nil {
				t.Fatal(err)
			}
			complete := 0
			for i := range rs {
				r := &rs[i]
				switch r.Stage {
				case alongside.StageGathering:
					gathering[svc.Name] = r
					continue
				case alongside.StageComplete:
				default:
					t.Errorf("%s: %q is at %s, want gathering or complete", svc.Name, r.Title, r.Stage)
					continue
				}
				complete++
				if r.CompletedAt.IsZero() || !r.CompletedAt.After(r.StartedAt) || r.CompletedAt.After(today) {
					t.Errorf("%s: %q started %v, completed %v; want completed after it started, in the past", svc.Name, r.Title, r.StartedAt, r.CompletedAt)
				}
				counts, err := s.Reviews.SheetCounts(ctx, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, src := range alongside.EvidenceSources {
					if counts[src] == 0 {
						t.Errorf("%s, %s: no %s sheets", svc.Name, r.Title, src.Label())
					}
				}
				if counts[alongside.SourceAssessments] < 8 || counts[alongside.SourceCarePlans] < 8 {
					t.Errorf("%s, %s: %d assessments and %d care plans, want about ten of each", svc.Name, r.Title,
						counts[alongside.SourceAssessments], counts[alongside.SourceCarePlans])
				}
				plan, err := s.ActionPlans.ActionPlan(ctx, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(plan.Findings) < 3 || len(plan.Findings) > 5 || len(plan.Actions) < 3 || len(plan.Actions) > 6 {
					t.Errorf("%s, %s: %d findings and %d actions, want 3 to 5 and 3 to 6", svc.Name, r.Title, len(plan.Findings), len(plan.Actions))
				}
				for _, a := range plan.Actions {
					if a.Overdue(today) {
						overdue++
					}
					if !a.Status.Closed() {
						open++
					}
					if a.Status == alongside.ActionDone && len(a.Examples) == 0 {
						t.Errorf("%s: done action %q has no example of change", svc.Name, a.What)
					}
				}
			}
			if complete == 0 {
				t.Errorf("%s has no completed review", svc.Name)
			}
		}
		if overdue == 0 || overdue == open {
			t.Errorf("%d of %d open actions overdue, want some but not all", overdue, open)
		}

		if len(gathering) != 5 {
			t.Errorf("%d services gathering evidence for a second review, want 5", len(gathering))
		}
		var practitioner, supervisor string
		for _, a := range accounts {
			switch a.Role {
			case "practitioner":
				practitioner = a.Email
			case "supervisor":
				supervisor = a.Email
			}
		}
		if r := gathering["Birchwood Supported Living"]; r == nil {
			t.Error("Birchwood has no review gathering evidence")
		} else {
			full, err := s.Reviews.Review(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if p := actorByEmail(t, s, practitioner); full.CoordinatorID != p.User.ID {
				t.Errorf("Birchwood's open review is coordinated by %s, want the canonical practitioner", full.CoordinatorName)
			}
			if sup := actorByEmail(t, s, supervisor); !full.InTeam(sup.User.ID) {
				t.Errorf("Birchwood's open review team %v does not include the canonical supervisor", full.TeamNames)
			}
			if full.PreviousID == 0 {
				t.Error("Birchwood's open review has no previous review to compare with")
			}
			counts, err := s.Reviews.SheetCounts(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if counts[alongside.SourceAssessments] == 0 || counts[alongside.SourceStaff] == 0 {
				t.Errorf("Birchwood's open review has sheets %v, want records and some answers already in", counts)
			}
		}

		// The network view: every service with a completed review and a
		// plan, and the themes as designed.
		net, err := s.ActionPlans.NetworkReviews(ctx, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(net) != 14 {
			t.Fatalf("network view has %d services, want 14", len(net))
		}
		themes := map[string]int{}
		twice := 0
		shown, hidden := 0, 0
		for _, ns := range net {
			if ns.Review == nil || !ns.HasPlan || len(ns.Profile) == 0 {
				t.Errorf("%s: review %v, plan %v, %d profile points; want a completed review with a plan", ns.Service.Name, ns.Review, ns.HasPlan, len(ns.Profile))
				continue
			}
			if ns.Cycles == 2 {
				twice++
			}
			for k := range ns.Themes {
				themes[k]++
			}
			r, err := s.Reviews.Review(ctx, ns.Review.ID)
			if err != nil {
				t.Fatal(err)
			}
			res, err := s.Reviews.ReviewResults(ctx, r, "")
			if err != nil {
				t.Fatal(err)
			}
			if res.Tally("carers", alongside.SourceCarers).Shown() {
				shown++
			} else {
				hidden++
			}
		}
		if twice != 1 {
			t.Errorf("%d services have completed two cycles, want 1", twice)
		}
		want := map[string]int{"involving-carers": 11, "strengths-assessment": 9, "goal-setting": 8, "positive-risk-taking": 6, "peer-support": 5}
		for _, th := range content.DefaultThemes() {
			n := themes[th.Key]
			if w, ok := want[th.Key]; ok && n != w {
				t.Errorf("%d plans include %q, want %d", n, th.Key, w)
			} else if !ok && (n < 1 || n > 4) {
				t.Errorf("%d plans include %q, want 1 to 4", n, th.Key)
			}
		}
		if shown == 0 || hidden == 0 {
			t.Errorf("carers' figures shown in %d services and held back in %d; want both", shown, hidden)
		}
	})
}

// Rowan House's second completed cycle rates higher than its first on the
// indicators its first plan worked on, so the results show change.
func TestSeedReviewsShowChange(t *testing.T) {
	s := testdb.New(t, "sqlite")
	seed(t, s)
	svc := serviceByName(t, s, onlyOrg(t, s).ID, "Rowan House")
	rs, err := s.Reviews.ServiceReviews(ctx, svc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].PreviousID != rs[1].ID {
		t.Fatalf("Rowan House reviews %+v, want two, the second following the first", rs)
	}
	first, err := s.ActionPlans.ActionPlan(ctx, rs[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	targeted := map[string]bool{}
	for _, a := range first.Actions {
		if a.Status == alongside.ActionDone {
			for _, k := range a.Indicators {
				targeted[k] = true
			}
		}
	}
	if len(targeted) == 0 {
		t.Fatal("Rowan House's first plan has no done action")
	}
	mean := func(r *alongside.Review, ind string) float64 {
		res, err := s.Reviews.ReviewResults(ctx, r, "")
		if err != nil {
			t.Fatal(err)
		}
		set, err := s.Reviews.ReviewStatementSet(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range res.Profile(set) {
			if p.Indicator == ind {
				return p.Mean
			}
		}
		return 0
	}
	for ind := range targeted {
		if before, after := mean(&rs[1], ind), mean(&rs[0], ind); after <= before {
			t.Errorf("%s: %.2f in the second review, %.2f in the first; want a rise", ind, after, before)
		}
	}
}

// reviewRows describes every review of the demo, its sheets' results and
// its plan, for comparing two seeds.
func reviewRows(t *testing.T, s *sqlstore.Store, orgID int64) []string {
	t.Helper()
	svs, err := s.Organisations.Services(ctx, orgID)
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, svc := range svs {
		rs, err := s.Reviews.ServiceReviews(ctx, svc.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i := range rs {
			r := &rs[i]
			rows = append(rows, fmt.Sprintf("%s %s %s %s %v %v", svc.Name, r.Title, r.Stage, r.CoordinatorName, r.StartedAt, r.CompletedAt))
			res, err := s.Reviews.ReviewResults(ctx, r, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, tl := range res.Tallies {
				rows = append(rows, fmt.Sprintf("  %s %s %d %d %v", tl.Indicator, tl.Source, tl.Sheets, tl.NA, tl.Counts))
			}
			// Comments come in an order drawn when written: compare them
			// all, sorted.
			var inds []string
			for ind := range res.CommentCounts {
				inds = append(inds, ind)
			}
			sort.Strings(inds)
			for _, ind := range inds {
				all, err := s.Reviews.ReviewResults(ctx, r, ind)
				if err != nil {
					t.Fatal(err)
				}
				var cs []string
				for _, c := range all.Comments[ind] {
					cs = append(cs, "  "+ind+" "+string(c.Source)+" "+c.Text)
				}
				sort.Strings(cs)
				rows = append(rows, cs...)
			}
			plan, err := s.ActionPlans.ActionPlan(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			var found []string
			for ind, f := range plan.Findings {
				found = append(found, "  finding "+ind+" "+f.Strengths+" "+f.Areas)
			}
			sort.Strings(found)
			rows = append(rows, found...)
			for _, a := range plan.Actions {
				rows = append(rows, fmt.Sprintf("  action %s %s %s %s %s %d %d %v", a.What, a.Who, a.Due, a.Status,
					strings.Join(a.Themes, ","), len(a.Notes), len(a.Examples), a.UpdatedAt))
			}
		}
	}
	return rows
}
