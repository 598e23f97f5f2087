package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
)

// HelpNowList is an organisation's "If you need help now" numbers, as its
// administrator last saved them. Version 0 means the organisation uses the
// shipped list (content.DefaultHelpNow).
type HelpNowList struct {
	OrgID         int64
	Body          string
	Version       int
	UpdatedByName string
	UpdatedAt     int64 // ms; 0 for the shipped list
	Lines         []alongside.HelpLine
}

// HelpNow returns the organisation's numbers, parsed; the shipped ones when
// it has none of its own, or when orgID is 0 (someone in no service now).
func (s *Organisations) HelpNow(ctx context.Context, orgID int64) (*HelpNowList, error) {
	l := &HelpNowList{OrgID: orgID}
	err := s.queryRow(ctx, `SELECT l.body, l.version, u.name, l.updated_at FROM help_now_lists l
		JOIN users u ON u.id = l.updated_by WHERE l.org_id = $1`, orgID).Scan(&l.Body, &l.Version, &l.UpdatedByName, &l.UpdatedAt)
	if err == sql.ErrNoRows {
		l.Body, l.Lines = content.DefaultHelpNowText(), content.DefaultHelpNow()
		return l, nil
	} else if err != nil {
		return nil, s.wrap(err)
	}
	if l.Lines, err = content.ParseHelpNow(strings.NewReader(l.Body)); err != nil {
		// Only a valid list is ever saved; should one not parse, the
		// shipped numbers are shown rather than none.
		l.Lines = content.DefaultHelpNow()
	}
	return l, nil
}

// HelpNowVersion returns the version of the organisation's own list, or 0.
func (s *Organisations) HelpNowVersion(ctx context.Context, orgID int64) (int, error) {
	var v int
	err := s.queryRow(ctx, "SELECT version FROM help_now_lists WHERE org_id = $1", orgID).Scan(&v)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return v, s.wrap(err)
}

// SaveHelpNow replaces the organisation's numbers with body, refused whole
// (content.Problems, line-numbered) when any line is wrong, and as a
// conflict when someone saved since base was read. Audited.
func (s *Organisations) SaveHelpNow(ctx context.Context, orgID int64, base int, body string, by int64) error {
	if p := alongside.TextProblem(body); p != "" {
		return alongside.Invalid(map[string]string{"body": p})
	}
	if _, err := content.ParseHelpNow(strings.NewReader(body)); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		var res sql.Result
		var err error
		if base == 0 {
			res, err = tx.ExecContext(ctx, `INSERT INTO help_now_lists (org_id, body, version, updated_by, updated_at)
				VALUES ($1, $2, 1, $3, $4) ON CONFLICT (org_id) DO NOTHING`, orgID, body, by, tx.now.UnixMilli())
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE help_now_lists SET body = $1, version = version + 1, updated_by = $2, updated_at = $3
				WHERE org_id = $4 AND version = $5`, body, by, tx.now.UnixMilli(), orgID, base)
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleError()
		}
		return tx.audit("helpnow.save", "organisation", orgID, orgID, 0, "")
	})
}

// ServiceOrg returns the organisation a service belongs to, or 0 for no
// service.
func (s *Organisations) ServiceOrg(ctx context.Context, serviceID int64) (int64, error) {
	if serviceID == 0 {
		return 0, nil
	}
	var org int64
	err := s.queryRow(ctx, "SELECT org_id FROM services WHERE id = $1", serviceID).Scan(&org)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return org, s.wrap(err)
}
