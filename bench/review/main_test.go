package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside/bench/internal/loadtest"
)

// TestPipeline runs every scenario briefly on SQLite with small data, so
// that `go test ./...` notices when a change to the store or the web
// package breaks the benchmark (a refused sheet, a page that no longer
// shows its figures, a failed seed). It asserts that the program works,
// never how fast.
func TestPipeline(t *testing.T) {
	if testing.Short() {
		t.Skip("runs servers under load for a few seconds")
	}
	o := options{db: "sqlite", Options: loadtest.Options{Conns: 4, Warmup: 50 * time.Millisecond, Duration: 400 * time.Millisecond, Rounds: 1},
		resultsDiv: 10, services: 6, cycles: 2, networkDiv: 5, seedWorkers: 2}
	var out bytes.Buffer
	res, err := run(context.Background(), o, &out)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	t.Log("\n" + out.String())
	var names []string
	for _, r := range res {
		names = append(names, r.name)
		if r.Real.Requests == 0 || r.Bare.Requests == 0 {
			t.Errorf("%s: real %d, bare %d requests", r.name, r.Real.Requests, r.Bare.Requests)
		}
	}
	if got := strings.Join(names, " "); got != "sheets results-live results-kept network" {
		t.Errorf("scenarios run: %s", got)
	}
	for _, want := range []string{"real ÷ bare throughput", "real p99 ÷ bare p99", "Sheets kept by the real handler", "GET /orgs/"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
