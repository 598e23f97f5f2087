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
	if err := s.CreateSurvey(ctx, sv, &alongside.Wave{Label: "Baseline", OpensOn: today, ClosesOn: today}); err != nil {
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

		dup, err := s.Respond(ctx, sv, wave, 0, answers(q, 4), "", "nonce-aaaaaaaaaaaaaaaa", false)
		if err != nil || dup {
			t.Fatalf("first: %v %v", dup, err)
		}
		dup, err = s.Respond(ctx, sv, wave, 0, answers(q, 2), "", "nonce-aaaaaaaaaaaaaaaa", false)
		if err != nil || !dup {
			t.Fatalf("the same form again: duplicate %v, %v", dup, err)
		}
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				if _, err := s.Respond(ctx, sv, wave, 0, answers(q, 1+i%5), "", fmt.Sprintf("nonce-%020d", i), false); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		sum, err := s.WaveSummary(ctx, wave, 0)
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

		if _, err := s.Respond(ctx, sv, wave, 0, alongside.SurveyAnswer{}, "", "nonce-bbbbbbbbbbbbbbbb", false); alongside.ErrorCode(err) != alongside.EINVALID {
			t.Fatalf("no answers: %v", err)
		}
		text := q.InDomain("goals")[len(q.InDomain("goals"))-1]
		if _, err := s.Respond(ctx, sv, wave, 0, alongside.SurveyAnswer{text.Key: "His CHI is 0101901234"}, "", "nonce-cccccccccccccccc", false); alongside.FieldErrors(err)[text.Key] == "" {
			t.Fatalf("a CHI number in free text: %v", err)
		}
		s.Clock = alongside.NewFixedClock(s.Clock.Now().Add(48 * time.Hour))
		if _, err := s.Respond(ctx, sv, wave, 0, answers(q, 3), "", "nonce-dddddddddddddddd", false); err == nil || !strings.Contains(alongside.ErrorMessage(err), "closed") {
			t.Fatalf("a closed wave took an answer: %v", err)
		}
		if _, err := s.Respond(ctx, sv, wave, 0, answers(q, 3), "", "nonce-eeeeeeeeeeeeeeee", true); err != nil {
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
		if err := s.AddWave(ctx, sv, follow); err != nil {
			t.Fatal(err)
		}
		base := &sv.Waves[0]
		n := 0
		respond := func(wv *alongside.Wave, v int, code string) {
			n++
			if _, err := s.Respond(ctx, sv, wv, 0, answers(q, v), code, fmt.Sprintf("nonce-%020d", n), false); err != nil {
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
		respond(follow, 3, "")          // no code: unpaired only
		sv, err := s.Survey(ctx, sv.ID) // with the waves' counts
		if err != nil {
			t.Fatal(err)
		}
		diffs, err := s.PairedDifferences(ctx, &sv.Waves[0], &sv.Waves[1], 0)
		if err != nil {
			t.Fatal(err)
		}
		got := diffs[q.Domains[0].Key]
		if len(got) != 2 || got[0]+got[1] != 75 {
			t.Fatalf("paired differences %v, want 50 and 25", got)
		}
		if _, err := s.Respond(ctx, sv, base, 0, answers(q, 3), "abc", "nonce-ffffffffffffffff", false); alongside.FieldErrors(err)["pair_code"] == "" {
			t.Fatalf("a three-letter code: %v", err)
		}

		rs, err := s.SurveyResponses(ctx, sv)
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
