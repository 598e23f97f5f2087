package sqlstore

import (
	"context"

	"github.com/alongside-recovery/alongside"
)

// addSheetTogether is the general path in a transaction shared with the
// sheets arriving at the same moment: SQLite has one writer, so the tally
// and index pages they all touch are written to the log once, not once a
// sheet.
func (s *Reviews) addSheetTogether(ctx context.Context, r *alongside.Review, sh *alongside.EvidenceSheet) error {
	return s.writeTogether(ctx, func(tx *Tx) error { return tx.addSheet(r, sh) })
}
