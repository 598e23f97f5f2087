// Command survey measures survey answers and results against bare handlers
// in the same run:
//
//		go run ./bench/survey [-db sqlite|postgres://…] [-duration 10s] [-responses 100000] [-only answers|results] [-vacuum]
//
//	  - answers: POST a 10-item questionnaire through a wave's anonymous link at
//	    64 connections, each with a one-time form token of its own (minted
//	    with the server's key, as the form would carry it), against a bare
//	    form-parse-and-INSERT handler. The per-link limit is raised for the
//	    run; every answer must be thanked (200), and the responses stored are
//	    counted afterwards. Target: at least 50% of the bare throughput.
//	  - results: GET the results page of a survey with 100,000 responses in a
//	    baseline and a follow-up (a third pairing by code) at 32 connections,
//	    against a bare html/template page of the same size. Target: at least
//	    25% of its throughput, with a p99 within 3× of its p99. Measured
//	    straight after the 100,000 answers (on PostgreSQL not vacuumed
//	    unless -vacuum); the first view folds them into the tallies.
//
// Servers and load generator share this process and the machine's cores,
// so compare ratios, not times.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/bench/internal/loadtest"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/formtoken"
	"github.com/alongside-recovery/alongside/sqlstore"
	"github.com/alongside-recovery/alongside/web"
)

const (
	answerRatio  = 0.50
	resultsRatio = 0.25
	maxP99       = 3.0
)

// questionnaire is the benchmark's 10-item questionnaire: two domains of
// five agreement items.
const questionnaire = `questionnaire: bench-ten
version: 1
title: Ten questions
audience: staff
source: Written for the benchmark.

domain: one
name: First domain
agree5 q1: Question one.
agree5 q2: Question two.
agree5 q3: Question three.
agree5 q4: Question four.
agree5 q5: Question five.

domain: two
name: Second domain
agree5 q6: Question six.
agree5 q7: Question seven.
agree5 q8: Question eight.
agree5 q9: Question nine.
agree5 q10: Question ten.
`

type options struct {
	db         string
	cpuprofile string
	loadtest.Options
	answerConns int
	responses   int // behind the results page; the test makes it small
	only        string
	vacuum      bool
}

func main() {
	o := options{responses: 100000}
	flag.StringVar(&o.db, "db", "sqlite", "database: sqlite (a fresh temporary file) or a postgres:// URL (a fresh database is created in it and dropped afterwards)")
	flag.DurationVar(&o.Duration, "duration", 10*time.Second, "measured duration of each run")
	flag.DurationVar(&o.Warmup, "warmup", 2*time.Second, "unmeasured warm-up before each run")
	flag.IntVar(&o.Conns, "conns", 32, "concurrent keep-alive connections for the results page")
	flag.IntVar(&o.answerConns, "answer-conns", 64, "concurrent keep-alive connections for answers")
	flag.IntVar(&o.Rounds, "rounds", 2, "runs of each target, alternating bare and real; the better run of each is reported")
	flag.IntVar(&o.responses, "responses", o.responses, "responses behind the results page")
	flag.BoolVar(&o.vacuum, "vacuum", false, "on PostgreSQL, VACUUM ANALYZE the survey tables after seeding, as autovacuum would within a minute or two (by default the results are measured as the burst leaves them)")
	flag.StringVar(&o.only, "only", "", "run only this scenario: answers or results")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of one extra run of each real target to FILE-answers.pprof and FILE-results.pprof")
	flag.Parse()
	if o.Conns < 1 || o.answerConns < 1 || o.Rounds < 1 || o.Duration <= 0 || o.Warmup < 0 || o.responses < 10 || (o.only != "" && o.only != "answers" && o.only != "results") {
		fmt.Fprintln(os.Stderr, "survey: -conns and -answer-conns at least 1, -rounds at least 1, -duration positive, -responses at least 10, -only answers or results")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if _, err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "survey: FAILED:", err)
		stop()
		os.Exit(1)
	}
}

// newSurvey starts the benchmark's survey in a fresh organisation, with a
// baseline and a follow-up open today.
func newSurvey(ctx context.Context, s *sqlstore.Store, title string) (*alongside.Survey, error) {
	org := &alongside.Organisation{Name: title + " network"}
	if err := s.Organisations.CreateOrganisation(ctx, org); err != nil {
		return nil, err
	}
	svc := &alongside.Service{OrgID: org.ID, Name: title + " service"}
	if err := s.Organisations.CreateService(ctx, svc); err != nil {
		return nil, err
	}
	mgr := &alongside.User{Name: "Bench Manager", Email: strings.ToLower(strings.ReplaceAll(title, " ", ".")) + "@example.org"}
	if err := s.Accounts.CreateUser(ctx, mgr, alongside.Membership{Role: alongside.RoleServiceManager, ServiceID: svc.ID}); err != nil {
		return nil, err
	}
	q, err := content.ParseQuestionnaire(strings.NewReader(questionnaire))
	if err != nil {
		return nil, err
	}
	today := s.Clock.Now().UTC().Format("2006-01-02")
	sv := &alongside.Survey{OrgID: org.ID, ServiceID: svc.ID, Title: title, Questionnaire: q, Body: questionnaire,
		RateLimit: alongside.MaxSurveyRateLimit, CreatedBy: mgr.ID}
	if err := s.Surveys.CreateSurvey(ctx, sv, &alongside.Wave{Label: "Baseline", OpensOn: today, ClosesOn: today}); err != nil {
		return nil, err
	}
	follow := &alongside.Wave{Label: "Follow-up", OpensOn: today, ClosesOn: today}
	if err := s.Surveys.AddWave(ctx, sv, follow); err != nil {
		return nil, err
	}
	return s.Surveys.Survey(ctx, sv.ID)
}

// answerForm is one respondent's answers: varied, so that every answer of
// the scale is met.
func answerForm(worker, n int, token string) url.Values {
	f := url.Values{"form_token": {token}}
	for i := 1; i <= 10; i++ {
		f.Set(fmt.Sprintf("q%d", i), fmt.Sprint(1+(worker+n+i)%5))
	}
	return f
}

// seedResponses answers the survey n times through the store, as the link
// would, from many goroutines at once: half in each wave, a third of the
// baseline's respondents giving a code they give again at follow-up.
func seedResponses(ctx context.Context, s *sqlstore.Store, sv *alongside.Survey, n int) (time.Duration, error) {
	t0 := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	for g := range 32 {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				wave := &sv.Waves[i%2]
				a := alongside.SurveyAnswer{}
				for k, v := range answerForm(g, i, "") {
					if k != "form_token" {
						a[k] = v[0]
					}
				}
				if i%2 == 1 {
					a["q1"], a["q6"] = "5", "5" // the follow-up a little higher
				}
				code := ""
				if (i/2)%3 == 0 {
					code = fmt.Sprintf("respondent %d", i/2)
				}
				if _, err := s.Surveys.Respond(ctx, sv, wave, 0, a, code, fmt.Sprintf("seed-%020d", i), false); err != nil {
					select {
					case errs <- err:
					default:
					}
					return
				}
			}
		})
	}
	wg.Wait()
	select {
	case err := <-errs:
		return 0, err
	default:
	}
	return time.Since(t0), nil
}

func responsesOf(ctx context.Context, s *sqlstore.Store, sv *alongside.Survey) (int, error) {
	var n int
	err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM survey_responses r JOIN survey_waves w ON w.id = r.wave_id WHERE w.survey_id = $1`, sv.ID).Scan(&n)
	return n, err
}

func run(ctx context.Context, o options, out io.Writer) ([]*loadtest.Comparison, error) {
	env, err := loadtest.OpenDatabase(ctx, o.db)
	if err != nil {
		return nil, err
	}
	defer env.Close()
	s := env.Store
	key := formtoken.NewKey()
	srv, err := web.New(s, web.Config{Password: auth.TestParams, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), FormKey: key})
	if err != nil {
		return nil, err
	}
	base, stop, err := loadtest.Serve(srv)
	if err != nil {
		return nil, err
	}
	defer stop()
	post := func(u string) loadtest.Target {
		return loadtest.Target{Method: http.MethodPost, URL: u, Header: http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {base}}}
	}

	var comps []*loadtest.Comparison
	if o.only != "results" {
		ac, err := answers(ctx, o, out, env, base, post, key)
		if err != nil {
			return nil, err
		}
		comps = append(comps, ac)
	}
	if o.only != "answers" {
		rc, err := results(ctx, o, out, env, base)
		if err != nil {
			return nil, err
		}
		comps = append(comps, rc)
	}
	return comps, nil
}

func answers(ctx context.Context, o options, out io.Writer, env *loadtest.Database, base string, post func(string) loadtest.Target, key []byte) (*loadtest.Comparison, error) {
	s := env.Store
	answering, err := newSurvey(ctx, s, "Answers")
	if err != nil {
		return nil, err
	}
	var sent atomic.Int64
	realAnswer := post(base + "/s/" + answering.Waves[0].Token)
	// Every request a token of its own, issued as the form would be, across
	// runs too: the same token again would rightly count once, and a token
	// the server did not sign would count not at all.
	wave := strconv.FormatInt(answering.Waves[0].ID, 10)
	realAnswer.Body = func(worker, n int) string {
		sent.Add(1)
		return answerForm(worker, n, formtoken.Issue(key, formtoken.SurveyAnswer, wave, s.Clock.Now())).Encode()
	}
	bare, err := newBareAnswers(ctx, s.DB(), env.Engine)
	if err != nil {
		return nil, err
	}
	bu, stopBare, err := loadtest.Serve(bare)
	if err != nil {
		return nil, err
	}
	defer stopBare()
	bareAnswer := post(bu + "/s/x")
	bareAnswer.Body = func(worker, n int) string {
		return answerForm(worker, n, fmt.Sprintf("bench-%06d-%012d", worker, n)).Encode()
	}
	ao := o.Options
	ao.Conns = o.answerConns
	setup := fmt.Sprintf("- answers: POST /s/{token}, a 10-item questionnaire, each request a one-time form token of its own (signed with the server's key as the form would carry it); the per-link limit raised to %d a minute for the run, and every answer must be thanked (200)\n"+
		"- bare: parse the same form, INSERT the response and its 10 answers (one multi-row INSERT) in one transaction, answer 200\n", alongside.MaxSurveyRateLimit)
	ac, err := loadtest.Report(ctx, out, ao, env, "Survey answers vs a bare form-parse-and-INSERT handler", setup, "POST /s/{token}", bareAnswer, realAnswer, answerRatio, 0) // no p99 target for answers
	if err != nil {
		return nil, err
	}
	if o.cpuprofile != "" {
		if err := loadtest.Profile(ctx, ao, realAnswer, o.cpuprofile+"-answers.pprof", out); err != nil {
			return nil, err
		}
	}
	kept, err := responsesOf(ctx, s, answering)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "Responses kept: %d of %d answers sent (warm-up included; an answer cut off at the end of a run may be sent but never finished). Measured and thanked: %d.\n\n",
		kept, sent.Load(), ac.Real.Requests)
	if int64(kept) > sent.Load() || kept < ac.Real.Requests {
		return nil, fmt.Errorf("%d responses kept for %d sent and %d thanked: answers were lost or counted twice", kept, sent.Load(), ac.Real.Requests)
	}

	return ac, nil
}

func results(ctx context.Context, o options, out io.Writer, env *loadtest.Database, base string) (*loadtest.Comparison, error) {
	s := env.Store
	resulting, err := newSurvey(ctx, s, "Results")
	if err != nil {
		return nil, err
	}
	took, err := seedResponses(ctx, s, resulting, o.responses)
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	vacuumed := ""
	if env.Engine == "postgres" && o.vacuum {
		for _, t := range []string{"survey_item_tallies", "survey_domain_stats", "survey_domain_scores", "survey_responses"} {
			if _, err := s.DB().ExecContext(ctx, "VACUUM ANALYZE "+t); err != nil {
				return nil, err
			}
		}
		vacuumed = " (then vacuumed, as autovacuum would within a minute or two)"
	} else if env.Engine == "postgres" {
		vacuumed = " (not vacuumed: measured as the burst leaves the tables)"
	}
	mgr, err := s.Accounts.UserByEmail(ctx, "results@example.org")
	if err != nil {
		return nil, err
	}
	token, err := s.Sessions.CreateSession(ctx, mgr.ID, true, "127.0.0.1", "bench/survey", alongside.DefaultSessionPolicy)
	if err != nil {
		return nil, err
	}
	path := fmt.Sprintf("/surveys/%d/results", resulting.ID)
	real := loadtest.Target{URL: base + path, Cookie: "alongside_session=" + token}
	t0 := time.Now()
	page, _, err := loadtest.Fetch(ctx, real)
	first := time.Since(t0)
	if err != nil {
		return nil, err
	}
	if !strings.Contains(page, fmt.Sprintf("Baseline: %d responses", (o.responses+1)/2)) || !strings.Contains(page, "Change from Baseline to Follow-up") {
		return nil, fmt.Errorf("the results page does not show the %d responses and their change", o.responses)
	}
	bp := loadtest.NewBarePage("Survey results", strings.Repeat("A figure and a few words about it. ", 10), len(page))
	pu, stopPage, err := loadtest.Serve(bp)
	if err != nil {
		return nil, err
	}
	defer stopPage()
	rsetup := fmt.Sprintf("- data: %d responses to the 10-item questionnaire, half in a baseline and half in a follow-up, a third of them pairing by code; given through Store.Respond from 32 goroutines in %v%s; the first view of the page, which folded them all into the tallies, took %v\n"+
		"- page: GET %s as the service's manager, %d bytes; the bare page is one html/template of the same size (%d sections of a heading and a paragraph)\n",
		o.responses, took.Round(time.Millisecond), vacuumed, first.Round(time.Millisecond), path, len(page), bp.Sections)
	rc, err := loadtest.Report(ctx, out, o.Options, env, "Survey results page vs bare html/template", rsetup, "GET "+path, loadtest.Target{URL: pu}, real, resultsRatio, maxP99)
	if err != nil {
		return nil, err
	}
	if o.cpuprofile != "" {
		if err := loadtest.Profile(ctx, o.Options, real, o.cpuprofile+"-results.pprof", out); err != nil {
			return nil, err
		}
	}
	return rc, nil
}
