package demo_test

import (
	"testing"

	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// The first service's staff writing covers a year, every month from enough
// writers to be shown, with suggestions per 1,000 words falling.
func TestDemoWriting(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		accounts := seed(t, s)
		org := onlyOrg(t, s)
		var svcName string
		for _, a := range accounts {
			if a.Role == "manager" {
				svcName = a.Service
			}
		}
		months, err := s.Language.LanguageTotals(ctx, serviceByName(t, s, org.ID, svcName).ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(months) != 12 {
			t.Fatalf("%d months of staff writing, want 12", len(months))
		}
		for _, m := range months {
			if !m.Shown() {
				t.Errorf("%s has %d writers: not enough to be shown", m.Month, m.Writers)
			}
		}
		first, last := months[0].PerThousand(), months[len(months)-1].PerThousand()
		if !(first > 7 && last < 4.5) {
			t.Errorf("suggestions per 1,000 words went from %.1f to %.1f, want a fall from about 9 to about 3", first, last)
		}
	})
}
