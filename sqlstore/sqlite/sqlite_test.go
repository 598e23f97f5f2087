package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/alongside-recovery/alongside/sqlstore/sqlite"
)

// The writer and the readers are opened with the settings Open promises:
// commits synced to disk before they are acknowledged,
// WAL and foreign keys on both, readers read-only, and a memory map for the
// writer only (a reader drops its map after every write by another), and a
// larger page cache for the readers instead.
func TestOpenSettings(t *testing.T) {
	w, r, err := sqlite.Open(filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	defer r.Close()
	for _, c := range []struct {
		who, pragma, want string
	}{
		{"writer", "journal_mode", "wal"}, {"writer", "foreign_keys", "1"}, {"writer", "mmap_size", "268435456"}, {"writer", "query_only", "0"},
		{"reader", "journal_mode", "wal"}, {"reader", "foreign_keys", "1"}, {"reader", "mmap_size", "0"}, {"reader", "query_only", "1"},
		{"reader", "cache_size", "-16384"},
		// A commit is acknowledged once it is on disk (2 is FULL).
		{"writer", "synchronous", "2"},
	} {
		db := w
		if c.who == "reader" {
			db = r
		}
		var got string
		if err := db.QueryRow("PRAGMA " + c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s: PRAGMA %s = %s, want %s", c.who, c.pragma, got, c.want)
		}
	}
}
