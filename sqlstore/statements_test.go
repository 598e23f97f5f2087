package sqlstore_test

import (
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// TestStatementSetParsedOnce checks that a stored set is parsed once and
// shared by every read of it (sheets and results read it on each request),
// while a newly loaded set is its own.
func TestStatementSetParsedOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		r := &alongside.Review{ServiceID: w.svcA.ID, CoordinatorID: w.prac.ID, Title: "Spring review"}
		must(t, s.Reviews.StartReview(ctx, r))
		a, err := s.Reviews.ReviewStatementSet(ctx, r)
		must(t, err)
		b, err := s.Reviews.ReviewStatementSet(ctx, r)
		must(t, err)
		cur, err := s.Organisations.CurrentStatementSet(ctx, w.org.ID)
		must(t, err)
		if a != b || a != cur.Set {
			t.Errorf("the same stored set was parsed again: %p %p %p", a, b, cur.Set)
		}
		body := strings.Replace(content.DefaultStatementSet(), "version: 1", "version: 2", 1)
		body = strings.Replace(body, "name: Goals are identified and addressed", "name: Goals people choose", 1)
		l, err := s.Organisations.LoadStatementSet(ctx, w.org.ID, body)
		must(t, err)
		cur, err = s.Organisations.CurrentStatementSet(ctx, w.org.ID)
		must(t, err)
		if cur.ID != l.ID || cur.Set == a || cur.Set.Version != 2 || cur.Set.Indicators[1].Name != "Goals people choose" {
			t.Errorf("current set after loading version 2: id %d (want %d), version %d, %q", cur.ID, l.ID, cur.Set.Version, cur.Set.Indicators[1].Name)
		}
		if again, err := s.Reviews.ReviewStatementSet(ctx, r); err != nil || again != a || again.Version != 1 {
			t.Errorf("the review's own set changed: %v %v", again, err)
		}
	})
}
