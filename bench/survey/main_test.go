package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside/bench/internal/loadtest"
)

// TestPipeline runs both scenarios briefly on SQLite with few responses, so
// that `go test ./...` notices when a change breaks the benchmark (an
// answer refused, results that no longer show). It asserts that the
// program works, never how fast.
func TestPipeline(t *testing.T) {
	if testing.Short() {
		t.Skip("runs servers under load")
	}
	o := options{db: "sqlite", Options: loadtest.Options{Conns: 4, Warmup: 50 * time.Millisecond, Duration: 400 * time.Millisecond, Rounds: 1},
		answerConns: 4, responses: 60}
	var out bytes.Buffer
	res, err := run(context.Background(), o, &out)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if len(res) != 2 || res[0].Real.Requests == 0 || res[1].Real.Requests == 0 {
		t.Fatalf("results: %+v", res)
	}
	for _, want := range []string{"Survey answers vs a bare", "Responses kept:", "Survey results page vs bare"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
