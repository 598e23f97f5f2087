package sqlstore_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// Each test here does the same work twice on one database, once through
// the engine's own path (sheets_*.go, plans_postgres.go, surveys_*.go)
// and once through the general path, and finds the same outcome.

// Sheets kept one statement at a time (PostgreSQL) or in a shared commit
// (SQLite) give the same results as sheets kept each in a transaction of
// its own, and are refused alike.
func TestSheetPathsAgree(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		review := func(svc *alongside.Service, coordinator int64) (*alongside.Review, *alongside.StatementSet) {
			r := &alongside.Review{ServiceID: svc.ID, CoordinatorID: coordinator, Title: "Spring review"}
			must(t, s.Reviews.StartReview(ctx, r))
			must(t, s.Reviews.AdvanceReview(ctx, r))
			set, err := s.Reviews.ReviewStatementSet(ctx, r)
			must(t, err)
			return r, set
		}
		type outcome struct {
			errs    []string
			results *alongside.Results
		}
		run := func(r *alongside.Review, set *alongside.StatementSet, by int64) outcome {
			var o outcome
			rng := rand.New(rand.NewPCG(3, 4))
			for i, src := range []alongside.EvidenceSource{alongside.SourceCarePlans, alongside.SourceStaff, alongside.SourceStaff, alongside.SourceCarers} {
				sh := randomSheet(rng, set, src, by)
				sh.Nonce = fmt.Sprintf("nonce-%020d", i)
				o.errs = append(o.errs, code(s.Reviews.AddSheet(ctx, r, set, sh)))
				again := *sh // the same form sent again
				o.errs = append(o.errs, code(s.Reviews.AddSheet(ctx, r, set, &again)))
			}
			res, err := s.Reviews.ReviewResults(ctx, r, "")
			must(t, err)
			must(t, s.Reviews.AdvanceReview(ctx, r))
			late := randomSheet(rng, set, alongside.SourceStaff, by)
			o.errs = append(o.errs, code(s.Reviews.AddSheet(ctx, r, set, late)))
			o.results = res
			return o
		}
		r1, set1 := review(w.svcA, w.prac.ID)
		own := run(r1, set1, w.prac.ID)
		restore := s.UseGeneralPaths()
		r2, set2 := review(w.svcB, w.otherPrac.ID)
		general := run(r2, set2, w.prac.ID)
		restore()
		if !reflect.DeepEqual(own, general) {
			t.Errorf("the engine's own path: %+v\nthe general path: %+v", own, general)
		}
	})
}

// A section saved in one statement (PostgreSQL) or through the general
// path gives the same versions, history and refusals.
func TestSectionSavePathsAgree(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		strengths, _ := alongside.PlanSectionByKey("strengths")
		run := func(person, svc int64) []string {
			var out []string
			save := func(base int, text string, by int64) {
				v, err := s.Plans.SaveSection(ctx, person, strengths, base, alongside.SectionText{"strengths": text}, by, svc)
				version := 0
				if v != nil {
					version = v.Version
				}
				out = append(out, fmt.Sprintf("base %d → version %d %s", base, version, code(err)))
			}
			save(0, "I am a good cook", person)
			save(1, "Good cook; I listen well", w.prac.ID)
			save(2, "Good cook; I listen well", person) // the same texts: no new version
			save(1, "Good cook and gardener", person)   // stale
			save(2, "Good cook, gardener; I listen well", person)
			history, err := s.Plans.SectionHistory(ctx, person, strengths.Key)
			must(t, err)
			for _, v := range history {
				out = append(out, fmt.Sprintf("%d %q by the person: %v", v.Version, v.Text["strengths"], v.ChangedBy == person))
			}
			p, err := s.Plans.Plan(ctx, person)
			must(t, err)
			return append(out, fmt.Sprintf("plan version %d", p.Version))
		}
		own := run(w.person.ID, w.svcA.ID)
		restore := s.UseGeneralPaths()
		general := run(w.person2.ID, w.svcB.ID)
		restore()
		if !reflect.DeepEqual(own, general) {
			t.Errorf("the engine's own path: %q\nthe general path: %q", own, general)
		}
	})
}

// Responses kept and counted through the engine's own paths (PostgreSQL:
// one statement, survey_unfolded and the fold's lock; SQLite: a shared
// commit) give the same counts, duplicates, summaries and pairs as the
// general paths, before and after they are folded.
func TestSurveyPathsAgree(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		today := s.Clock.Now().UTC().Format("2006-01-02")
		run := func() []any {
			sv := staffSurvey(t, s, w)
			must(t, s.Surveys.AddWave(ctx, sv, &alongside.Wave{Label: "Follow-up", OpensOn: today, ClosesOn: today}))
			sv, err := s.Surveys.Survey(ctx, sv.ID)
			must(t, err)
			var out []any
			n := 0
			for _, r := range []struct {
				wave, v int
				code    string
			}{{0, 2, "heron"}, {1, 4, "heron"}, {0, 3, "otter"}, {1, 5, "otter"}, {0, 1, ""}, {1, 3, "twice"}, {1, 4, "twice"}} {
				n++
				dup, err := s.Surveys.Respond(ctx, sv, &sv.Waves[r.wave], 0, answers(sv.Questionnaire, r.v), r.code, fmt.Sprintf("nonce-%020d", n), false)
				must(t, err)
				again, err := s.Surveys.Respond(ctx, sv, &sv.Waves[r.wave], 0, answers(sv.Questionnaire, r.v), r.code, fmt.Sprintf("nonce-%020d", n), false)
				must(t, err)
				out = append(out, dup, again)
			}
			counts := func() {
				read, err := s.Surveys.Survey(ctx, sv.ID)
				must(t, err)
				for _, wv := range read.Waves {
					out = append(out, wv.Responses)
				}
				sv = read
			}
			counts() // none folded yet
			for i := range sv.Waves {
				sum, err := s.Surveys.WaveSummary(ctx, &sv.Waves[i], 0)
				must(t, err)
				out = append(out, *sum)
			}
			diffs, err := s.Surveys.PairedDifferences(ctx, &sv.Waves[0], &sv.Waves[1], 0)
			must(t, err)
			out = append(out, diffs)
			counts() // all folded
			return out
		}
		own := run()
		restore := s.UseGeneralPaths()
		general := run()
		restore()
		if !reflect.DeepEqual(own, general) {
			t.Errorf("the engine's own path: %v\nthe general path: %v", own, general)
		}
	})
}
