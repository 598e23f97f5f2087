package loadtest

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
)

// PrintSetup writes the lines that say where and how a comparison ran.
func PrintSetup(out io.Writer, o Options, db *Database, loadBefore, loadAfter string) {
	fmt.Fprintf(out, "- date: %s\n", time.Now().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(out, "- machine: %s\n", Machine())
	fmt.Fprintf(out, "- database: %s\n", db.Describe)
	fmt.Fprintf(out, "- load: %d keep-alive connections from this same process; %v warm-up then %v measured per run; %d runs of each target, alternating bare, real, bare, real, …\n",
		o.Conns, o.Warmup, o.Duration, o.Rounds)
	fmt.Fprintf(out, "- reported: the better of the %d runs of each target (higher req/s, with that run's own latencies)\n", o.Rounds)
	fmt.Fprintf(out, "- machine load average (1, 5, 15 min): %s before, %s after\n", loadBefore, loadAfter)
}

// PrintSummary writes the reported runs and their ratios against the
// targets; a maxP99 of zero means the requirement sets no p99 target.
func PrintSummary(out io.Writer, c *Comparison, bareLabel, realLabel string, minThroughput, maxP99 float64) {
	fmt.Fprintln(out, "| target | req/s | p50 | p99 |")
	fmt.Fprintln(out, "|---|---:|---:|---:|")
	fmt.Fprintf(out, "| %s | %.0f | %s | %s |\n", bareLabel, c.Bare.RPS, MS(c.Bare.P50), MS(c.Bare.P99))
	fmt.Fprintf(out, "| %s | %.0f | %s | %s |\n\n", realLabel, c.Real.RPS, MS(c.Real.P50), MS(c.Real.P99))

	fmt.Fprintln(out, "| ratio | value | target | result |")
	fmt.Fprintln(out, "|---|---:|---:|---|")
	fmt.Fprintf(out, "| real ÷ bare throughput | %.2f | ≥ %.2f | %s |\n", c.ThroughputRatio, minThroughput, Verdict(c.ThroughputRatio >= minThroughput))
	if maxP99 > 0 {
		fmt.Fprintf(out, "| real p99 ÷ bare p99 | %.2f | ≤ %.1f | %s |\n", c.P99Ratio, maxP99, Verdict(c.P99Ratio <= maxP99))
	}
	fmt.Fprintln(out)
}

// Passed says whether a comparison met its targets (maxP99 zero: none for p99).
func (c *Comparison) Passed(minThroughput, maxP99 float64) bool {
	return c.ThroughputRatio >= minThroughput && (maxP99 <= 0 || c.P99Ratio <= maxP99)
}

// PrintRuns writes every run in order, with what each cost in CPU.
func PrintRuns(out io.Writer, runs []Stats, db *Database) {
	fmt.Fprintln(out, "Every run, in order:")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "| run | target | requests | req/s | p50 | p99 | CPU/request: this process | PostgreSQL server | whole machine | new DB connections |")
	fmt.Fprintln(out, "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for i, s := range runs {
		server, conns := "–", "–"
		if db.ServerCPU != nil {
			server = US(s.CPUServer)
		}
		if db.Sessions != nil {
			conns = fmt.Sprint(s.NewConns)
		}
		fmt.Fprintf(out, "| %d | %s | %d | %.0f | %s | %s | %s | %s | %s | %s |\n",
			i+1, s.Target, s.Requests, s.RPS, MS(s.P50), MS(s.P99), US(s.CPUProc), server, US(s.CPUMachine), conns)
	}
}

// Machine describes this machine and Go for a report.
func Machine() string {
	return fmt.Sprintf("%s/%s, %s, %d CPUs, GOMAXPROCS=%d, %s",
		runtime.GOOS, runtime.GOARCH, CPUModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version())
}

// LoadAverage is Linux's 1, 5 and 15 minute load average, or "unknown".
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], ", ")
	}
	return "unknown"
}

// Verdict is PASS or FAIL.
func Verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}

// MS formats a latency in milliseconds, precise enough for sub-millisecond
// loopback times.
func MS(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

// US formats a duration in whole microseconds.
func US(d time.Duration) string { return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond)) }

// CPUModel names the processor, when Linux says what it is.
func CPUModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// Report measures real against bare with Compare and prints the
// comparison as a Markdown section: title and engine, the set-up lines
// (setup, each ending in a newline), the summary against the targets, and
// every run.
func Report(ctx context.Context, out io.Writer, o Options, db *Database, title, setup, realLabel string, bare, real Target, minRatio, maxP99 float64) (*Comparison, error) {
	before := LoadAverage()
	c, err := Compare(ctx, o, bare, real, db)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "### %s — %s\n\n", title, db.Engine)
	PrintSetup(out, o, db, before, LoadAverage())
	fmt.Fprint(out, setup)
	fmt.Fprintln(out)
	PrintSummary(out, c, "bare handler", realLabel+" ("+db.Engine+")", minRatio, maxP99)
	PrintRuns(out, c.Runs, db)
	fmt.Fprintln(out)
	return c, nil
}
