package sqlstore_test

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// Writes committed together each stand alone: one that fails after writing
// leaves nothing behind, and the others in its transaction still commit.
func TestWritesCommittedTogetherStandAlone(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		const n = 48
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				errs[i] = s.WriteTogether(ctx, func(tx *sqlstore.Tx) error {
					if err := tx.Audit("test.together", fmt.Sprint(i)); err != nil {
						return err
					}
					if i%3 == 0 {
						return errors.New("this write fails after writing")
					}
					return nil
				})
			})
		}
		wg.Wait()
		var want []string
		for i, err := range errs {
			if (err != nil) != (i%3 == 0) {
				t.Fatalf("write %d: error %v", i, err)
			}
			if err == nil {
				want = append(want, fmt.Sprint(i))
			}
		}
		rows, err := s.DB().QueryContext(ctx, "SELECT detail FROM audit_events WHERE action = 'test.together'")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var d string
			if err := rows.Scan(&d); err != nil {
				t.Fatal(err)
			}
			got = append(got, d)
		}
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("kept %v, want %v", got, want)
		}
	})
}
