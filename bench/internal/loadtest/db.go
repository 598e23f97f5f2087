package loadtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to create and drop the bench database

	"github.com/alongside-recovery/alongside/sqlstore"
)

// Database is a fresh, migrated store and how to get rid of it.
type Database struct {
	Store    *sqlstore.Store
	Engine   string // "sqlite" or "postgres"
	Describe string // engine and version, for the report
	Close    func()

	// ServerCPU, for a PostgreSQL server on this machine, is the CPU time
	// the server has used; nil for SQLite, which runs inside this process,
	// and for a server elsewhere.
	ServerCPU func() time.Duration

	// Sessions, for PostgreSQL, counts the connections ever opened to the
	// bench database (pg_stat_database.sessions), to show pool churn.
	Sessions func() int64
}

// CPUNow is the database server's CPU time so far, or zero when unknown.
func (d *Database) CPUNow() time.Duration {
	if d == nil || d.ServerCPU == nil {
		return 0
	}
	return d.ServerCPU()
}

// SessionsNow counts connections opened to the database, or zero when unknown.
func (d *Database) SessionsNow() int64 {
	if d == nil || d.Sessions == nil {
		return 0
	}
	return d.Sessions()
}

// OpenDatabase makes a fresh database: a temporary SQLite file, or a new
// database in the PostgreSQL server at dsn (internal/testdb does the same,
// but it needs a testing.TB, and this is for programs).
func OpenDatabase(ctx context.Context, dsn string) (*Database, error) {
	if dsn == "sqlite" {
		dir, err := os.MkdirTemp("", "alongside-bench-")
		if err != nil {
			return nil, err
		}
		s, err := sqlstore.OpenMigrated(ctx, "sqlite:"+dir+"/bench.db")
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		var v string
		s.DB().QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&v)
		return &Database{Store: s, Engine: "sqlite", Describe: "SQLite " + v + " (modernc.org/sqlite), fresh temporary file, WAL",
			Close: func() { s.Close(); os.RemoveAll(dir) }}, nil
	}
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return nil, fmt.Errorf("-db %q: use sqlite or a postgres:// URL", dsn)
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("alongside_bench_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return nil, fmt.Errorf("creating the bench database: %w", err)
	}
	drop := func() {
		// Not ctx: after Ctrl-C the database must still be dropped.
		admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close()
	}
	u, err := url.Parse(dsn)
	if err != nil {
		drop()
		return nil, err
	}
	u.Path = "/" + name
	s, err := sqlstore.OpenMigrated(ctx, u.String())
	if err != nil {
		drop()
		return nil, err
	}
	var v string
	s.DB().QueryRowContext(ctx, "SHOW server_version").Scan(&v)
	db := &Database{Store: s, Engine: "postgres", Describe: "PostgreSQL " + v + " at " + u.Host + " (pgx), fresh database " + name,
		Close: func() { s.Close(); drop() }}
	db.Sessions = func() int64 {
		var n int64
		admin.QueryRow("SELECT sessions FROM pg_stat_database WHERE datname = $1", name).Scan(&n)
		return n
	}
	if h := u.Hostname(); (h == "127.0.0.1" || h == "localhost" || h == "::1") && PostgresCPU() > 0 {
		db.ServerCPU = PostgresCPU
	}
	return db, nil
}
