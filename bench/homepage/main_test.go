package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
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
	if len(res.runs) != 4 {
		t.Errorf("%d runs, want 4 (bare, real, bare, real)", len(res.runs))
	}
	for i, r := range res.runs {
		if r.requests == 0 {
			t.Errorf("run %d (%s) completed no requests", i+1, r.target)
		}
	}
	if res.real.requests == 0 || res.bare.requests == 0 {
		t.Errorf("reported runs have no requests: real %d, bare %d", res.real.requests, res.bare.requests)
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
	base, stop, err := serve(http.RedirectHandler("/login", http.StatusSeeOther))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	_, err = load(context.Background(), base+"/home", "alongside_session=expired", 2, 0, 50*time.Millisecond, nil)
	if !errors.Is(err, errLoad) {
		t.Fatalf("load of a redirect: err = %v, want errLoad", err)
	}
}
