package sqlstore_test

import (
	"testing"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// A practitioner's reflections come back newest first with their answers,
// only their own, and one that names the person seen is refused.
func TestReflections(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		c := content.DefaultPractice()
		tip := c.Tips[0].Key
		for _, note := range []string{"Went well.", "Talked about the garden."} {
			r := &alongside.Reflection{PractitionerID: w.prac.ID, Answers: map[string]string{tip: "yes"}, Note: note}
			if err := s.Development.SaveReflection(ctx, r, c); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Development.SaveReflection(ctx, &alongside.Reflection{PractitionerID: w.prac.ID, Note: "No answers."}, c); code(err) != alongside.EINVALID {
			t.Fatalf("a reflection with no answers: %v", err)
		}
		got, err := s.Development.Reflections(ctx, w.prac.ID, time.Time{})
		if err != nil || len(got) != 2 || got[0].Note != "Talked about the garden." || got[1].Answers[tip] != "yes" {
			t.Fatalf("reflections: %+v, %v", got, err)
		}
		if other, err := s.Development.Reflections(ctx, w.prac2.ID, time.Time{}); err != nil || len(other) != 0 {
			t.Fatalf("another practitioner's: %+v, %v", other, err)
		}
	})
}
