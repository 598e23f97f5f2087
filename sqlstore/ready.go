package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
)

// Ready reports whether the store can serve requests: the database answers
// and, once a write has failed for want of disk space, writes succeed
// again. Until then every write would be refused, so a load balancer should
// send people to a server that can keep what they write.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.Ping(ctx); err != nil {
		return err
	}
	if !s.full.Load() {
		return nil
	}
	return s.probeWrite(ctx)
}

// probeWrite writes a row of a few pages and removes it in the same
// transaction: enough to need new pages and to write to the journal, so it
// fails while the disk is full and succeeds once space has returned. The
// filler is random so that PostgreSQL cannot compress it away.
func (s *Store) probeWrite(ctx context.Context) error {
	b := make([]byte, 16<<10)
	rand.Read(b)
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.Tx.ExecContext(ctx, "INSERT INTO write_probes (filler) VALUES ($1)", hex.EncodeToString(b)); err != nil {
			return err
		}
		_, err := tx.Tx.ExecContext(ctx, "DELETE FROM write_probes")
		return err
	})
}
