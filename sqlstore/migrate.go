package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Migrations are embedded so the binary carries its schema. Each version is
// NNNN_name.sql, written once for both engines, with optional
// NNNN_name.sqlite.sql / NNNN_name.postgres.sql run after it where the
// engines truly differ (triggers, say). In the shared file {{id}} stands for
// the engine's auto-increment primary key.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

func (s *db) migrations() ([]migration, error) {
	files, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	byVersion := map[int]*migration{}
	sort.Strings(files)
	for _, f := range files {
		base := path.Base(f)
		parts := strings.Split(strings.TrimSuffix(base, ".sql"), ".")
		num, name, _ := strings.Cut(parts[0], "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", base)
		}
		// NNNN_name.sqlite.sql and NNNN_name.postgres.sql are the
		// engines' own files for a migration: the name picks the file,
		// as <file>_postgres.go does for Go.
		if len(parts) == 2 && parts[1] != s.dialect.name {
			continue
		}
		b, err := migrationFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		m := byVersion[v]
		if m == nil {
			m = &migration{version: v, name: name}
			byVersion[v] = m
		}
		text := strings.ReplaceAll(string(b), "{{id}}", s.dialect.idColumn) + "\n"
		if len(parts) == 2 {
			m.sql += text // the engine's companion runs after the shared file
		} else {
			m.sql = text + m.sql
		}
	}
	out := make([]migration, 0, len(byVersion))
	for _, m := range byVersion {
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// SchemaVersion is the newest schema this binary knows.
func (s *Store) SchemaVersion() int { return KnownSchemaVersion() }

// KnownSchemaVersion is the newest schema this binary knows, whatever the
// engine (versions are numbered alike on both).
func KnownSchemaVersion() int {
	ms, _ := (&db{dialect: sqliteDialect}).migrations()
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// Migrate applies the migrations not yet recorded, each in its own
// transaction, and records them. It is safe to run twice and from several
// servers at once. A database written by a newer version is refused.
func (s *Store) Migrate(ctx context.Context) (applied int, err error) {
	all, err := s.migrations()
	if err != nil {
		return 0, err
	}
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	unlock, err := s.dialect.migrateLock(ctx, conn)
	if err != nil {
		return 0, fmt.Errorf("cannot lock the database for migration: %v", s.dialect.describe(err))
	}
	defer unlock()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("cannot prepare the database: %v", s.dialect.describe(err))
	}
	done := map[int]bool{}
	newest := 0
	rows, err := conn.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return 0, err
		}
		done[v] = true
		newest = max(newest, v)
	}
	rows.Close()
	if known := all[len(all)-1].version; newest > known {
		return 0, fmt.Errorf("this database was written by a newer version of Alongside (schema %d; this version knows up to %d): run the newer version, or restore a backup made with this one", newest, known)
	}
	for _, m := range all {
		if done[m.version] {
			continue
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return applied, err
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migration %04d_%s failed: %v", m.version, m.name, s.dialect.describe(err))
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
			m.version, m.name, ms(s.Clock.Now())); err != nil {
			tx.Rollback()
			return applied, err
		}
		if err := tx.Commit(); err != nil {
			return applied, err
		}
		applied++
	}
	return applied, nil
}

// OpenMigrated opens the database named by dsn and brings its schema up to
// date, as every command that uses the database does first.
func OpenMigrated(ctx context.Context, dsn string) (*Store, error) {
	s, err := Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}
