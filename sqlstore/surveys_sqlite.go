package sqlstore

import (
	"context"
	"database/sql"
	"errors"
)

// insertResponseTogether is insertResponseAlone in a transaction shared
// with the answers arriving at the same moment: SQLite has one writer, so
// they share a commit.
func (s *Surveys) insertResponseTogether(ctx context.Context, args []any) (duplicate bool, err error) {
	err = s.writeTogether(ctx, func(tx *Tx) error {
		var id int64
		err := tx.QueryRowContext(tx.ctx, insertResponseQuery, args...).Scan(&id)
		if duplicate = errors.Is(err, sql.ErrNoRows); duplicate {
			return nil // the same form again is counted once
		}
		return err
	})
	if err != nil {
		return false, s.wrap(err)
	}
	return duplicate, nil
}
