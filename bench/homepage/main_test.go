package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside/bench/internal/loadtest"
)

// TestPipeline runs the whole benchmark briefly on SQLite, so that
// `go test ./...` notices when a change to the store, the web package or the
// home page breaks the benchmark (a redirect to sign-in, a missing table, a
// failed seed). It asserts that the program works, never how fast: timings
// on a shared test machine mean nothing.
func TestPipeline(t *testing.T) {
	if testing.Short() {
		t.Skip("runs servers under load for about a second")
	}
	var out bytes.Buffer
	o := options{db: "sqlite", duration: 75 * time.Millisecond, warmup: 25 * time.Millisecond, conns: 4, rounds: 2,
		breakdown: true, stepTime: 5 * time.Millisecond}
	res, err := run(context.Background(), o, &out)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	t.Log("\n" + out.String())
	if len(res.Runs) != 4 {
		t.Errorf("%d runs, want 4 (bare, real, bare, real)", len(res.Runs))
	}
	for i, r := range res.Runs {
		if r.Requests == 0 {
			t.Errorf("run %d (%s) completed no requests", i+1, r.Target)
		}
	}
	if res.Real.Requests == 0 || res.Bare.Requests == 0 {
		t.Errorf("reported runs have no requests: real %d, bare %d", res.Real.Requests, res.Bare.Requests)
	}
	for _, want := range []string{"| target | req/s | p50 | p99 |", "real ÷ bare throughput", "real p99 ÷ bare p99", "GOMAXPROCS=", "store calls per request"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

// TestLoadFailsOnRedirect checks that a response other than 200 fails the
// run instead of being counted: an expired session would otherwise
// benchmark the quick redirect to the sign-in page.
func TestLoadFailsOnRedirect(t *testing.T) {
	base, stop, err := loadtest.Serve(http.RedirectHandler("/login", http.StatusSeeOther))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	_, err = loadtest.Load(context.Background(), loadtest.Target{URL: base + "/home", Cookie: "alongside_session=expired"}, 2, 0, 50*time.Millisecond, nil)
	if !errors.Is(err, loadtest.ErrLoad) {
		t.Fatalf("load of a redirect: err = %v, want errLoad", err)
	}
}
