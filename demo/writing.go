package demo

import (
	"math/rand/v2"

	"github.com/alongside-recovery/alongside"
)

// writing gives the first service a year of staff writing in total, as
// Alongside counts it when staff save free text: words written and
// language suggestions raised, month by month, by its practitioners and
// manager. The rate falls over the year, from about 9 to about 3 per
// 1,000 words, as a team's words change when it works on recovery
// language; the service's "Language in staff writing" page and its review
// evidence show it. Invented figures: no demo text stands behind them.
func (s *seeder) writing(b *built) error {
	writers := append([]*alongside.User{b.manager}, b.practitioners...)
	rng := rand.New(rand.NewPCG(0x1a9, 7))
	old := s.s.Clock
	defer func() { s.s.Clock = old }()
	const months = 12
	for m := range months {
		at := developmentToday.AddDate(0, m-months+1, 0)
		s.s.Clock = alongside.NewFixedClock(at)
		rate := 9.0 - 6.0*float64(m)/float64(months-1)
		for _, u := range writers {
			words := 600 + rng.IntN(1800)
			raised := int(rate*float64(words)/1000 + rng.Float64())
			if err := s.s.Language.CountWriting(s.ctx, b.svc.ID, u.ID, words, raised); err != nil {
				return err
			}
		}
	}
	return nil
}
