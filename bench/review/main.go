// Command review measures, against a bare handler in the same run, the
// three heavy parts of a review cycle.
//
//	go run ./bench/review [-db sqlite|postgres://…] [-duration 10s] [-conns 32] [-only sheets|results|network]
//
// The scenarios:
//
//   - sheets: a coordinator entering a paper staff sheet (every statement of
//     all ten indicators rated, evidence text for each), against a bare
//     form-parse-and-INSERT handler. Target: at least 50% of its sheets/s.
//   - results: the results page of a review with 300 sheets, while it
//     gathers evidence (sheets may still come) and after (action planning), against a
//     bare html/template page of the same size. Target: at least 25% of its
//     throughput, p99 within 3× of its p99.
//   - network: the network view of 1,000 services, each with 3 completed
//     cycles of 30 sheets and an action plan, for a network lead; same
//     bare page and targets.
//
// Each scenario gets a fresh database (a temporary SQLite file, or a new
// PostgreSQL database dropped afterwards). Servers and load generator share
// this process and the machine's cores, so compare ratios, not times.
package main

import (
	"context"
	"flag"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/bench/internal/loadtest"
	"github.com/alongside-recovery/alongside/formtoken"
	"github.com/alongside-recovery/alongside/sqlstore"
	"github.com/alongside-recovery/alongside/web"
)

// Targets from the requirement, as ratios of the bare handler's figures.
const (
	sheetsMinRatio = 0.50
	pageMinRatio   = 0.25
	pageMaxP99     = 3.0
)

type options struct {
	db         string
	only       string
	cpuprofile string // profile one extra run of each real target: FILE-scenario.pprof
	loadtest.Options

	// Data sizes; the test makes them small.
	resultsDiv    int // divide the results scenario's 300 sheets by this
	services      int // network services
	cycles        int // completed reviews per network service
	networkDiv    int // divide each network review's 30 sheets by this
	seedWorkers   int
	skipLiveStage bool
}

func main() {
	o := options{resultsDiv: 1, services: 1000, cycles: 3, networkDiv: 1, seedWorkers: 4}
	flag.StringVar(&o.db, "db", "sqlite", "database: sqlite (a fresh temporary file) or a postgres:// URL (a fresh database is created in it and dropped afterwards)")
	flag.StringVar(&o.only, "only", "", "run one scenario: sheets, results or network (default all three)")
	flag.DurationVar(&o.Duration, "duration", 10*time.Second, "measured duration of each run")
	flag.DurationVar(&o.Warmup, "warmup", 2*time.Second, "unmeasured warm-up before each run")
	flag.IntVar(&o.Conns, "conns", 32, "concurrent keep-alive connections")
	flag.IntVar(&o.Rounds, "rounds", 2, "runs of each target, alternating bare and real; the better run of each is reported")
	flag.IntVar(&o.services, "services", o.services, "services in the network scenario")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of one extra run of each real target to FILE-<scenario>.pprof")
	flag.Parse()
	if o.Conns < 1 || o.Rounds < 1 || o.Duration <= 0 || o.Warmup < 0 {
		fmt.Fprintln(os.Stderr, "review: -conns and -rounds must be at least 1, -duration positive")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if _, err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "review: FAILED:", err)
		stop()
		os.Exit(1)
	}
}

// outcome is one comparison, for the test.
type outcome struct {
	name string
	*loadtest.Comparison
	passed bool
}

func run(ctx context.Context, o options, out io.Writer) ([]outcome, error) {
	var all []outcome
	for _, sc := range []struct {
		name string
		fn   func(context.Context, options, *loadtest.Database, io.Writer) ([]outcome, error)
	}{{"sheets", sheetsScenario}, {"results", resultsScenario}, {"network", networkScenario}} {
		if o.only != "" && o.only != sc.name {
			continue
		}
		env, err := loadtest.OpenDatabase(ctx, o.db)
		if err != nil {
			return nil, err
		}
		res, err := sc.fn(ctx, o, env, out)
		env.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sc.name, err)
		}
		all = append(all, res...)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("-only %q: no such scenario (sheets, results, network)", o.only)
	}
	return all, nil
}

// site is Alongside's real handler on a loopback listener.
type site struct {
	url  string
	stop func()
}

// formKey signs the sheets' one-time form tokens, for the server and for
// the load generator, which mints each sheet's token as the form would
// carry it.
var formKey = formtoken.NewKey()

func serveSite(s *sqlstore.Store) (*site, error) {
	srv, err := web.New(s, web.Config{Password: auth.TestParams, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), FormKey: formKey})
	if err != nil {
		return nil, err
	}
	u, stop, err := loadtest.Serve(srv)
	return &site{u, stop}, err
}

// signIn makes a session past its second factor, as after a real sign-in;
// signing in itself (argon2id) is not what is measured.
func signIn(ctx context.Context, s *sqlstore.Store, u *alongside.User) (string, error) {
	token, err := s.Sessions.CreateSession(ctx, u.ID, true, "127.0.0.1", "bench/review", alongside.DefaultSessionPolicy)
	return "alongside_session=" + token, err
}

// compare measures real against bare and prints the scenario's report.
func compare(ctx context.Context, o options, env *loadtest.Database, out io.Writer, name, title, setup, realLabel string,
	bare, real loadtest.Target, minRatio, maxP99 float64) (outcome, error) {
	c, err := loadtest.Report(ctx, out, o.Options, env, title, setup, realLabel, bare, real, minRatio, maxP99)
	if err != nil {
		return outcome{}, err
	}
	if o.cpuprofile != "" {
		if err := loadtest.Profile(ctx, o.Options, real, o.cpuprofile+"-"+name+".pprof", out); err != nil {
			return outcome{}, err
		}
		fmt.Fprintln(out)
	}
	return outcome{name, c, c.Passed(minRatio, maxP99)}, nil
}

// firstReview makes a network with one service whose review is gathering
// evidence, and returns the network, the review's coordinator and the review.
func firstReview(ctx context.Context, s *sqlstore.Store) (*network, *alongside.User, *alongside.Review, error) {
	n, err := newNetwork(ctx, s)
	if err != nil {
		return nil, nil, nil, err
	}
	sv, coord, err := n.service(ctx, s, 0)
	if err != nil {
		return nil, nil, nil, err
	}
	r, err := gathering(ctx, s, sv, coord, "Spring review")
	return n, coord, r, err
}

// sheetsScenario: a coordinator enters paper staff sheets.
func sheetsScenario(ctx context.Context, o options, env *loadtest.Database, out io.Writer) ([]outcome, error) {
	s := env.Store
	n, coord, r, err := firstReview(ctx, s)
	if err != nil {
		return nil, err
	}
	cookie, err := signIn(ctx, s, coord)
	if err != nil {
		return nil, err
	}
	if err := bareSheetTables(ctx, s.DB(), env.Engine); err != nil {
		return nil, err
	}
	st, err := serveSite(s)
	if err != nil {
		return nil, err
	}
	defer st.stop()
	bu, stopBare, err := loadtest.Serve(bareMux(s))
	if err != nil {
		return nil, err
	}
	defer stopBare()

	// Each request's form differs a little (ratings and evidence vary
	// with the worker and request), as real sheets do.
	body := func(worker, k int) string {
		f := url.Values{"form_token": {formtoken.Issue(formKey, formtoken.Sheet, fmt.Sprintf("%d:%s", r.ID, alongside.SourceStaff), s.Clock.Now())}}
		sh := sheet(n.set, alongside.SourceStaff, worker*100003+k, true, 0)
		for ref, v := range sh.Ratings {
			val := fmt.Sprint(v)
			if v == alongside.NotApplicable {
				val = "na"
			}
			f.Set(fmt.Sprintf("r-%s-%d", ref.Indicator, ref.N), val)
		}
		for key, text := range sh.Evidence {
			f.Set("e-"+key, text)
		}
		return f.Encode()
	}
	post := func(base, path string) loadtest.Target {
		return loadtest.Target{Method: http.MethodPost, URL: base + path, Cookie: cookie, Body: body, Status: http.StatusSeeOther,
			Header: http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {base}}}
	}
	path := fmt.Sprintf("/reviews/%d/sheets/staff", r.ID)
	real, bare := post(st.url, path), post(bu, path)

	// Before measuring: a sheet POST is stored (303) and the count grows, and
	// the bare handler stores its rows too.
	count := func(q string, args ...any) (int, error) {
		var k int
		return k, s.DB().QueryRowContext(ctx, q, args...).Scan(&k)
	}
	if _, resp, err := loadtest.Fetch(ctx, real); err != nil {
		return nil, err
	} else if want := fmt.Sprintf("/reviews/%d", r.ID); resp.Header.Get("Location") != want {
		return nil, fmt.Errorf("sheet POST went to %q, want %q", resp.Header.Get("Location"), want)
	}
	if k, err := count("SELECT COUNT(*) FROM evidence_sheets WHERE review_id = $1 AND source = 'staff'", r.ID); err != nil || k != 1 {
		return nil, fmt.Errorf("after one sheet POST the review has %d staff sheets (%v), want 1", k, err)
	}
	ratings, err := count("SELECT COUNT(*) FROM sheet_ratings")
	if err != nil {
		return nil, err
	}
	if _, _, err := loadtest.Fetch(ctx, bare); err != nil {
		return nil, fmt.Errorf("bare: %w", err)
	}
	if k, err := count("SELECT COUNT(*) FROM bare_ratings"); err != nil || k != ratings {
		return nil, fmt.Errorf("bare handler kept %d ratings (%v), the real one %d", k, err, ratings)
	}
	evidence, _ := count("SELECT COUNT(*) FROM sheet_evidence")

	before, _ := count("SELECT COUNT(*) FROM evidence_sheets")
	setup := fmt.Sprintf("- each request: POST %s as the review's coordinator, a paper staff sheet: %d ratings (every staff statement of %d indicators) and %d evidence texts of 100–300 characters, %d bytes of form; the bare handler parses the same form and INSERTs the same rows (sheet, ratings, evidence) in one transaction into its own tables in the same database, then answers 303\n",
		path, ratings, len(n.set.Indicators), evidence, len(body(0, 0)))
	res, err := compare(ctx, o, env, out, "sheets", "Sheet submissions vs a bare form-parse-and-INSERT handler", setup,
		"POST "+path+", paper staff sheet", bare, real, sheetsMinRatio, 0)
	if err != nil {
		return nil, err
	}
	after, _ := count("SELECT COUNT(*) FROM evidence_sheets")
	fmt.Fprintf(out, "Sheets kept by the real handler during the runs: %d (the review then had %d).\n\n", after-before, after)
	if after-before < res.Real.Requests {
		return nil, fmt.Errorf("%d sheets kept, fewer than the %d measured requests", after-before, res.Real.Requests)
	}
	return []outcome{res}, nil
}

func bareMux(s *sqlstore.Store) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /reviews/{review}/sheets/{source}", bareSheets{s.DB()})
	return mux
}

// figure matches a mean shown to one decimal place.
var figure = regexp.MustCompile(`>[1-5]\.[0-9]<`)

// pageScenario measures GET path as the holder of cookie against a bare
// page of the same size, after checking the page shows what it should.
func pageScenario(ctx context.Context, o options, env *loadtest.Database, out io.Writer, st *site, name, title, path, cookie, setup string, rows int, check func(string) error) (outcome, error) {
	real := loadtest.Target{URL: st.url + path, Cookie: cookie}
	page, _, err := loadtest.Fetch(ctx, real)
	if err != nil {
		return outcome{}, err
	}
	if err := check(page); err != nil {
		return outcome{}, fmt.Errorf("GET %s: %w", path, err)
	}
	bh, err := newBareTable(title, len(page), rows)
	if err != nil {
		return outcome{}, err
	}
	bu, stop, err := loadtest.Serve(bh)
	if err != nil {
		return outcome{}, err
	}
	defer stop()
	bare := loadtest.Target{URL: bu, Cookie: cookie}
	bp, _, err := loadtest.Fetch(ctx, bare)
	if err != nil {
		return outcome{}, err
	}
	setup += fmt.Sprintf("- page sizes: real GET %s %d bytes, bare page %d bytes (%+.1f%%): %d table rows of 12 cells and a filler paragraph\n",
		path, len(page), len(bp), 100*float64(len(bp)-len(page))/float64(len(page)), len(bh.d.Rows))
	return compare(ctx, o, env, out, name, title+" vs bare html/template", setup, "GET "+path, bare, real, pageMinRatio, pageMaxP99)
}

func contains(page string, want ...string) error {
	for _, w := range want {
		if !strings.Contains(page, w) {
			return fmt.Errorf("page lacks %q", w)
		}
	}
	return nil
}

// resultRows is the results page's table rows: an indicator's figures
// per source, for ten indicators and six sources.
const resultRows = 60

// resultsScenario: the results page of a review with 300 sheets.
func resultsScenario(ctx context.Context, o options, env *loadtest.Database, out io.Writer) ([]outcome, error) {
	s := env.Store
	n, coord, r, err := firstReview(ctx, s)
	if err != nil {
		return nil, err
	}
	m := resultsMix.scaled(o.resultsDiv)
	t0 := time.Now()
	if err := addSheets(ctx, s, n.set, r, m, coord.ID); err != nil {
		return nil, err
	}
	seeded := time.Since(t0)
	cookie, err := signIn(ctx, s, coord)
	if err != nil {
		return nil, err
	}
	st, err := serveSite(s)
	if err != nil {
		return nil, err
	}
	defer st.stop()
	path := fmt.Sprintf("/reviews/%d/results", r.ID)
	check := func(page string) error {
		if err := contains(page, "Indicator profile", n.set.Indicators[0].Name); err != nil {
			return err
		}
		if !figure.MatchString(page) {
			return fmt.Errorf("no mean figure on the page")
		}
		return nil
	}
	setup := fmt.Sprintf("- data: one review with %d sheets (%s), every statement of each sheet's source rated, every third sheet with evidence text for all ten indicators; added through Store.AddSheet, one transaction each, in %v\n",
		m.total(), m.describe(), seeded.Round(time.Millisecond))
	var res []outcome
	if !o.skipLiveStage {
		oc, err := pageScenario(ctx, o, env, out, st, "results-live", "Results page, gathering evidence", path, cookie,
			setup+"- stage: gathering evidence; the page reads the tallies each sheet added itself to as it was kept\n", resultRows, check)
		if err != nil {
			return nil, err
		}
		res = append(res, oc)
	}
	if err := s.Reviews.AdvanceReview(ctx, r); err != nil {
		return nil, err
	}
	oc, err := pageScenario(ctx, o, env, out, st, "results-kept", "Results page, action planning", path, cookie,
		setup+"- stage: action planning; the same tallies, no longer changing\n", resultRows, check)
	return append(res, oc), err
}

func (m mix) describe() string {
	var parts []string
	for _, x := range m {
		parts = append(parts, fmt.Sprintf("%d %s", x.n, x.source.Label()))
	}
	return strings.Join(parts, ", ")
}

// networkScenario: the network view of many services with completed cycles.
func networkScenario(ctx context.Context, o options, env *loadtest.Database, out io.Writer) ([]outcome, error) {
	s := env.Store
	n, err := newNetwork(ctx, s)
	if err != nil {
		return nil, err
	}
	m := networkMix.scaled(o.networkDiv)
	t0 := time.Now()
	if err := seedNetwork(ctx, s, n, o.services, o.cycles, m, o.seedWorkers); err != nil {
		return nil, err
	}
	seeded := time.Since(t0)
	var sheets, ratings int
	s.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM evidence_sheets").Scan(&sheets)
	s.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM sheet_ratings").Scan(&ratings)
	cookie, err := signIn(ctx, s, n.lead)
	if err != nil {
		return nil, err
	}
	st, err := serveSite(s)
	if err != nil {
		return nil, err
	}
	defer st.stop()
	path := fmt.Sprintf("/orgs/%d/network", n.org.ID)
	check := func(page string) error {
		if err := contains(page, escaped(serviceName(0)), escaped(serviceName(o.services-1))); err != nil {
			return err
		}
		if !figure.MatchString(page) {
			return fmt.Errorf("no profile figure on the page")
		}
		return nil
	}
	setup := fmt.Sprintf("- data: %d services, each with its manager and %d completed reviews of %d sheets (%s; %d sheets, %d ratings in all) and on each review an action plan of 3 actions with 2 themes each; seeded in %v: services, users, reviews, stages and actions through the store, sheets with bulk SQL (one transaction per review: the rows AddSheet writes, and the review's tallies in one statement), profiles by Store.AdvanceReview, %d services at a time\n",
		o.services, o.cycles, m.total(), m.describe(), sheets, ratings, seeded.Round(time.Second), o.seedWorkers)
	oc, err := pageScenario(ctx, o, env, out, st, "network", "Network view", path, cookie, setup, o.services, check)
	if err != nil {
		return nil, err
	}
	return []outcome{oc}, nil
}

// escaped is a name as the page shows it.
func escaped(s string) string { return template.HTMLEscapeString(s) }
