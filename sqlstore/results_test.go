package sqlstore_test

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

func TestInvitationsAreSingleUseAndExpire(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		r := &alongside.Review{ServiceID: w.svcA.ID, CoordinatorID: w.prac.ID, Title: "Spring review"}
		must(t, s.Reviews.StartReview(ctx, r))
		if _, err := s.Links.IssueInvitations(ctx, r, alongside.SourceCarers, 2, 14); code(err) != alongside.ECONFLICT {
			t.Fatalf("invitations while planning: %v", err)
		}
		must(t, s.Reviews.AdvanceReview(ctx, r))
		if _, err := s.Links.IssueInvitations(ctx, r, alongside.SourceAssessments, 2, 14); alongside.FieldErrors(err)["source"] == "" {
			t.Fatalf("invitations for a document source: %v", err)
		}
		tokens, err := s.Links.IssueInvitations(ctx, r, alongside.SourceCarers, 3, 14)
		if err != nil || len(tokens) != 3 {
			t.Fatalf("issue: %v %v", tokens, err)
		}
		l, err := s.Reviews.ReviewStatementSet(ctx, r)
		must(t, err)
		got, src, err := s.Links.Invitation(ctx, tokens[0])
		if err != nil || got.ID != r.ID || src != alongside.SourceCarers {
			t.Fatalf("invitation: %v %v %v", got, src, err)
		}
		answer := func() *alongside.EvidenceSheet {
			return &alongside.EvidenceSheet{Source: alongside.SourceCarers, Ratings: map[alongside.StatementRef]int{{Indicator: "carers", N: 1}: 5}}
		}
		must(t, s.Links.AnswerInvitation(ctx, tokens[0], r, l, answer()))
		// A second submit from the same link adds nothing.
		if err := s.Links.AnswerInvitation(ctx, tokens[0], r, l, answer()); code(err) != alongside.ENOTFOUND {
			t.Fatalf("second answer: %v", err)
		}
		if _, _, err := s.Links.Invitation(ctx, tokens[0]); code(err) != alongside.ENOTFOUND {
			t.Fatalf("used link still open: %v", err)
		}
		// A refused answer leaves the link open.
		if err := s.Links.AnswerInvitation(ctx, tokens[1], r, l, &alongside.EvidenceSheet{Source: alongside.SourceCarers}); code(err) != alongside.EINVALID {
			t.Fatalf("empty answer: %v", err)
		}
		if _, _, err := s.Links.Invitation(ctx, tokens[1]); err != nil {
			t.Fatalf("link spent by a refused answer: %v", err)
		}
		s.Clock.(*alongside.FixedClock).Advance(15 * 24 * time.Hour)
		if err := s.Links.AnswerInvitation(ctx, tokens[1], r, l, answer()); code(err) != alongside.ENOTFOUND {
			t.Fatalf("expired link: %v", err)
		}
		c, err := s.Links.Invitations(ctx, r.ID)
		must(t, err)
		if c[alongside.SourceCarers] != (sqlstore.InvitationCounts{Issued: 3, Used: 1, Expired: 2}) {
			t.Fatalf("counts = %+v", c)
		}
		counts, _ := s.Reviews.SheetCounts(ctx, r.ID)
		if counts[alongside.SourceCarers] != 1 {
			t.Fatalf("sheets = %v", counts)
		}
	})
}

func TestResultsLiveAndKept(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		r, set := gathering(t, s, w, "Spring review")
		// Four staff sheets (too few to show) and two records sheets.
		for i, v := range []int{5, 4, 4, 2} {
			must(t, s.Reviews.AddSheet(ctx, r, set, &alongside.EvidenceSheet{Source: alongside.SourceStaff, Paper: true, EnteredBy: w.prac.ID,
				Ratings:  map[alongside.StatementRef]int{{Indicator: "goals", N: 1}: v, {Indicator: "goals", N: 2}: alongside.NotApplicable},
				Evidence: map[string]string{"goals": []string{"We ask about hopes", "Goals are mine", "", "Not always"}[i]}}))
		}
		for _, ref := range []string{"A1", "A2"} {
			must(t, s.Reviews.AddSheet(ctx, r, set, &alongside.EvidenceSheet{Source: alongside.SourceAssessments, Reference: ref, EnteredBy: w.prac.ID,
				Ratings:  map[alongside.StatementRef]int{{Indicator: "goals", N: 1}: 3, {Indicator: "goals", N: 2}: 2},
				Evidence: map[string]string{"goals": "Goals written in the person's words (" + ref + ")"}}))
		}
		check := func(when string) {
			res, err := s.Reviews.ReviewResults(ctx, r, "")
			must(t, err)
			staff := res.Tally("goals", alongside.SourceStaff)
			if staff.Sheets != 4 || staff.NA != 4 || staff.Counts != [6]int{0, 0, 1, 0, 2, 1} || staff.Shown() {
				t.Fatalf("%s: staff tally = %+v", when, staff)
			}
			rec := res.Tally("goals", alongside.SourceAssessments)
			if rec.Sheets != 2 || rec.Rated() != 4 || math.Abs(rec.Mean()-2.5) > 1e-9 || !rec.Shown() {
				t.Fatalf("%s: records tally = %+v", when, rec)
			}
			// Four staff comments are hidden; the records comments show.
			if cs := res.Comments["goals"]; len(cs) != 2 || cs[0].Source != alongside.SourceAssessments || res.CommentCounts["goals"] != 2 {
				t.Fatalf("%s: comments = %+v", when, cs)
			}
			// The profile leaves out what may not be shown.
			for _, p := range res.Profile(set) {
				if p.Indicator == "goals" && (p.Rated != 4 || math.Abs(p.Mean-2.5) > 1e-9) {
					t.Fatalf("%s: profile point = %+v", when, p)
				}
			}
		}
		check("while gathering")
		must(t, s.Reviews.AdvanceReview(ctx, r))
		check("after gathering")
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestAttachedEvidenceIsASnapshot(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		r := &alongside.Review{ServiceID: w.svcA.ID, CoordinatorID: w.prac.ID, Title: "Spring review"}
		must(t, s.Reviews.StartReview(ctx, r))
		l, err := s.Reviews.ReviewStatementSet(ctx, r)
		must(t, err)
		bad := &alongside.AttachedEvidence{Indicator: "no-such", Kind: alongside.KindNote, Title: "", Link: "javascript:alert(1)"}
		f := alongside.FieldErrors(s.Reviews.AttachEvidence(ctx, r, l, bad))
		if f["indicator"] == "" || f["title"] == "" || f["link"] == "" {
			t.Fatalf("bad item: %v", f)
		}
		figures := []alongside.Figure{{Label: "Respondents", Value: "23"}, {Label: "Average", Value: "3.9"}}
		e := &alongside.AttachedEvidence{Indicator: "staff-supported", Kind: alongside.KindLiveFigure, Title: "Supervision this quarter",
			Figures: figures, Link: "/services/1"}
		must(t, s.Reviews.AttachEvidence(ctx, r, l, e))
		figures[0].Value = "99" // the caller's later change does not reach what was kept
		got, err := s.Reviews.ReviewEvidence(ctx, r.ID)
		must(t, err)
		if len(got) != 1 || got[0].Figures[0].Value != "23" || got[0].Kind != alongside.KindLiveFigure || got[0].Link != "/services/1" {
			t.Fatalf("attached = %+v", got)
		}
		for range 3 {
			must(t, s.Reviews.AdvanceReview(ctx, r))
		}
		if err := s.Reviews.AttachEvidence(ctx, r, l, &alongside.AttachedEvidence{Indicator: "goals", Kind: alongside.KindNote, Title: "Late", Text: "x"}); code(err) != alongside.ECONFLICT {
			t.Fatalf("attaching to a complete review: %v", err)
		}
	})
}

func TestNetworkReviewsUseTheLatestCompletedReview(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		cycle := func(title string, rating int, themes ...string) *alongside.Review {
			r, set := gathering(t, s, w, title)
			must(t, s.Reviews.AddSheet(ctx, r, set, &alongside.EvidenceSheet{Source: alongside.SourceCarePlans, Reference: "C1", EnteredBy: w.prac.ID,
				Ratings: map[alongside.StatementRef]int{{Indicator: "carers", N: 1}: rating}}))
			// Three staff sheets rate "carers" 1: too few to count.
			for range 3 {
				must(t, s.Reviews.AddSheet(ctx, r, set, &alongside.EvidenceSheet{Source: alongside.SourceStaff, Paper: true, EnteredBy: w.prac.ID,
					Ratings: map[alongside.StatementRef]int{{Indicator: "carers", N: 1}: 1}}))
			}
			must(t, s.Reviews.AdvanceReview(ctx, r))
			must(t, s.ActionPlans.AddAction(ctx, r, set, &alongside.Action{What: "Hold a carers' evening", Status: alongside.ActionPlanned, Themes: themes}))
			must(t, s.ActionPlans.AddAction(ctx, r, set, &alongside.Action{What: "Another step", Status: alongside.ActionPlanned, Themes: themes}))
			must(t, s.Reviews.AdvanceReview(ctx, r))
			return r
		}
		cycle("Spring review", 2, "goal-setting")
		second := cycle("Autumn review", 4, "involving-carers", "peer-support")
		// A third, still under way, is not what the network sees.
		must(t, s.Reviews.StartReview(ctx, &alongside.Review{ServiceID: w.svcA.ID, CoordinatorID: w.prac.ID, Title: "Next"}))
		rows, err := s.ActionPlans.NetworkReviews(ctx, w.org.ID)
		must(t, err)
		var a, b *sqlstore.NetworkService
		for i := range rows {
			switch rows[i].Service.ID {
			case w.svcA.ID:
				a = &rows[i]
			case w.svcB.ID:
				b = &rows[i]
			}
		}
		if a == nil || a.Review == nil || a.Review.ID != second.ID || a.Cycles != 2 {
			t.Fatalf("service A = %+v", a)
		}
		if p := a.Profile["carers"]; p.Rated != 1 || p.Mean != 4 {
			t.Fatalf("profile point = %+v (staff sheets under 5 must not count)", p)
		}
		if !a.HasPlan || !a.Themes["involving-carers"] || !a.Themes["peer-support"] || a.Themes["goal-setting"] || len(a.Themes) != 2 {
			t.Fatalf("themes = %v %v", a.HasPlan, a.Themes)
		}
		if b == nil || b.Review != nil || b.HasPlan {
			t.Fatalf("service B without a review = %+v", b)
		}
	})
}

func TestResultsShowTheFirstCommentsOfEachIndicator(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		r, set := gathering(t, s, w, "Spring review")
		n := alongside.CommentsPerIndicator + 3
		for i := range n {
			must(t, s.Reviews.AddSheet(ctx, r, set, &alongside.EvidenceSheet{Source: alongside.SourceCarePlans, Reference: "C", EnteredBy: w.prac.ID,
				Ratings:  map[alongside.StatementRef]int{{Indicator: "goals", N: 1}: 3},
				Evidence: map[string]string{"goals": string(rune('a'+i)) + " plan", "carers": "carers " + string(rune('a'+i))}}))
		}
		// The comments shown come in an order drawn when they were written:
		// the same on every visit and after the review moves on.
		var first []alongside.Comment
		check := func(when string) {
			res, err := s.Reviews.ReviewResults(ctx, r, "carers")
			must(t, err)
			goals := res.Comments["goals"]
			if len(goals) != alongside.CommentsPerIndicator || res.CommentCounts["goals"] != n {
				t.Fatalf("%s: goals: %d comments of %d", when, len(goals), res.CommentCounts["goals"])
			}
			seen := map[string]bool{}
			for _, c := range goals {
				if !strings.HasSuffix(c.Text, " plan") || seen[c.Text] || c.Source != alongside.SourceCarePlans {
					t.Fatalf("%s: goals comments %v", when, goals)
				}
				seen[c.Text] = true
			}
			if first == nil {
				first = goals
			} else if !reflect.DeepEqual(first, goals) {
				t.Fatalf("%s: order changed: %v, then %v", when, first, goals)
			}
			if len(res.Comments["carers"]) != n {
				t.Fatalf("%s: all carers comments asked for, %d given", when, len(res.Comments["carers"]))
			}
		}
		check("while gathering")
		check("again")
		must(t, s.Reviews.AdvanceReview(ctx, r))
		check("kept")
	})
}

// gathering starts a review of service A, coordinated by its practitioner,
// and moves it on to gathering evidence.
func gathering(t *testing.T, s *sqlstore.Store, w *world, title string) (*alongside.Review, *alongside.StatementSet) {
	t.Helper()
	r := &alongside.Review{ServiceID: w.svcA.ID, CoordinatorID: w.prac.ID, Title: title}
	must(t, s.Reviews.StartReview(ctx, r))
	must(t, s.Reviews.AdvanceReview(ctx, r))
	l, err := s.Reviews.ReviewStatementSet(ctx, r)
	must(t, err)
	return r, l
}

// Results are kept between views, and two app servers (two stores on one
// database) see each other's sheets at once: a sheet kept through one
// shows on the other's next read.
func TestResultsKeptUntilAnotherSheet(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := testdb.DSN(t, engine)
			var stores []*sqlstore.Store
			for range 2 {
				s, err := sqlstore.Open(ctx, dsn)
				must(t, err)
				t.Cleanup(func() { s.Close() })
				s.Clock = alongside.NewFixedClock(testdb.Epoch)
				_, err = s.Migrate(ctx)
				must(t, err)
				stores = append(stores, s)
			}
			a, b := stores[0], stores[1]
			w := newWorld(t, a)
			r, set := gathering(t, a, w, "Spring review")
			sheet := func(ref string, rating int) *alongside.EvidenceSheet {
				return &alongside.EvidenceSheet{Source: alongside.SourceAssessments, Reference: ref, EnteredBy: w.prac.ID,
					Ratings:  map[alongside.StatementRef]int{{Indicator: "goals", N: 1}: rating},
					Evidence: map[string]string{"goals": "Seen in " + ref}}
			}
			sheets := func(s *sqlstore.Store) (int, int) {
				res, err := s.Reviews.ReviewResults(ctx, r, "")
				must(t, err)
				return res.Tally("goals", alongside.SourceAssessments).Sheets, len(res.Comments["goals"])
			}
			must(t, a.Reviews.AddSheet(ctx, r, set, sheet("A1", 4)))
			if n, c := sheets(a); n != 1 || c != 1 {
				t.Fatalf("after one sheet: %d sheets, %d comments", n, c)
			}
			if n, _ := sheets(a); n != 1 {
				t.Fatalf("read again: %d sheets", n)
			}
			must(t, b.Reviews.AddSheet(ctx, r, set, sheet("A2", 2)))
			if n, c := sheets(a); n != 2 || c != 2 {
				t.Fatalf("after a sheet through the other server: %d sheets, %d comments, want 2 and 2", n, c)
			}
			must(t, a.Reviews.AddSheet(ctx, r, set, sheet("A3", 3)))
			if n, _ := sheets(b); n != 3 {
				t.Fatalf("the other server after a third sheet: %d sheets, want 3", n)
			}
		})
	}
}
