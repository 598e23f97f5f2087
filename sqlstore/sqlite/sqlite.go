// Package sqlite opens Alongside's embedded SQLite database and holds its
// quirks: WAL, foreign keys, a busy timeout, one writer connection and
// several readers.
package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Open opens (creating if needed) the database at path and returns a writer
// pool of one connection and a reader pool. SQLite allows one writer at a
// time; one writer connection turns contention into an orderly queue instead
// of "database is locked" errors.
func Open(path string) (writer, reader *sql.DB, err error) {
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, nil, fmt.Errorf("database folder %s does not exist", dir)
	}
	q := url.Values{}
	// synchronous FULL: a commit is on disk before it is acknowledged, so
	// "Saved" holds through a power cut (NORMAL could lose the last
	// commits). The group commit shares one sync among the writes waiting
	// together, which keeps the cost down (BENCHMARKS.md).
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(FULL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	// The writer reads the file through a memory map; the readers do not.
	// A reader drops its map (and its cache) whenever the database changed
	// since its last read, and here even reads write (the audit line of a
	// plan page), so readers unmapped and mapped again on nearly every
	// query: without the map a plan save cost about a fifth less CPU
	// (BENCHMARKS.md), and the home page no more.
	dsn := "file:" + path + "?" + q.Encode() + "&_pragma=mmap_size(268435456)"
	writer, err = sql.Open("sqlite", dsn)
	if err != nil {
		return nil, nil, err
	}
	writer.SetMaxOpenConns(1)
	// Touch the database now so that an unwritable path fails at start-up
	// with a clear message rather than on the first request.
	if _, err := writer.Exec("CREATE TABLE IF NOT EXISTS _probe (x INTEGER); DROP TABLE _probe"); err != nil {
		writer.Close()
		return nil, nil, fmt.Errorf("cannot write to database %s: %v", path, Describe(err))
	}
	q.Set("_txlock", "deferred")
	q.Add("_pragma", "query_only(1)")
	q.Add("_pragma", "mmap_size(0)")
	// Without the map a reader keeps pages in its own cache: 16 MB each
	// (SQLite's default is 2 MB), so that a big page such as the network
	// view reads its rows from memory while nothing is written.
	q.Add("_pragma", "cache_size(-16384)")
	reader, err = sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		writer.Close()
		return nil, nil, err
	}
	reader.SetMaxOpenConns(4)
	reader.SetMaxIdleConns(4) // reopening the file under load was a visible cost
	return writer, reader, nil
}

// IsUniqueViolation reports whether err is a UNIQUE or PRIMARY KEY failure.
func IsUniqueViolation(err error) bool {
	var e *sqlite.Error
	if errors.As(err, &e) {
		c := e.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// IsForeignKeyViolation reports whether err is a FOREIGN KEY failure.
func IsForeignKeyViolation(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// IsFull reports whether err is SQLITE_FULL: the disk is full, or the
// database has reached its max_page_count.
func IsFull(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_FULL
}

// Describe turns an SQLite error into a short message for an administrator.
func Describe(err error) string {
	var e *sqlite.Error
	if errors.As(err, &e) {
		switch e.Code() & 0xff {
		case sqlite3.SQLITE_CANTOPEN:
			return "the file cannot be opened (check the folder exists and is writable)"
		case sqlite3.SQLITE_READONLY:
			return "the file or its folder is read-only"
		case sqlite3.SQLITE_NOTADB:
			return "the file is not an SQLite database"
		case sqlite3.SQLITE_PERM:
			return "permission denied"
		}
		return sqlite.ErrorCodeString[e.Code()]
	}
	return err.Error()
}
