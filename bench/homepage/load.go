package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// runStats is one measured run against one target.
type runStats struct {
	target   string // "bare" or "real"
	requests int    // completed in the measured window
	rps      float64
	p50, p99 time.Duration
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
func load(ctx context.Context, url, cookie string, conns int, warmup, duration time.Duration) (runStats, error) {
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
	return runStats{
		requests: len(all),
		rps:      float64(len(all)) / duration.Seconds(),
		p50:      percentile(all, 0.50),
		p99:      percentile(all, 0.99),
	}, nil
}

// percentile returns the nearest-rank q-quantile of sorted latencies.
func percentile(sorted []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(float64(len(sorted))*q)) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
