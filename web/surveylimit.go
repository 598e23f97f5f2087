package web

import (
	"context"
	"sync"
)

// linkLimiter holds, per wave, the permits this process has taken from the
// link's count of answers a minute, which is stored in the database so that
// every app server shares one limit. Counting each answer there would make
// answers arriving together queue on one row; instead a process takes a
// fiftieth of the limit at a time and spends it from memory, so the limit
// holds across servers to within a block per server (one answer, under a
// limit of 100). The limit exists to stop a flood, not a team.
type linkLimiter struct {
	mu    sync.Mutex
	waves map[int64]*linkPermits
}

type linkPermits struct {
	mu     sync.Mutex
	minute int64
	limit  int // the link's limit the permits were taken under
	left   int
	full   bool // the link's limit is reached for this minute
}

// allowAnswer reports whether one more answer through the wave's link fits
// in this minute.
func (s *Server) allowAnswer(ctx context.Context, waveID int64, limit int) (bool, error) {
	minute := s.now().Unix() / 60
	l := &s.links
	l.mu.Lock()
	if l.waves == nil || len(l.waves) > 10000 {
		l.waves = map[int64]*linkPermits{} // waves of minutes past; their permits are spent
	}
	p := l.waves[waveID]
	if p == nil {
		p = &linkPermits{}
		l.waves[waveID] = p
	}
	l.mu.Unlock()

	p.mu.Lock()
	defer p.mu.Unlock()
	if p.minute != minute {
		p.minute, p.limit, p.left, p.full = minute, limit, 0, false
	}
	if p.limit != limit {
		// The link's limit changed: give back what was taken under the old.
		if p.left > 0 {
			if _, err := s.store.Surveys.CountLinkAnswers(ctx, waveID, minute, -p.left); err != nil {
				return false, err
			}
		}
		p.limit, p.left, p.full = limit, 0, false
	}
	if p.left == 0 && !p.full {
		block := max(1, limit/50)
		total, err := s.store.Surveys.CountLinkAnswers(ctx, waveID, minute, block)
		if err != nil {
			return false, err
		}
		p.left = min(block, limit-(total-block))
		p.left = max(p.left, 0)
		p.full = total >= limit
	}
	if p.left == 0 {
		return false, nil
	}
	p.left--
	return true, nil
}
