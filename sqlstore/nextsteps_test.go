package sqlstore_test

import (
	"context"
	"testing"

	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// Every combination of parts of the home page's query runs on each engine.
func TestNextStepsQueryRuns(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			s := testdb.Open(t, testdb.DSN(t, engine))
			for bits := range 16 {
				p := sqlstore.HomeParts{OwnPlan: bits&1 != 0, Allocated: bits&2 != 0, Manager: bits&4 != 0, Lead: bits&8 != 0}
				if _, err := s.NextSteps(context.Background(), 1, p, s.Clock.Now()); err != nil {
					t.Fatalf("%+v: %v", p, err)
				}
			}
		})
	}
}
