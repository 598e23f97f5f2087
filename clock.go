package alongside

import (
	"sync"
	"time"
)

// Clock is the one source of time, so that tests can set it.
type Clock interface {
	Now() time.Time
}

// SystemClock reads the real time, in UTC.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now().UTC() }

// FixedClock is a settable clock for tests.
type FixedClock struct {
	mu sync.Mutex
	t  time.Time
}

func NewFixedClock(t time.Time) *FixedClock { return &FixedClock{t: t.UTC()} }

func (c *FixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on.
func (c *FixedClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
