package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside/bench/internal/loadtest"
	"github.com/alongside-recovery/alongside/internal/testenv"
)

// TestPipeline runs both scenarios briefly on SQLite with a small plan, so
// that `go test ./...` notices when a change breaks the benchmark (a save
// refused, a page that no longer shows the plan). It asserts that the
// program works, never how fast.
func TestPipeline(t *testing.T) {
	if testing.Short() {
		t.Skip("runs servers under load")
	}
	o := options{db: "sqlite", Options: loadtest.Options{Conns: 4, Warmup: 50 * time.Millisecond, Duration: 400 * time.Millisecond, Rounds: 1},
		goals: 8, versions: 30}
	var out bytes.Buffer
	res, err := run(context.Background(), o, &out)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	t.Log("\n" + out.String())
	if len(res) != 2 || res[0].Real.Requests == 0 || res[1].Real.Requests == 0 {
		t.Fatalf("results: %+v", res)
	}
	for _, want := range []string{"Plan page vs bare", "Plan saves vs a bare", "Versions kept by the real handler"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// TestOnlySave runs the save scenario alone (-only save), as when measuring
// a change to saves, on each engine the environment provides (on
// PostgreSQL the seeded database is analysed first).
func TestOnlySave(t *testing.T) {
	if testing.Short() {
		t.Skip("runs servers under load")
	}
	dbs := []string{"sqlite"}
	if testenv.PostgresURL() != "" || testenv.Required("postgres") {
		dbs = append(dbs, testenv.Postgres(t))
	}
	for _, db := range dbs {
		o := options{db: db, only: "save", Options: loadtest.Options{Conns: 4, Warmup: 50 * time.Millisecond, Duration: 400 * time.Millisecond, Rounds: 1},
			goals: 8, versions: 30}
		var out bytes.Buffer
		res, err := run(context.Background(), o, &out)
		if err != nil {
			t.Fatalf("run: %v\n%s", err, out.String())
		}
		if len(res) != 1 || res[0].Real.Requests == 0 || strings.Contains(out.String(), "Plan page vs bare") ||
			!strings.Contains(out.String(), "Plan saves vs a bare") {
			t.Fatalf("results: %+v\n%s", res, out.String())
		}
		if analysed := strings.Contains(out.String(), "then analysed"); analysed != (db != "sqlite") {
			t.Errorf("%s: analysed %v", o.db[:6], analysed)
		}
	}
}
