// Command plan measures a person's recovery plan with five years of history
// (500 saved versions, 100 goals) against bare handlers in the same run:
//
//		go run ./bench/plan [-db sqlite|postgres://…] [-duration 10s] [-conns 32] [-only page|save]
//
//	  - page: GET the plan page as the person, against a bare html/template
//	    page of the same size.
//	  - save: POST a change to a goal as the person (each connection its own
//	    goal, from the version it last saved, so no save clashes), against a
//	    bare form-parse-and-INSERT handler.
//
// Target for both: at least 30% of the bare handler's throughput, with a
// p99 within 3× of its p99. Servers and load generator share this process
// and the machine's cores, so compare ratios, not times.
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
	"strings"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/bench/internal/loadtest"
	"github.com/alongside-recovery/alongside/sqlstore"
	"github.com/alongside-recovery/alongside/web"
)

const (
	minRatio = 0.30
	maxP99   = 3.0
)

type options struct {
	db         string
	cpuprofile string // profile one extra run of each real target: FILE-page.pprof, FILE-save.pprof
	only       string // "page" or "save" runs that scenario alone; "" runs both
	loadtest.Options
	goals, versions int // the plan's history; the test makes it small
}

func main() {
	o := options{goals: 100, versions: 500}
	flag.StringVar(&o.db, "db", "sqlite", "database: sqlite (a fresh temporary file) or a postgres:// URL (a fresh database is created in it and dropped afterwards)")
	flag.DurationVar(&o.Duration, "duration", 10*time.Second, "measured duration of each run")
	flag.DurationVar(&o.Warmup, "warmup", 2*time.Second, "unmeasured warm-up before each run")
	flag.IntVar(&o.Conns, "conns", 32, "concurrent keep-alive connections")
	flag.IntVar(&o.Rounds, "rounds", 2, "runs of each target, alternating bare and real; the better run of each is reported")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of one extra run of each real target to FILE-page.pprof and FILE-save.pprof")
	flag.StringVar(&o.only, "only", "", "run one scenario alone: page or save (default both)")
	flag.Parse()
	if o.only != "" && o.only != "page" && o.only != "save" {
		fmt.Fprintln(os.Stderr, "plan: -only page or -only save")
		os.Exit(2)
	}
	if o.Conns < 1 || o.Rounds < 1 || o.Duration <= 0 || o.Warmup < 0 || o.Conns > o.goals {
		fmt.Fprintln(os.Stderr, "plan: -conns from 1 to the number of goals, -rounds at least 1, -duration positive")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if _, err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "plan: FAILED:", err)
		stop()
		os.Exit(1)
	}
}

type world struct {
	person, prac *alongside.User
	svc          *alongside.Service
}

// seed makes a service with a practitioner and a person, and gives the
// person's plan its history through the store, as the site would: the
// goals first, then the rest of the saves spread over the text sections,
// over five years.
func seed(ctx context.Context, s *sqlstore.Store, o options) (*world, time.Duration, error) {
	t0 := time.Now()
	clock := alongside.NewFixedClock(time.Date(2021, 11, 1, 10, 0, 0, 0, time.UTC))
	s.Clock = clock
	org := &alongside.Organisation{Name: "Bench Network"}
	if err := s.Organisations.CreateOrganisation(ctx, org); err != nil {
		return nil, 0, err
	}
	w := &world{svc: &alongside.Service{OrgID: org.ID, Name: "Bench House"}}
	if err := s.Organisations.CreateService(ctx, w.svc); err != nil {
		return nil, 0, err
	}
	w.prac = &alongside.User{Name: "Pat Practitioner", Email: "prac@example.org"}
	w.person = &alongside.User{Name: "Robin Person", Email: "person@example.org"}
	if err := s.Accounts.CreateUser(ctx, w.prac, alongside.Membership{Role: alongside.RolePractitioner, ServiceID: w.svc.ID}); err != nil {
		return nil, 0, err
	}
	if err := s.Accounts.CreateUser(ctx, w.person, alongside.Membership{Role: alongside.RolePerson, ServiceID: w.svc.ID}); err != nil {
		return nil, 0, err
	}
	if err := s.Relationships.Allocate(ctx, &alongside.Allocation{ServiceID: w.svc.ID, PractitionerID: w.prac.ID, PersonID: w.person.ID}); err != nil {
		return nil, 0, err
	}
	step := 5 * 365 * 24 * time.Hour / time.Duration(o.versions)
	save := func(key string, text alongside.SectionText, by int64) error {
		clock.Advance(step)
		sec, _ := alongside.PlanSectionByKey(key)
		p, err := s.Plans.Plan(ctx, w.person.ID)
		if err != nil {
			return err
		}
		_, err = s.Plans.SaveSection(ctx, w.person.ID, sec, p.Sections[key].Version, text, by, w.svc.ID)
		return err
	}
	for g := 1; g <= o.goals; g++ {
		if err := save(alongside.GoalKey(g, 0), alongside.SectionText{"title": fmt.Sprintf("Goal %d: something that matters to me", g),
			"about": "What it would mean to me, in a sentence or two of my own words.", "status": "working", "target": "2026-12-31"}, w.person.ID); err != nil {
			return nil, 0, err
		}
	}
	var texts []alongside.PlanSection
	for _, sec := range alongside.PlanSections {
		if sec.Writable() && sec.Key != alongside.SectionAdvanceStatement {
			texts = append(texts, sec)
		}
	}
	for i := 0; i < o.versions-o.goals; i++ {
		sec := texts[i%len(texts)]
		text := alongside.SectionText{}
		for _, f := range sec.Fields {
			if f.Kind == "" {
				text[f.Key] = fmt.Sprintf("Version %d of %s. %s", i, f.Label, strings.Repeat("Written in the person's own words, changed over the years. ", 4))
			}
		}
		by := w.person.ID
		if i%3 == 0 {
			by = w.prac.ID
		}
		if err := save(sec.Key, text, by); err != nil {
			return nil, 0, err
		}
	}
	s.Clock = alongside.SystemClock{}
	return w, time.Since(t0), nil
}

func run(ctx context.Context, o options, out io.Writer) ([]*loadtest.Comparison, error) {
	env, err := loadtest.OpenDatabase(ctx, o.db)
	if err != nil {
		return nil, err
	}
	defer env.Close()
	s := env.Store
	w, took, err := seed(ctx, s, o)
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	analysed := ""
	if env.Engine == "postgres" {
		// A fresh database has no statistics, and this machine's server
		// runs without autovacuum: without them the planner guesses
		// (hash joins over tiny tables for the actor, say). A deployment's
		// autovacuum would have analysed tables this busy.
		if _, err := s.DB().ExecContext(ctx, "ANALYZE"); err != nil {
			return nil, err
		}
		analysed = ", then analysed, as autovacuum would"
	}
	srv, err := web.New(s, web.Config{Password: auth.TestParams, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return nil, err
	}
	base, stop, err := loadtest.Serve(srv)
	if err != nil {
		return nil, err
	}
	defer stop()
	token, err := s.Sessions.CreateSession(ctx, w.person.ID, true, "127.0.0.1", "bench/plan", alongside.DefaultSessionPolicy)
	if err != nil {
		return nil, err
	}
	cookie := "alongside_session=" + token
	var versions int
	if err := s.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM plan_versions WHERE person_id = $1", w.person.ID).Scan(&versions); err != nil {
		return nil, err
	}
	setup := fmt.Sprintf("- data: one person's plan with %d saved versions over five years (%d goals, the rest spread over the text sections, a third by their practitioner), saved through Store.SaveSection in %v%s\n",
		versions, o.goals, took.Round(time.Millisecond), analysed)

	var res []*loadtest.Comparison
	if o.only != "save" {
		pc, err := runPage(ctx, o, env, w, base, cookie, setup, out)
		if err != nil {
			return nil, err
		}
		res = append(res, pc)
	}
	if o.only != "page" {
		sc, err := runSave(ctx, o, env, w, base, cookie, setup, versions, out)
		if err != nil {
			return nil, err
		}
		res = append(res, sc)
	}
	return res, nil
}

// runPage measures the plan page as the person against a bare page of the
// same size.
func runPage(ctx context.Context, o options, env *loadtest.Database, w *world, base, cookie, setup string, out io.Writer) (*loadtest.Comparison, error) {
	path := fmt.Sprintf("/people/%d/plan", w.person.ID)
	real := loadtest.Target{URL: base + path, Cookie: cookie}
	page, _, err := loadtest.Fetch(ctx, real)
	if err != nil {
		return nil, err
	}
	if !strings.Contains(page, "Goal 100: something") && o.goals == 100 || !strings.Contains(page, "My recovery plan") {
		return nil, fmt.Errorf("the plan page does not show the plan")
	}
	bp := loadtest.NewBarePage("A recovery plan", strings.Repeat("Written in the person's own words. ", 10), len(page))
	bu, stopBare, err := loadtest.Serve(bp)
	if err != nil {
		return nil, err
	}
	defer stopBare()
	pageSetup := setup + fmt.Sprintf("- page: GET %s as the person, %d bytes; the bare page is one html/template of the same size (%d sections of a heading and a paragraph)\n",
		path, len(page), bp.Sections)
	pc, err := loadtest.Report(ctx, out, o.Options, env, "Plan page vs bare html/template", pageSetup, "GET "+path,
		loadtest.Target{URL: bu, Cookie: cookie}, real, minRatio, maxP99)
	if err != nil {
		return nil, err
	}
	if o.cpuprofile != "" {
		if err := loadtest.Profile(ctx, o.Options, real, o.cpuprofile+"-page.pprof", out); err != nil {
			return nil, err
		}
	}
	return pc, nil
}

// runSave measures saves of goals as the person against a bare
// form-parse-and-INSERT handler, and checks that every save was stored.
// versions is how many the plan had before.
func runSave(ctx context.Context, o options, env *loadtest.Database, w *world, base, cookie, setup string, versions int, out io.Writer) (*loadtest.Comparison, error) {
	s := env.Store
	// Connection i changes goal i+1, from the version it last saved.
	p, err := s.Plans.Plan(ctx, w.person.ID)
	if err != nil {
		return nil, err
	}
	version := make([]int, o.Conns) // the version each connection's goal is at
	for i := range version {
		version[i] = p.Sections[alongside.GoalKey(i+1, 0)].Version
	}
	form := func(worker, n, v int) string {
		return url.Values{"version": {fmt.Sprint(v)}, "title": {fmt.Sprintf("Goal %d: something that matters to me", worker+1)},
			"about": {fmt.Sprintf("Changed again (%d): a little more of my own words.", n)}, "status": {"working"}, "target": {"2026-12-31"}}.Encode()
	}
	post := func(b string) loadtest.Target {
		return loadtest.Target{Method: http.MethodPost, Cookie: cookie, Status: http.StatusSeeOther,
			Header: http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {b}}}
	}
	realSave := post(base)
	realSave.URLFor = func(worker, _ int) string {
		return base + fmt.Sprintf("/people/%d/plan/sections/%s", w.person.ID, alongside.GoalKey(worker+1, 0))
	}
	// Only this connection's goroutine touches version[worker]; every
	// request must be stored (303), so the count follows the saves.
	realSave.Body = func(worker, n int) string {
		v := version[worker]
		version[worker]++
		return form(worker, n, v)
	}
	bareSave, err := newBareSave(ctx, s.DB(), env.Engine)
	if err != nil {
		return nil, err
	}
	su, stopSave, err := loadtest.Serve(bareSave)
	if err != nil {
		return nil, err
	}
	defer stopSave()
	bareT := post(su)
	bareT.URL = su + "/save"
	bareT.Body = func(worker, n int) string { return form(worker, n, 0) }
	saveSetup := setup + "- save: POST /people/{id}/plan/sections/goal-N as the person, each connection its own goal, from the version it last saved (so none clashes); the bare handler parses the same form and INSERTs it as one row in one transaction in the same database, then answers 303\n"
	sc, err := loadtest.Report(ctx, out, o.Options, env, "Plan saves vs a bare form-parse-and-INSERT handler", saveSetup, "POST /people/{id}/plan/sections/goal-N", bareT, realSave, minRatio, maxP99)
	if err != nil {
		return nil, err
	}
	if o.cpuprofile != "" {
		if err := loadtest.Profile(ctx, o.Options, realSave, o.cpuprofile+"-save.pprof", out); err != nil {
			return nil, err
		}
	}
	var after int
	if err := s.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM plan_versions WHERE person_id = $1", w.person.ID).Scan(&after); err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "Versions kept by the real handler during the runs: %d (the plan then had %d).\n\n", after-versions, after)
	if after-versions < sc.Real.Requests {
		return nil, fmt.Errorf("%d versions kept, fewer than the %d measured saves", after-versions, sc.Real.Requests)
	}
	return sc, nil
}
