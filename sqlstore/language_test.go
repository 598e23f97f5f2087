package sqlstore_test

import (
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// An organisation uses the shipped suggestions until an administrator
// saves its own; a stale save is refused. A writer's suggestion set aside
// for one text stays shown in others, one set aside for good is hidden
// everywhere until the writer brings it back.
func TestLanguageListAndDismissals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		l, err := s.Language.LanguageList(ctx, w.org.ID)
		if err != nil || l.Version != 0 || l.Body != content.DefaultSuggestionsText() {
			t.Fatalf("before any save: %+v, %v", l, err)
		}
		if err := s.Language.SaveLanguageList(ctx, w.org.ID, 0, content.DefaultSuggestionsText(), w.manager.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.Language.SaveLanguageList(ctx, w.org.ID, 0, content.DefaultSuggestionsText(), w.manager.ID); code(err) != alongside.ECONFLICT {
			t.Fatalf("a second first save: %v, want a conflict", err)
		}
		if v, err := s.Language.LanguageListVersion(ctx, w.org.ID); err != nil || v != 1 {
			t.Fatalf("version after one save: %d, %v", v, err)
		}

		if err := s.Language.DismissSuggestion(ctx, w.prac.ID, "sufferer", "plan 1"); err != nil {
			t.Fatal(err)
		}
		if err := s.Language.DismissSuggestion(ctx, w.prac.ID, "non-compliant", sqlstore.ForGood); err != nil {
			t.Fatal(err)
		}
		here, err := s.Language.Dismissed(ctx, w.prac.ID, "plan 1")
		if err != nil || !here["sufferer"] || !here["non-compliant"] {
			t.Fatalf("in the text: %v, %v", here, err)
		}
		there, err := s.Language.Dismissed(ctx, w.prac.ID, "plan 2")
		if err != nil || there["sufferer"] || !there["non-compliant"] {
			t.Fatalf("in another text: %v, %v", there, err)
		}
		if other, _ := s.Language.Dismissed(ctx, w.prac2.ID, "plan 1"); len(other) != 0 {
			t.Fatalf("another writer's dismissals: %v", other)
		}
		if err := s.Language.ForgetDismissals(ctx, w.prac.ID); err != nil {
			t.Fatal(err)
		}
		if good, err := s.Language.DismissedForGood(ctx, w.prac.ID); err != nil || len(good) != 0 {
			t.Fatalf("after bringing them back: %v, %v", good, err)
		}
	})
}
