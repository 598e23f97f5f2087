package sqlstore

import "context"

// WriteTogether lets the package's tests reach writeTogether.
func (s *Store) WriteTogether(ctx context.Context, fn func(tx *Tx) error) error {
	return s.writeTogether(ctx, fn)
}

// Audit writes an audit line within tx, for the package's tests.
func (tx *Tx) Audit(action, detail string) error {
	return tx.audit(action, "user", 0, 0, 0, detail)
}

// MigrateTo applies the migrations up to version v only, as a database
// written by an older Alongside would have them, for the package's tests of
// a migration's data.
func (s *Store) MigrateTo(ctx context.Context, v int) error {
	all, err := s.migrations()
	if err != nil {
		return err
	}
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return err
	}
	for _, m := range all {
		if m.version > v {
			break
		}
		if _, err := s.w.ExecContext(ctx, m.sql); err != nil {
			return err
		}
		if _, err := s.w.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)", m.version, m.name); err != nil {
			return err
		}
	}
	return nil
}

// SetFoldChunk sets how many responses one transaction of a fold takes
// in, for the package's tests, and returns a function that restores it.
func SetFoldChunk(n int) (restore func()) {
	old := foldChunk
	foldChunk = n
	return func() { foldChunk = old }
}
