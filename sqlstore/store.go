// Package sqlstore is the one database/sql implementation of Alongside's
// storage. The same SQL text serves SQLite and PostgreSQL: both accept $1
// placeholders, RETURNING and ON CONFLICT. What differs between the engines
// lives in the sqlite and postgres packages and in the dialect (db.go).
package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/alongside-recovery/alongside/sqlstore/postgres"
	"github.com/alongside-recovery/alongside/sqlstore/sqlite"
)

// Store is the root of storage: the shared connections and settings (db)
// and one store per area of the domain. Exported settings (Clock, Zone,
// Key, Path) are db's, so setting one on the Store sets it for every area.
type Store struct {
	*db

	Accounts      *Accounts
	Sessions      *Sessions
	Links         *Links
	Organisations *Organisations
	Relationships *Relationships
	Plans         *Plans
	Reviews       *Reviews
	ActionPlans   *ActionPlans
	Development   *Development
	Surveys       *Surveys
	Language      *Language
	Audit         *Audit
}

// ParseDSN splits a database setting into engine and location. It accepts
// "sqlite:PATH" and "postgres://…" (or "postgresql://…").
func ParseDSN(dsn string) (engine, location string, err error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		p := strings.TrimPrefix(dsn, "sqlite:")
		if p == "" {
			return "", "", fmt.Errorf("database %q: give a file path after sqlite:, like sqlite:alongside.db", dsn)
		}
		return "sqlite", p, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return "postgres", dsn, nil
	}
	return "", "", fmt.Errorf("database %q: use sqlite:PATH or a postgres:// URL", redact(dsn))
}

// redact hides a password in a URL-like string before it is printed.
func redact(s string) string {
	if at := strings.Index(s, "@"); at > 0 {
		if c := strings.Index(s, "://"); c > 0 && c < at {
			return s[:c+3] + "…" + s[at:]
		}
	}
	return s
}

// Open opens the database named by dsn. It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*Store, error) {
	engine, loc, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	s := newDB()
	switch engine {
	case "sqlite":
		s.dialect = sqliteDialect
		s.Path = loc
		s.w, s.r, err = sqlite.Open(loc)
	default:
		s.dialect = postgresDialect
		s.w, err = postgres.Open(ctx, loc)
		s.r = s.w
	}
	if err != nil {
		return nil, err
	}
	return newStore(s), nil
}

// Close closes the connections.
func (s *Store) Close() error {
	s.together.stop()
	s.stmtMu.Lock()
	for _, st := range s.opened {
		st.Close()
	}
	s.opened = nil
	s.stmtMu.Unlock()
	err := s.w.Close()
	if s.r != s.w {
		if e := s.r.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Ping checks that the database answers a query (for /readyz).
func (s *Store) Ping(ctx context.Context) error {
	var n int
	return s.r.QueryRowContext(ctx, "SELECT 1").Scan(&n)
}

// newStore composes the area stores over one db. An area that calls
// another holds it as a field.
func newStore(d *db) *Store {
	s := &Store{
		db:            d,
		Accounts:      &Accounts{db: d},
		Sessions:      &Sessions{db: d},
		Links:         &Links{db: d},
		Organisations: newOrganisations(d),
		Relationships: &Relationships{db: d},

		ActionPlans: &ActionPlans{db: d},
		Development: &Development{db: d},
		Surveys:     newSurveys(d),
		Language:    &Language{db: d},
		Audit:       &Audit{db: d},
	}
	s.Sessions.accounts = s.Accounts
	s.Reviews = newReviews(d, s.Organisations)
	s.Links.accounts, s.Links.reviews = s.Accounts, s.Reviews
	s.Plans = newPlans(d, s.Links)
	s.ActionPlans.organisations = s.Organisations
	return s
}
