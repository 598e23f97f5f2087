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
