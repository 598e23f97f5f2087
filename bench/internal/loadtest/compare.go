package loadtest

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"
)

// Options are how long and how hard to load each target.
type Options struct {
	Conns    int           // concurrent keep-alive connections
	Warmup   time.Duration // unmeasured time before each run, to open connections and warm caches
	Duration time.Duration // measured time of each run
	Rounds   int           // how many times to run each target, alternating
}

// Comparison is a real target measured against its bare handler.
type Comparison struct {
	Runs            []Stats // in the order they ran
	Bare, Real      Stats   // the better of each target's runs
	ThroughputRatio float64 // real req/s ÷ bare req/s
	P99Ratio        float64 // real p99 ÷ bare p99
}

// Compare loads bare, real, bare, real, … o.Rounds times each, so that any
// drift over the run (thermal, other tenants, the database warming up)
// falls on both alike, and keeps the better run of each.
func Compare(ctx context.Context, o Options, bare, real Target, db *Database) (*Comparison, error) {
	c := &Comparison{}
	for i := range 2 * o.Rounds {
		name, t := "bare", bare
		if i%2 == 1 {
			name, t = "real", real
		}
		s, err := Load(ctx, t, o.Conns, o.Warmup, o.Duration, db)
		s.Target = name
		if err != nil {
			return nil, fmt.Errorf("%s run: %w", name, err)
		}
		c.Runs = append(c.Runs, s)
		if name == "bare" {
			c.Bare = Better(c.Bare, s)
		} else {
			c.Real = Better(c.Real, s)
		}
	}
	c.ThroughputRatio = c.Real.RPS / c.Bare.RPS
	c.P99Ratio = float64(c.Real.P99) / float64(c.Bare.P99)
	return c, nil
}

// Better picks the run with the higher throughput, keeping that run's
// latencies with it (mixing the best throughput of one run with the best p99
// of another would describe no run that happened).
func Better(a, b Stats) Stats {
	if b.RPS > a.RPS {
		return b
	}
	return a
}

// Profile loads t once more with the CPU profiler on, writing the profile
// to file. It is a separate run so that the profiler's own cost never
// touches the measured numbers, and so the profile holds the real target
// only, not the bare one.
func Profile(ctx context.Context, o Options, t Target, file string, out io.Writer) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	s, err := Load(ctx, t, o.Conns, o.Warmup, o.Duration, nil)
	pprof.StopCPUProfile()
	if err != nil {
		return fmt.Errorf("profiled run: %w", err)
	}
	fmt.Fprintf(out, "\nCPU profile of one extra real run (%.0f req/s under the profiler) written to %s; read it with:\n\n    go tool pprof -top %s\n",
		s.RPS, file, file)
	return nil
}
