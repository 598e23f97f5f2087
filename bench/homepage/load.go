package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// runStats is one measured run against one target.
type runStats struct {
	target   string // "bare" or "real"
	requests int    // completed in the measured window
	rps      float64
	p50, p99 time.Duration

	// CPU time per request over the measured window: of this process
	// (servers and load generator), of the PostgreSQL server when it runs
	// on this machine (zero for SQLite), and of the whole machine, which
	// also counts the kernel's network work and anything else running.
	cpuProc, cpuServer, cpuMachine time.Duration

	newConns int64 // PostgreSQL connections opened during the window
}

// serve starts h on a real TCP listener on loopback, so the measurement
// includes the network stack, HTTP parsing and connection handling a real
// client pays for, unlike an httptest.ResponseRecorder.
func serve(h http.Handler) (baseURL string, stop func(), err error) {
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

// load runs conns workers, each on its own keep-alive connection, sending
// GET url back to back: warm-up first (unrecorded, so connections are open
// and caches warm), then the measured window. A request counts in the
// window if it started inside it. Any response other than 200 (a redirect
// to sign-in would be one) or any transport error fails the run: a fast
// error page must never pass for a fast home page.
//
// db, if not nil, is asked for the PostgreSQL server's CPU time and the
// connections opened to it, so each run can say what the database cost.
func load(ctx context.Context, url, cookie string, conns int, warmup, duration time.Duration, db *database) (runStats, error) {
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
		p0, m0, s0, c0 := processCPU(), machineCPU(), db.cpuNow(), db.sessionsNow()
		if sleepUntil(ctx, until) {
			cpuProc, cpuMachine, cpuServer = processCPU()-p0, machineCPU()-m0, db.cpuNow()-s0
			newConns = db.sessionsNow() - c0
		}
	})
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
			for ctx.Err() == nil {
				t0 := time.Now()
				if !t0.Before(until) {
					return
				}
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
				if err != nil {
					fail(err)
					return
				}
				req.Header.Set("Cookie", cookie)
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
				} else if resp.StatusCode != http.StatusOK {
					fail(fmt.Errorf("status %d (Location %q)", resp.StatusCode, resp.Header.Get("Location")))
				} else if !t0.Before(measureFrom) {
					w.lat = append(w.lat, d)
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return runStats{}, err
	}

	var all []time.Duration
	errs, total := 0, 0
	var first error
	for _, w := range workers {
		all = append(all, w.lat...)
		errs += w.errors
		if first == nil {
			first = w.first
		}
	}
	total = len(all) + errs
	if errs > 0 {
		return runStats{}, fmt.Errorf("%w: %d of %d requests to %s were not a 200; first: %v", errLoad, errs, total, url, first)
	}
	if len(all) == 0 {
		return runStats{}, fmt.Errorf("%w: no request completed in %v", errLoad, duration)
	}
	slices.Sort(all)
	n := time.Duration(len(all))
	return runStats{
		requests:   len(all),
		rps:        float64(len(all)) / duration.Seconds(),
		p50:        percentile(all, 0.50),
		p99:        percentile(all, 0.99),
		cpuProc:    cpuProc / n,
		cpuServer:  cpuServer / n,
		cpuMachine: cpuMachine / n,
		newConns:   newConns,
	}, nil
}

// cpuNow is the database server's CPU time so far, or zero when unknown.
func (d *database) cpuNow() time.Duration {
	if d == nil || d.serverCPU == nil {
		return 0
	}
	return d.serverCPU()
}

// sessionsNow counts connections opened to the database, or zero when unknown.
func (d *database) sessionsNow() int64 {
	if d == nil || d.sessions == nil {
		return 0
	}
	return d.sessions()
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

// processCPU is the user and system CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// machineCPU is the busy CPU time of all cores since boot, from Linux's
// /proc/stat (zero elsewhere): everything but idle and I/O wait.
func machineCPU() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return 0
	}
	var busy int64
	for i, v := range f[1:] {
		// user, nice, system, then (3, 4) idle and iowait, then irq,
		// softirq; steal and guest (already in user) are not ours.
		if i <= 2 || i == 5 || i == 6 {
			n, _ := strconv.ParseInt(v, 10, 64)
			busy += n
		}
	}
	return time.Duration(busy) * time.Second / 100 // USER_HZ is 100 on Linux
}

// percentile returns the nearest-rank q-quantile of sorted latencies.
func percentile(sorted []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(float64(len(sorted))*q)) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
