package sqlstore_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// randomSheet answers some statements of some indicators for a source, N/A
// now and then, with evidence for some indicators and none for others.
func randomSheet(rng *rand.Rand, set *alongside.StatementSet, src alongside.EvidenceSource, by int64) *alongside.EvidenceSheet {
	sh := &alongside.EvidenceSheet{Source: src, Paper: !src.Document(), EnteredBy: by,
		Ratings: map[alongside.StatementRef]int{}, Evidence: map[string]string{}}
	if src.Document() {
		sh.Reference = "R1"
	}
	for _, in := range set.Indicators {
		for n := range in.For(src) {
			if rng.IntN(3) > 0 {
				sh.Ratings[alongside.StatementRef{Indicator: in.Key, N: n + 1}] = rng.IntN(6) // 0 is N/A
			}
		}
		if rng.IntN(4) == 0 {
			sh.Evidence[in.Key] = "Seen in practice"
		}
	}
	if len(sh.Ratings) == 0 {
		sh.Ratings[alongside.StatementRef{Indicator: set.Indicators[0].Key, N: 1}] = 3
	}
	return sh
}

// The tallies each sheet adds itself to must equal what its sheets add up
// to, counted here independently from the sheets as they were sent.
func TestTalliesMatchTheSheets(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		r, set := gathering(t, s, w, "Spring review")
		rng := rand.New(rand.NewPCG(1, 2))
		type key struct {
			src alongside.EvidenceSource
			ind string
		}
		want := map[key]*alongside.Tally{}
		comments := map[string]int{}
		counts := map[alongside.EvidenceSource]int{alongside.SourceCarePlans: 12, alongside.SourceStaff: 7, alongside.SourceCarers: 3}
		for src, n := range counts {
			for range n {
				sh := randomSheet(rng, set, src, w.prac.ID)
				must(t, s.Reviews.AddSheet(ctx, r, set, sh))
				rated := map[string]bool{}
				for ref, v := range sh.Ratings {
					k := key{src, ref.Indicator}
					if want[k] == nil {
						want[k] = &alongside.Tally{Source: src, Indicator: ref.Indicator}
					}
					if v == alongside.NotApplicable {
						want[k].NA++
					} else {
						want[k].Counts[v]++
					}
					if !rated[ref.Indicator] {
						rated[ref.Indicator] = true
						want[k].Sheets++
					}
				}
				if src != alongside.SourceCarers { // 3 carers' sheets: their comments are not shown
					for ind := range sh.Evidence {
						comments[ind]++
					}
				}
			}
		}
		res, err := s.Reviews.ReviewResults(ctx, r, "")
		must(t, err)
		if len(res.Tallies) != len(want) {
			t.Fatalf("%d tallies, want %d", len(res.Tallies), len(want))
		}
		for _, got := range res.Tallies {
			w := want[key{got.Source, got.Indicator}]
			if w == nil || *w != got {
				t.Errorf("tally %s %s = %+v, want %+v", got.Source, got.Indicator, got, w)
			}
		}
		for ind, n := range comments {
			if res.CommentCounts[ind] != n {
				t.Errorf("comments under %s: %d, want %d", ind, res.CommentCounts[ind], n)
			}
		}
		for ind, n := range res.CommentCounts {
			if comments[ind] != n {
				t.Errorf("comments under %s: %d, want %d", ind, n, comments[ind])
			}
		}
	})
}

// Sheets sent while the review moves on from gathering are either kept and
// counted, or refused: none is kept without being counted, or counted
// without being kept.
func TestSheetsRacingTheEndOfGathering(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		r, set := gathering(t, s, w, "Spring review")
		var wg sync.WaitGroup
		var mu sync.Mutex
		kept := 0
		for i := range 40 {
			wg.Add(1)
			rv := *r // as each request loaded it
			go func() {
				defer wg.Done()
				err := s.Reviews.AddSheet(ctx, &rv, set, &alongside.EvidenceSheet{Source: alongside.SourceStaff, Paper: true, EnteredBy: w.prac.ID,
					Ratings: map[alongside.StatementRef]int{{Indicator: "carers", N: 1}: 1 + i%5}})
				switch {
				case err == nil:
					mu.Lock()
					kept++
					mu.Unlock()
				case code(err) != alongside.ECONFLICT:
					t.Errorf("sheet %d: %v", i, err)
				}
			}()
			if i == 20 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := s.Reviews.AdvanceReview(ctx, r); err != nil {
						t.Error(err)
					}
				}()
			}
		}
		wg.Wait()
		res, err := s.Reviews.ReviewResults(ctx, r, "")
		must(t, err)
		if got := res.Tally("carers", alongside.SourceStaff).Sheets; got != kept || res.Sheets[alongside.SourceStaff] != kept {
			t.Fatalf("%d sheets kept, %d in the tally, %d counted", kept, got, res.Sheets[alongside.SourceStaff])
		}
		// The kept profile counts the same sheets.
		profile, err := s.Reviews.KeptProfile(ctx, r.ID)
		must(t, err)
		if p := profile["carers"]; kept >= alongside.MinGroup && p.Rated != kept {
			t.Fatalf("profile rated %d, %d sheets kept", p.Rated, kept)
		}
	})
}

// Reads audited at once from many requests are each written, and each call
// returns only once its line is in the log.
func TestConcurrentAuditLinesAreAllKept(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.Audit.Audit(ctx, "plan.view", "person", w.person.ID, 0, w.svcA.ID, fmt.Sprint(i)); err != nil {
					t.Error(err)
				}
				events, _, err := s.Audit.AuditEvents(ctx, alongside.AuditFilter{TargetKind: "person", TargetID: w.person.ID, Limit: 500})
				if err != nil {
					t.Error(err)
					return
				}
				for _, e := range events {
					if e.Detail == fmt.Sprint(i) {
						return
					}
				}
				t.Errorf("line %d is not in the log after Audit returned", i)
			}()
		}
		wg.Wait()
		events, _, err := s.Audit.AuditEvents(ctx, alongside.AuditFilter{TargetKind: "person", TargetID: w.person.ID, Limit: 500})
		must(t, err)
		if len(events) != 50 {
			t.Fatalf("%d lines kept, want 50", len(events))
		}
	})
}
