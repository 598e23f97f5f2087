package sqlstore

import (
	"context"
	"fmt"
)

// Backup writes a consistent copy of a SQLite database to path while the
// database stays in use: VACUUM INTO reads within one transaction, so the
// copy is a snapshot, and it is compact and ready to open.
func (s *Store) Backup(ctx context.Context, path string) error {
	// Only for SQLite: a PostgreSQL server has its own tools, so there is
	// no general path here for an engine's own to agree with.
	if s.dialect.name != "sqlite" {
		return fmt.Errorf("backup is for SQLite; use pg_dump for PostgreSQL")
	}
	// The readers are query-only, and VACUUM INTO writes a file, so it runs on
	// the writer connection (of this process; a server elsewhere is not blocked).
	_, err := s.w.ExecContext(ctx, "VACUUM INTO $1", path)
	return err
}
