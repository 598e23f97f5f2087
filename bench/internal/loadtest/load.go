// Package loadtest is what Alongside's benchmark commands share: a load
// generator with its statistics, a loopback server, a fresh database on
// either engine, CPU accounting, and the pieces of their Markdown reports.
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Stats is one measured run against one target.
type Stats struct {
	Target   string // "bare" or "real"
	Requests int    // completed in the measured window
	RPS      float64
	P50, P99 time.Duration

	// CPU time per request over the measured window: of this process
	// (servers and load generator), of the PostgreSQL server when it runs
	// on this machine (zero for SQLite), and of the whole machine, which
	// also counts the kernel's network work and anything else running.
	CPUProc, CPUServer, CPUMachine time.Duration

	NewConns int64 // PostgreSQL connections opened during the window
}

// Target is what the load generator sends, again and again.
type Target struct {
	Method string // GET when empty
	URL    string
	Cookie string      // sent as the Cookie header when not empty
	Header http.Header // further headers, e.g. Sec-Fetch-Site on a POST

	// Body, if not nil, makes each request's body: an
	// application/x-www-form-urlencoded form unless ContentType says
	// otherwise. worker is the connection's number and n counts that
	// worker's requests, so bodies can differ from one request to the next.
	Body        func(worker, n int) string
	ContentType string
	// URLFor, if not nil, gives each request its own address instead of
	// URL, e.g. each connection its own record to change.
	URLFor func(worker, n int) string

	// Status is the response every request must get: 200 when zero. A
	// form that is stored answers 303; anything else fails the run.
	Status int
}

func (t Target) method() string {
	if t.Method == "" {
		return http.MethodGet
	}
	return t.Method
}

func (t Target) status() int {
	if t.Status == 0 {
		return http.StatusOK
	}
	return t.Status
}

// Request builds one request to the target.
func (t Target) Request(ctx context.Context, worker, n int) (*http.Request, error) {
	var body io.Reader
	if t.Body != nil {
		body = strings.NewReader(t.Body(worker, n))
	}
	u := t.URL
	if t.URLFor != nil {
		u = t.URLFor(worker, n)
	}
	req, err := http.NewRequestWithContext(ctx, t.method(), u, body)
	if err != nil {
		return nil, err
	}
	for k, v := range t.Header {
		req.Header[k] = v
	}
	if t.Body != nil {
		ct := t.ContentType
		if ct == "" {
			ct = "application/x-www-form-urlencoded"
		}
		req.Header.Set("Content-Type", ct)
	}
	if t.Cookie != "" {
		req.Header.Set("Cookie", t.Cookie)
	}
	return req, nil
}

// ErrLoad is wrapped by Load's failures, so a test can tell a broken page
// from a broken set-up.
var ErrLoad = errors.New("load failed")

// Serve starts h on a real TCP listener on loopback, so the measurement
// includes the network stack, HTTP parsing and connection handling a real
// client pays for, unlike an httptest.ResponseRecorder.
func Serve(h http.Handler) (baseURL string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}

// Load runs conns workers, each on its own keep-alive connection, sending
// the target's request back to back: warm-up first (unrecorded, so
// connections are open and caches warm), then the measured window. A
// request counts in the window if it started inside it. Any response other
// than the target's status (a redirect to sign-in would be one) or any
// transport error fails the run: a fast error page must never pass for a
// fast page.
//
// db, if not nil, is asked for the PostgreSQL server's CPU time and the
// connections opened to it, so each run can say what the database cost.
func Load(ctx context.Context, t Target, conns int, warmup, duration time.Duration, db *Database) (Stats, error) {
	start := time.Now()
	measureFrom := start.Add(warmup)
	until := measureFrom.Add(duration)

	type worker struct {
		lat    []time.Duration
		errors int
		first  error
	}
	workers := make([]worker, conns)
	var wg sync.WaitGroup
	var cpuProc, cpuServer, cpuMachine time.Duration
	var newConns int64
	wg.Go(func() {
		if !sleepUntil(ctx, measureFrom) {
			return
		}
		p0, m0, s0, c0 := ProcessCPU(), MachineCPU(), db.CPUNow(), db.SessionsNow()
		if sleepUntil(ctx, until) {
			cpuProc, cpuMachine, cpuServer = ProcessCPU()-p0, MachineCPU()-m0, db.CPUNow()-s0
			newConns = db.SessionsNow() - c0
		}
	})
	want := t.status()
	for i := range workers {
		w := &workers[i]
		wg.Go(func() {
			// One Transport per worker: one connection each, like
			// separate browsers, and no pool lock shared between workers
			// that would be measured along with the server.
			tr := &http.Transport{
				MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: 1,
				DisableCompression: true, IdleConnTimeout: time.Minute,
			}
			defer tr.CloseIdleConnections()
			client := &http.Client{
				Transport:     tr,
				Timeout:       30 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			}
			w.lat = make([]time.Duration, 0, 1<<14)
			fail := func(err error) {
				w.errors++
				if w.first == nil {
					w.first = err
				}
			}
			for n := 0; ctx.Err() == nil; n++ {
				t0 := time.Now()
				if !t0.Before(until) {
					return
				}
				req, err := t.Request(ctx, i, n)
				if err != nil {
					fail(err)
					return
				}
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						fail(err)
					}
					continue
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d := time.Since(t0)
				if err != nil {
					fail(err)
				} else if resp.StatusCode != want {
					fail(fmt.Errorf("status %d (Location %q), want %d", resp.StatusCode, resp.Header.Get("Location"), want))
				} else if !t0.Before(measureFrom) {
					w.lat = append(w.lat, d)
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Stats{}, err
	}

	var all []time.Duration
	errs := 0
	var first error
	for _, w := range workers {
		all = append(all, w.lat...)
		errs += w.errors
		if first == nil {
			first = w.first
		}
	}
	if errs > 0 {
		return Stats{}, fmt.Errorf("%w: %d of %d requests to %s %s were not a %d; first: %v", ErrLoad, errs, len(all)+errs, t.method(), t.URL, want, first)
	}
	if len(all) == 0 {
		return Stats{}, fmt.Errorf("%w: no request completed in %v", ErrLoad, duration)
	}
	slices.Sort(all)
	n := time.Duration(len(all))
	return Stats{
		Requests:   len(all),
		RPS:        float64(len(all)) / duration.Seconds(),
		P50:        Percentile(all, 0.50),
		P99:        Percentile(all, 0.99),
		CPUProc:    cpuProc / n,
		CPUServer:  cpuServer / n,
		CPUMachine: cpuMachine / n,
		NewConns:   newConns,
	}, nil
}

// sleepUntil waits until t, or returns false if ctx ends first.
func sleepUntil(ctx context.Context, t time.Time) bool {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

// Percentile returns the nearest-rank q-quantile of sorted latencies.
func Percentile(sorted []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(float64(len(sorted))*q)) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// Fetch sends the target's request once and returns the body, insisting on
// the target's status.
func Fetch(ctx context.Context, t Target) (string, *http.Response, error) {
	req, err := t.Request(ctx, 0, 0)
	if err != nil {
		return "", nil, err
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		return "", nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", resp, err
	}
	if resp.StatusCode != t.status() {
		return string(b), resp, fmt.Errorf("%s %s: status %d (Location %q), want %d", t.method(), t.URL, resp.StatusCode, resp.Header.Get("Location"), t.status())
	}
	return string(b), resp, nil
}
