package sqlstore_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

func TestReviewCycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		// The coordinator must belong to the service.
		bad := &alongside.Review{ServiceID: w.svcA.ID, CoordinatorID: w.otherPrac.ID, Title: "Spring review", Team: []int64{w.otherPrac.ID}}
		err := s.Reviews.StartReview(ctx, bad)
		if f := alongside.FieldErrors(err); f["coordinator"] == "" || f["team"] == "" {
			t.Fatalf("coordinator and team from another service: %v", err)
		}
		first := &alongside.Review{ServiceID: w.svcA.ID, CoordinatorID: w.prac.ID, Title: "Spring review", Team: []int64{w.prac2.ID}}
		if err := s.Reviews.StartReview(ctx, first); err != nil {
			t.Fatal(err)
		}
		if first.Stage != alongside.StagePlanning || first.PreviousID != 0 || first.StatementSetID == 0 {
			t.Fatalf("first review = %+v", first)
		}
		// One review at a time.
		if err := s.Reviews.StartReview(ctx, &alongside.Review{ServiceID: w.svcA.ID, CoordinatorID: w.manager.ID, Title: "Another"}); alongside.ErrorCode(err) != alongside.ECONFLICT {
			t.Fatalf("second open review: %v", err)
		}
		// A new statement set does not change a review already started.
		body := strings.Replace(content.DefaultStatementSet(), "version: 1", "version: 2", 1)
		if _, err := s.Organisations.LoadStatementSet(ctx, w.org.ID, body); err != nil {
			t.Fatal(err)
		}
		got, err := s.Reviews.Review(ctx, first.ID)
		if err != nil || got.StatementSetID != first.StatementSetID || !got.InTeam(w.prac2.ID) || got.InTeam(w.manager.ID) {
			t.Fatalf("review after a new set: %+v %v", got, err)
		}
		// Stages move forward one at a time; a stale press is a conflict.
		stale := *got
		for _, want := range []alongside.Stage{alongside.StageGathering, alongside.StageActionPlanning, alongside.StageComplete} {
			if err := s.Reviews.AdvanceReview(ctx, got); err != nil || got.Stage != want {
				t.Fatalf("advance to %s: %v %s", want, err, got.Stage)
			}
		}
		if err := s.Reviews.AdvanceReview(ctx, &stale); alongside.ErrorCode(err) != alongside.ECONFLICT {
			t.Fatalf("stale advance: %v", err)
		}
		if err := s.Reviews.AdvanceReview(ctx, got); alongside.ErrorCode(err) != alongside.EINVALID {
			t.Fatalf("advancing a complete review: %v", err)
		}
		// The next review links to the last and uses the set now current.
		next := &alongside.Review{ServiceID: w.svcA.ID, CoordinatorID: w.manager.ID, Title: "Autumn review"}
		if err := s.Reviews.StartReview(ctx, next); err != nil {
			t.Fatal(err)
		}
		if next.PreviousID != first.ID || next.StatementSetID == first.StatementSetID {
			t.Fatalf("next review = %+v", next)
		}
		list, _ := s.Reviews.ServiceReviews(ctx, w.svcA.ID)
		if len(list) != 2 || list[0].ID != next.ID || list[1].CompletedAt.IsZero() {
			t.Fatalf("service reviews = %+v", list)
		}
	})
}

func TestEvidenceSheets(t *testing.T) {
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
		sheet := func() *alongside.EvidenceSheet {
			return &alongside.EvidenceSheet{Source: alongside.SourceAssessments, Reference: "A3", EnteredBy: w.prac.ID,
				Ratings:  map[alongside.StatementRef]int{{Indicator: "basic-needs", N: 1}: 4, {Indicator: "goals", N: 2}: alongside.NotApplicable},
				Evidence: map[string]string{"basic-needs": "Housing is recorded on page 2."}}
		}
		if err := s.Reviews.AddSheet(ctx, r, l, sheet()); alongside.ErrorCode(err) != alongside.ECONFLICT {
			t.Fatalf("a sheet while planning: %v", err)
		}
		if err := s.Reviews.AdvanceReview(ctx, r); err != nil {
			t.Fatal(err)
		}
		noRef := sheet()
		noRef.Reference = ""
		if f := alongside.FieldErrors(s.Reviews.AddSheet(ctx, r, l, noRef)); f["reference"] == "" {
			t.Fatal("a records sheet without a reference was accepted")
		}
		chi := sheet()
		chi.Evidence["basic-needs"] = "See record 1503751234"
		if f := alongside.FieldErrors(s.Reviews.AddSheet(ctx, r, l, chi)); f["e-basic-needs"] == "" {
			t.Fatal("a CHI number in evidence was accepted")
		}
		unknown := sheet()
		unknown.Ratings[alongside.StatementRef{Indicator: "basic-needs", N: 99}] = 3
		if err := s.Reviews.AddSheet(ctx, r, l, unknown); alongside.ErrorCode(err) != alongside.EINVALID {
			t.Fatalf("a rating of a statement not in the set: %v", err)
		}
		if err := s.Reviews.AddSheet(ctx, r, l, sheet()); err != nil {
			t.Fatal(err)
		}
		counts, _ := s.Reviews.SheetCounts(ctx, r.ID)
		if counts[alongside.SourceAssessments] != 1 || len(counts) != 1 {
			t.Fatalf("counts = %v (a refused sheet left something behind?)", counts)
		}

		// A form sent twice, its nonce the same, is kept once, even when
		// both sendings arrive together.
		const nonce = "0123456789abcdef0123456789abcdef"
		errs := make(chan error, 5)
		for range 5 {
			go func() {
				typed := sheet()
				typed.Nonce = nonce
				errs <- s.Reviews.AddSheet(ctx, r, l, typed)
			}()
		}
		kept := 0
		for range 5 {
			switch err := <-errs; {
			case err == nil:
				kept++
			case !errors.Is(err, alongside.ErrAlreadyCounted):
				t.Fatalf("the same form again: %v", err)
			}
		}
		if kept != 1 {
			t.Fatalf("one form sent five times at once was kept %d times", kept)
		}
		other := sheet()
		other.Nonce = "fedcba9876543210fedcba9876543210"
		if err := s.Reviews.AddSheet(ctx, r, l, other); err != nil {
			t.Fatal(err)
		}
		counts, _ = s.Reviews.SheetCounts(ctx, r.ID)
		if counts[alongside.SourceAssessments] != 3 {
			t.Fatalf("%d sheets, want 3: two forms once each, and the first", counts[alongside.SourceAssessments])
		}
	})
}
