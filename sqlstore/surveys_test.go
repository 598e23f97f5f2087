package sqlstore_test

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// staffSurvey starts the shipped staff questionnaire as a survey of
// service A, with a baseline open today.
func staffSurvey(t *testing.T, s *sqlstore.Store, w *world) *alongside.Survey {
	t.Helper()
	today := s.Clock.Now().UTC().Format("2006-01-02")
	sv := &alongside.Survey{OrgID: w.org.ID, ServiceID: w.svcA.ID, Title: "Staff survey", Questionnaire: content.DefaultQuestionnaires()[0],
		Body: content.DefaultQuestionnaireFiles()[0], RateLimit: alongside.DefaultSurveyRateLimit, CreatedBy: w.manager.ID}
	if err := s.Surveys.CreateSurvey(ctx, sv, &alongside.Wave{Label: "Baseline", OpensOn: today, ClosesOn: today}); err != nil {
		t.Fatal(err)
	}
	return sv
}

// answers gives every scored item of the questionnaire the same answer
// where it can (agree5 and scale10 take v; yes/no takes yes when v ≥ 3).
func answers(q *alongside.Questionnaire, v int) alongside.SurveyAnswer {
	a := alongside.SurveyAnswer{}
	for _, it := range q.Items {
		switch it.Type {
		case alongside.ItemAgree5, alongside.ItemScale10:
			a[it.Key] = fmt.Sprint(v)
		case alongside.ItemYesNo:
			a[it.Key] = map[bool]string{true: "yes", false: "no"}[v >= 3]
		}
	}
	return a
}

// A response counts once however often its form is sent; tallies and
// domain scores follow every response, including many at once.
func TestSurveyResponsesAndTallies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		sv := staffSurvey(t, s, w)
		wave := &sv.Waves[0]
		q := sv.Questionnaire

		dup, err := s.Surveys.Respond(ctx, sv, wave, 0, answers(q, 4), "", "nonce-aaaaaaaaaaaaaaaa", false)
		if err != nil || dup {
			t.Fatalf("first: %v %v", dup, err)
		}
		dup, err = s.Surveys.Respond(ctx, sv, wave, 0, answers(q, 2), "", "nonce-aaaaaaaaaaaaaaaa", false)
		if err != nil || !dup {
			t.Fatalf("the same form again: duplicate %v, %v", dup, err)
		}
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				if _, err := s.Surveys.Respond(ctx, sv, wave, 0, answers(q, 1+i%5), "", fmt.Sprintf("nonce-%020d", i), false); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		sum, err := s.Surveys.WaveSummary(ctx, wave, 0)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Respondents != 21 {
			t.Fatalf("%d respondents, want 21", sum.Respondents)
		}
		first := q.Items[0]
		if got := sum.Items[first.Key]["4"]; got != 5 { // the first response and four of the twenty
			t.Fatalf("%d answered 4 to %s, want 5", got, first.Key)
		}
		// Every agree5 domain: scores (v−1)/4×100 for v = 4 once and 1–5 four times each.
		var want []float64
		want = append(want, 75)
		for i := range 20 {
			want = append(want, float64(i%5)*25)
		}
		mean, sd := meanSD(want)
		d := sum.Domains[q.Domains[0].Key]
		if d.N != 21 || math.Abs(d.Mean-mean) > 1e-9 || math.Abs(d.SD-sd) > 1e-9 {
			t.Fatalf("domain %+v, want n 21 mean %v sd %v", d, mean, sd)
		}

		if _, err := s.Surveys.Respond(ctx, sv, wave, 0, alongside.SurveyAnswer{}, "", "nonce-bbbbbbbbbbbbbbbb", false); alongside.ErrorCode(err) != alongside.EINVALID {
			t.Fatalf("no answers: %v", err)
		}
		text := q.InDomain("goals")[len(q.InDomain("goals"))-1]
		if _, err := s.Surveys.Respond(ctx, sv, wave, 0, alongside.SurveyAnswer{text.Key: "His CHI is 0101901234"}, "", "nonce-cccccccccccccccc", false); alongside.FieldErrors(err)[text.Key] == "" {
			t.Fatalf("a CHI number in free text: %v", err)
		}
		s.Clock = alongside.NewFixedClock(s.Clock.Now().Add(48 * time.Hour))
		if _, err := s.Surveys.Respond(ctx, sv, wave, 0, answers(q, 3), "", "nonce-dddddddddddddddd", false); err == nil || !strings.Contains(alongside.ErrorMessage(err), "closed") {
			t.Fatalf("a closed wave took an answer: %v", err)
		}
		if _, err := s.Surveys.Respond(ctx, sv, wave, 0, answers(q, 3), "", "nonce-eeeeeeeeeeeeeeee", true); err != nil {
			t.Fatalf("a paper sheet typed in after closing: %v", err)
		}
	})
}

func meanSD(xs []float64) (float64, float64) {
	m := 0.0
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	ss := 0.0
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return m, math.Sqrt(ss / float64(len(xs)-1))
}

// Baseline and follow-up pair by the respondent's own code, however they
// write it; a code used twice in a wave pairs nothing. The export ties no
// response to anyone.
func TestSurveyPairsByCode(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		sv := staffSurvey(t, s, w)
		q := sv.Questionnaire
		today := s.Clock.Now().UTC().Format("2006-01-02")
		follow := &alongside.Wave{Label: "Follow-up", OpensOn: today, ClosesOn: today}
		if err := s.Surveys.AddWave(ctx, sv, follow); err != nil {
			t.Fatal(err)
		}
		base := &sv.Waves[0]
		n := 0
		respond := func(wv *alongside.Wave, v int, code string) {
			n++
			if _, err := s.Surveys.Respond(ctx, sv, wv, 0, answers(q, v), code, fmt.Sprintf("nonce-%020d", n), false); err != nil {
				t.Fatal(err)
			}
		}
		respond(base, 2, "Blue Heron 7")
		respond(follow, 4, "blue-heron7") // the same code, written differently: +50
		respond(base, 3, "otter")
		respond(follow, 4, "OTTER") // +25
		respond(base, 1, "twice")
		respond(base, 2, "twice") // used twice in the baseline: not paired
		respond(follow, 5, "twice")
		respond(base, 3, "")
		respond(follow, 3, "")                  // no code: unpaired only
		sv, err := s.Surveys.Survey(ctx, sv.ID) // with the waves' counts
		if err != nil {
			t.Fatal(err)
		}
		diffs, err := s.Surveys.PairedDifferences(ctx, &sv.Waves[0], &sv.Waves[1], 0)
		if err != nil {
			t.Fatal(err)
		}
		got := diffs[q.Domains[0].Key]
		if len(got) != 2 || got[0]+got[1] != 75 {
			t.Fatalf("paired differences %v, want 50 and 25", got)
		}
		if _, err := s.Surveys.Respond(ctx, sv, base, 0, answers(q, 3), "abc", "nonce-ffffffffffffffff", false); alongside.FieldErrors(err)["pair_code"] == "" {
			t.Fatalf("a three-letter code: %v", err)
		}

		rs, err := s.Surveys.SurveyResponses(ctx, sv)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 9 {
			t.Fatalf("%d responses exported, want 9", len(rs))
		}
		pairs := map[string]int{}
		for _, r := range rs {
			if r.Pair != "" {
				pairs[r.Pair]++
			}
			if strings.Contains(r.Pair, "otter") || strings.Contains(r.Pair, "heron") {
				t.Fatal("the pairing code itself is exported")
			}
		}
		if len(pairs) != 3 {
			t.Fatalf("pseudonyms %v, want one per code", pairs)
		}
	})
}

// An answer is one row; its wave's tallies take it in when results are
// read. The count of respondents is exact at any moment, folded or not,
// and several app servers (here two stores on one database) answering and
// reading results at once count every response once.
func TestSurveyFoldsExactlyOnce(t *testing.T) {
	defer sqlstore.SetFoldChunk(4)() // a fold of many transactions
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := testdb.DSN(t, engine)
			var stores []*sqlstore.Store
			for range 2 {
				s, err := sqlstore.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				s.Clock = alongside.NewFixedClock(testdb.Epoch)
				if _, err := s.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				stores = append(stores, s)
			}
			a, b := stores[0], stores[1]
			w := newWorld(t, a)
			sv := staffSurvey(t, a, w)
			q := sv.Questionnaire
			count := func(s *sqlstore.Store) int {
				t.Helper()
				got, err := s.Surveys.Survey(ctx, sv.ID)
				if err != nil {
					t.Fatal(err)
				}
				return got.Waves[0].Responses
			}
			summary := func(s *sqlstore.Store) *sqlstore.WaveSummary {
				t.Helper()
				got, err := s.Surveys.Survey(ctx, sv.ID)
				if err != nil {
					t.Fatal(err)
				}
				sum, err := s.Surveys.WaveSummary(ctx, &got.Waves[0], 0)
				if err != nil {
					t.Fatal(err)
				}
				return sum
			}
			n := 0
			respond := func(s *sqlstore.Store, v int, code string) {
				t.Helper()
				n++
				if _, err := s.Surveys.Respond(ctx, sv, &sv.Waves[0], 0, answers(q, v), code, fmt.Sprintf("nonce-%020d", n), false); err != nil {
					t.Error(err)
				}
			}
			for i := range 6 {
				respond(a, 1+i%5, "")
			}
			if got := count(b); got != 6 {
				t.Fatalf("%d respondents before any results were read, want 6", got)
			}
			if sum := summary(b); sum.Respondents != 6 {
				t.Fatalf("store b's summary has %d respondents, want 6", sum.Respondents)
			}
			if sum := summary(a); sum.Respondents != 6 {
				t.Fatalf("store a's summary has %d respondents, want 6", sum.Respondents)
			}
			// Store a keeps its summary; an answer through store b is seen
			// by a's count, and a's next summary takes it in.
			respond(b, 5, "")
			if got := count(a); got != 7 {
				t.Fatalf("%d respondents after an answer through the other server, want 7", got)
			}
			if sum := summary(a); sum.Respondents != 7 || sum.Items[q.Items[0].Key]["5"] != 2 {
				t.Fatalf("store a's summary: %d respondents, %d answered 5; want 7 and 2", sum.Respondents, sum.Items[q.Items[0].Key]["5"])
			}

			// Answers through both, while both read results.
			var wg sync.WaitGroup
			var mu sync.Mutex
			for g := range 4 {
				wg.Go(func() {
					for i := range 15 {
						s := stores[(g+i)%2]
						mu.Lock()
						n++
						nonce := fmt.Sprintf("nonce-%020d", n)
						mu.Unlock()
						if _, err := s.Surveys.Respond(ctx, sv, &sv.Waves[0], 0, answers(q, 1+i%5), fmt.Sprintf("code-%d-%d", g, i), nonce, false); err != nil {
							t.Error(err)
						}
					}
				})
				wg.Go(func() {
					for i := range 10 {
						s := stores[(g+i)%2]
						got, err := s.Surveys.Survey(ctx, sv.ID)
						if err != nil {
							t.Error(err)
							return
						}
						sum, err := s.Surveys.WaveSummary(ctx, &got.Waves[0], 0)
						if err != nil {
							t.Error(err)
							return
						}
						if sum.Respondents < got.Waves[0].Responses {
							t.Errorf("a summary of %d respondents read after a count of %d", sum.Respondents, got.Waves[0].Responses)
						}
					}
				})
			}
			wg.Wait()
			for _, s := range stores {
				if got := count(s); got != 67 {
					t.Fatalf("%d respondents, want 67", got)
				}
				sum := summary(s)
				if sum.Respondents != 67 {
					t.Fatalf("%d respondents in the summary, want 67", sum.Respondents)
				}
				items := 0
				for _, c := range sum.Items[q.Items[0].Key] {
					items += c
				}
				if items != 67 || sum.Domains[q.Domains[0].Key].N != 67 {
					t.Fatalf("%d answers to the first item and domain n %d, want 67 each", items, sum.Domains[q.Domains[0].Key].N)
				}
			}
			var unfolded, scores int
			if err := a.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM survey_responses WHERE NOT folded").Scan(&unfolded); err != nil {
				t.Fatal(err)
			}
			if err := a.DB().QueryRowContext(ctx, "SELECT COUNT(DISTINCT response_id) FROM survey_domain_scores").Scan(&scores); err != nil {
				t.Fatal(err)
			}
			if unfolded != 0 || scores != 60 {
				t.Fatalf("%d responses left unfolded and %d with paired scores, want 0 and 60", unfolded, scores)
			}
		})
	}
}

// Responses a database kept before answers became one row (schema 22: an
// answers table, tallies updated by every answer) keep their answers and
// are counted once, alongside new ones.
func TestSurveyAnswersMigrateToOneRow(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			s, err := sqlstore.Open(ctx, testdb.DSN(t, engine))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			s.Clock = alongside.NewFixedClock(testdb.Epoch)
			if err := s.MigrateTo(ctx, 22); err != nil {
				t.Fatal(err)
			}
			w := newWorld(t, s)
			sv := staffSurvey(t, s, w)
			q := sv.Questionnaire
			wave := sv.Waves[0].ID
			first, dom := q.Items[0].Key, q.Domains[0].Key
			for _, st := range []struct {
				q    string
				args []any
			}{
				{`INSERT INTO survey_responses (id, wave_id, service_id, received_on, pair_code, nonce, paper) VALUES (1, $1, $2, '2026-03-02', '', 'old-nonce', FALSE)`, []any{wave, w.svcA.ID}},
				{`INSERT INTO survey_answers (response_id, item, value) VALUES (1, $1, '4'), (1, 'free', 'It "helped"')`, []any{first}},
				{`INSERT INTO survey_item_tallies (wave_id, service_id, item, value, shard, n) VALUES ($1, $2, '', '', 7, 1), ($1, $2, $3, '4', 7, 1)`, []any{wave, w.svcA.ID, first}},
				{`INSERT INTO survey_domain_stats (wave_id, service_id, domain, shard, n, total, squares) VALUES ($1, $2, $3, 7, 1, 75, 5625)`, []any{wave, w.svcA.ID, dom}},
			} {
				if _, err := s.DB().ExecContext(ctx, st.q, st.args...); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if engine == "postgres" { // the old response's id was given, not drawn
				if _, err := s.DB().ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('survey_responses', 'id'), 1)"); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.Surveys.Respond(ctx, sv, &sv.Waves[0], 0, answers(q, 2), "", "nonce-new-aaaaaaaaaa", false); err != nil {
				t.Fatal(err)
			}
			got, err := s.Surveys.Survey(ctx, sv.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Waves[0].Responses != 2 {
				t.Fatalf("%d respondents, want 2", got.Waves[0].Responses)
			}
			sum, err := s.Surveys.WaveSummary(ctx, &got.Waves[0], 0)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Respondents != 2 || sum.Items[first]["4"] != 1 || sum.Items[first]["2"] != 1 || sum.Domains[dom].N != 2 {
				t.Fatalf("summary %+v, want the old response and the new one, once each", sum)
			}
			rs, err := s.Surveys.SurveyResponses(ctx, got)
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != 2 {
				t.Fatalf("%d responses exported, want 2", len(rs))
			}
			old := rs[0]
			if old.Answers[first] != "4" || old.Answers["free"] != `It "helped"` || len(old.Answers) != 2 {
				t.Fatalf("the old response exports %v", old.Answers)
			}
		})
	}
}

// A link's count a minute is one for every app server: increments add up,
// a process gives back what it will not use, and a new minute prunes the
// minutes past.
func TestLinkCounts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		count := func(wave, minute int64, n, want int) {
			t.Helper()
			got, err := s.Surveys.CountLinkAnswers(ctx, wave, minute, n)
			if err != nil || got != want {
				t.Fatalf("count %d in minute %d: %d, %v; want %d", n, minute, got, err, want)
			}
		}
		count(1, 100, 12, 12)
		count(1, 100, 12, 24)
		count(2, 100, 1, 1)
		count(1, 100, -5, 19)
		count(1, 101, 3, 3)
		var rows int
		if err := s.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM survey_link_counts WHERE minute < 101").Scan(&rows); err != nil || rows != 0 {
			t.Fatalf("%d rows of minutes past (%v)", rows, err)
		}
	})
}
