// Command homepage measures what Alongside's authenticated home page costs
// compared with the cheapest page Go can serve: a bare html/template handler
// rendering a page of the same size and shape.
//
//	go run ./bench/homepage [-db sqlite|postgres://…] [-duration 10s] [-conns 32]
//
// Both servers and the load generator run in this one process on loopback
// TCP, so they share the machine's cores. Absolute numbers therefore say
// little about production; the ratios between the two pages, measured in the
// same run, say how much Alongside adds on top of rendering HTML. The
// targets (at least 40% of the bare handler's throughput, p99 within twice
// its p99) are checked and printed as PASS or FAIL.
//
// The database is always fresh: a temporary SQLite file, or a new database
// created in the given PostgreSQL server and dropped at the end, so a run
// never touches real data and is repeatable.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/bench/internal/loadtest"
	"github.com/alongside-recovery/alongside/web"
)

// Targets from the requirement. Ratios, not absolute times, because the
// load generator shares the cores with the servers.
const (
	minThroughputRatio = 0.40 // real req/s ÷ bare req/s must be at least this
	maxP99Ratio        = 2.0  // real p99 ÷ bare p99 must be at most this
)

// options are the command-line settings; the test sets them directly.
type options struct {
	db         string        // "sqlite" or a postgres:// URL of a server to create a database in
	duration   time.Duration // measured time of each run
	warmup     time.Duration // unmeasured time before each run, to open connections and warm caches
	conns      int           // concurrent keep-alive connections
	rounds     int           // how many times to run each target, alternating
	cpuprofile string        // if set, profile one extra run of the real page into this file
	breakdown  bool          // time each step of GET /home on its own
	stepTime   time.Duration // how long the breakdown times each step
}

func main() {
	var o options
	flag.StringVar(&o.db, "db", "sqlite", "database: sqlite (a fresh temporary file) or a postgres:// URL (a fresh database is created in it and dropped afterwards)")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "measured duration of each run")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured warm-up before each run")
	flag.IntVar(&o.conns, "conns", 32, "concurrent keep-alive connections")
	flag.IntVar(&o.rounds, "rounds", 2, "runs of each target, alternating bare and real; the better run of each is reported")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of one extra run of the real page to this file")
	flag.BoolVar(&o.breakdown, "breakdown", false, "also time each step of GET /home alone (store calls, then the whole request) on one connection")
	flag.Parse()
	o.stepTime = 500 * time.Millisecond
	if o.conns < 1 || o.rounds < 1 || o.duration <= 0 || o.warmup < 0 {
		fmt.Fprintln(os.Stderr, "homepage: -conns and -rounds must be at least 1, -duration positive")
		os.Exit(2)
	}

	// Ctrl-C stops the load and still drops the PostgreSQL database.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if _, err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "homepage: FAILED:", err)
		stop()
		os.Exit(1)
	}
}

// result is what run measured, for the test and for printing.
type result struct {
	engine             string
	realSize, bareSize int
	loadtest.Comparison
	loadBefore string // the machine's load average, to show how busy it was
	loadAfter  string
}

// run sets everything up, measures, and prints the report to out.
func run(ctx context.Context, o options, out io.Writer) (*result, error) {
	env, err := loadtest.OpenDatabase(ctx, o.db)
	if err != nil {
		return nil, err
	}
	defer env.Close()
	store := env.Store

	practitioner, err := seed(ctx, store)
	if err != nil {
		return nil, fmt.Errorf("filling the database: %w", err)
	}
	// A session past its second factor, as after a real sign-in; signing in
	// itself (argon2id) is deliberately not what is measured.
	token, err := store.Sessions.CreateSession(ctx, practitioner.ID, true, "127.0.0.1", "bench/homepage", alongside.DefaultSessionPolicy)
	if err != nil {
		return nil, fmt.Errorf("creating the session: %w", err)
	}
	cookie := "alongside_session=" + token

	srv, err := web.New(store, web.Config{Password: auth.TestParams, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return nil, err
	}
	realURL, closeReal, err := loadtest.Serve(srv)
	if err != nil {
		return nil, err
	}
	defer closeReal()
	real := loadtest.Target{URL: realURL + "/home", Cookie: cookie}

	page, _, err := loadtest.Fetch(ctx, real)
	if err != nil {
		return nil, fmt.Errorf("GET /home: %w", err)
	}
	if !strings.Contains(page, practitioner.Name) {
		return nil, fmt.Errorf("GET /home does not name %q: is the session signed in?\n%s", practitioner.Name, page)
	}
	if !strings.Contains(page, "People you work with") {
		return nil, fmt.Errorf("GET /home shows no table of people:\n%s", page)
	}

	bareHandler, err := newBareHandler(len(page))
	if err != nil {
		return nil, err
	}
	bareURL, closeBare, err := loadtest.Serve(bareHandler)
	if err != nil {
		return nil, err
	}
	defer closeBare()
	bare := loadtest.Target{URL: bareURL, Cookie: cookie}
	barePage, _, err := loadtest.Fetch(ctx, bare)
	if err != nil {
		return nil, fmt.Errorf("bare page: %w", err)
	}

	res := &result{engine: env.Engine, realSize: len(page), bareSize: len(barePage), loadBefore: loadtest.LoadAverage()}
	if d := float64(res.bareSize-res.realSize) / float64(res.realSize); d < -0.10 || d > 0.10 {
		return nil, fmt.Errorf("bare page is %d bytes, real page %d: not within ±10%%", res.bareSize, res.realSize)
	}

	c, err := loadtest.Compare(ctx, o.load(), bare, real, env)
	if err != nil {
		return nil, err
	}
	res.Comparison = *c
	res.loadAfter = loadtest.LoadAverage()

	printReport(out, o, env, res)

	if o.breakdown {
		if err := printBreakdown(ctx, out, o.stepTime, env, practitioner.ID, token, real.URL, bare.URL, cookie); err != nil {
			return nil, fmt.Errorf("breakdown: %w", err)
		}
	}
	if o.cpuprofile != "" {
		if err := loadtest.Profile(ctx, o.load(), real, o.cpuprofile, out); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// load is how the load generator runs.
func (o options) load() loadtest.Options {
	return loadtest.Options{Conns: o.conns, Warmup: o.warmup, Duration: o.duration, Rounds: o.rounds}
}

// printReport writes the Markdown the benchmark exists to produce.
func printReport(out io.Writer, o options, env *loadtest.Database, r *result) {
	fmt.Fprintf(out, "### Home page vs bare html/template — %s\n\n", env.Engine)
	loadtest.PrintSetup(out, o.load(), env, r.loadBefore, r.loadAfter)
	fmt.Fprintf(out, "- page sizes: real GET /home %d bytes, bare page %d bytes (%+.1f%%)\n\n",
		r.realSize, r.bareSize, 100*float64(r.bareSize-r.realSize)/float64(r.realSize))
	loadtest.PrintSummary(out, &r.Comparison, "bare html/template", "GET /home, signed in ("+env.Engine+")", minThroughputRatio, maxP99Ratio)
	loadtest.PrintRuns(out, r.Runs, env)
	if !r.Passed(minThroughputRatio, maxP99Ratio) {
		fmt.Fprintln(out, "\nA target is missed: -breakdown times each step of GET /home, and -cpuprofile FILE profiles the real page (go tool pprof -top FILE).")
	}
}
