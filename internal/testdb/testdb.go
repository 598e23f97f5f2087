// Package testdb gives each test a fresh, migrated database: SQLite in a
// temporary folder, and, when ALONGSIDE_TEST_POSTGRES is set, a throwaway
// PostgreSQL database created for the test and dropped after it.
package testdb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testenv"
	"github.com/alongside-recovery/alongside/serverkey"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// Epoch is the time fresh test stores start at.
var Epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Engines lists the engines a store test runs on: always SQLite, and
// PostgreSQL when the environment provides it (or requires it).
func Engines() []string {
	if testenv.Required("postgres") || testenv.PostgresURL() != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// Each runs fn as a subtest on each engine with a fresh store.
func Each(t *testing.T, fn func(t *testing.T, s *sqlstore.Store)) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			fn(t, New(t, engine))
		})
	}
}

// New returns a fresh migrated store on the engine, with a fixed clock set
// to Epoch. It is closed (and a PostgreSQL database dropped) after the test.
func New(t testing.TB, engine string) *sqlstore.Store {
	t.Helper()
	return Open(t, DSN(t, engine))
}

// Open returns a migrated store on the database dsn names (from DSN), with
// a fixed clock set to Epoch, closed after the test. Two stores opened on
// one database stand for two app servers.
func Open(t testing.TB, dsn string) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { s.Close() })
	s.Clock = alongside.NewFixedClock(Epoch)
	key := serverkey.New()
	s.Key = &key
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", dsn, err)
	}
	return s
}

var seq atomic.Int64

// DSN returns the setting of a fresh, empty database on the engine.
func DSN(t testing.TB, engine string) string {
	t.Helper()
	if engine == "sqlite" {
		return "sqlite:" + t.TempDir() + "/test.db"
	}
	admin := testenv.Postgres(t)
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	name := fmt.Sprintf("alongside_test_%d_%d", time.Now().UnixNano(), seq.Add(1))
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("ALONGSIDE_TEST_POSTGRES: %v", err)
	}
	u.Path = "/" + strings.TrimPrefix(name, "/")
	return u.String()
}
