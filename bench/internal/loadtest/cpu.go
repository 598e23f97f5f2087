package loadtest

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ProcessCPU is the user and system CPU time this process has used.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// MachineCPU is the busy CPU time of all cores since boot, from Linux's
// /proc/stat (zero elsewhere): everything but idle and I/O wait.
func MachineCPU() time.Duration {
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

// PostgresCPU reads, from Linux's /proc, the CPU time used so far by the
// PostgreSQL server on this machine: every live process named postgres,
// plus the time of its exited children (counted in the postmaster's
// cutime and cstime), so that backends which come and go during a run are
// not lost. It counts the whole server, including any other database's
// work, and is zero when no server runs here.
func PostgresCPU() time.Duration {
	dirs, _ := os.ReadDir("/proc")
	var ticks int64
	for _, d := range dirs {
		if d.Name()[0] < '0' || d.Name()[0] > '9' {
			continue
		}
		b, err := os.ReadFile("/proc/" + d.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid …: utime, stime, cutime, cstime are
		// fields 14–17, in clock ticks of 1/100 s.
		lp, rp := strings.IndexByte(string(b), '('), strings.LastIndexByte(string(b), ')')
		if lp < 0 || rp < lp || string(b[lp+1:rp]) != "postgres" {
			continue
		}
		f := strings.Fields(string(b[rp+1:]))
		if len(f) < 15 {
			continue
		}
		for _, v := range f[11:15] {
			n, _ := strconv.ParseInt(v, 10, 64)
			ticks += n
		}
	}
	return time.Duration(ticks) * time.Second / 100
}
