package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
)

// LoadedStatementSet is a statement set an organisation has loaded.
type LoadedStatementSet struct {
	ID       int64
	OrgID    int64
	Set      *alongside.StatementSet
	Body     string
	LoadedAt time.Time
	LoadedBy string // name of who loaded it; empty for the shipped default
}

// LoadStatementSet checks a statement set file and, only if it has no
// problems, keeps it as the organisation's current set. A file with problems
// returns content.Problems and loads nothing.
func (s *Organisations) LoadStatementSet(ctx context.Context, orgID int64, body string) (*LoadedStatementSet, error) {
	set, err := content.ParseStatementSet(strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	l := &LoadedStatementSet{OrgID: orgID, Set: set, Body: body}
	if err := s.write(ctx, func(tx *Tx) error { return tx.insertStatementSet(l) }); err != nil {
		return nil, err
	}
	return l, nil
}

// insertStatementSet keeps a checked set for an organisation within tx.
func (tx *Tx) insertStatementSet(l *LoadedStatementSet) error {
	l.LoadedAt = tx.now
	o := alongside.OriginFrom(tx.ctx)
	err := tx.QueryRowContext(tx.ctx, `INSERT INTO statement_sets (org_id, name, version, source, body, loaded_at, loaded_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, l.OrgID, l.Set.Name, l.Set.Version, l.Set.Source, l.Body, ms(tx.now), nullID(o.ActorID)).Scan(&l.ID)
	if tx.s.dialect.isUnique(err) {
		return alongside.Errorf(alongside.ECONFLICT, "Version %d of “%s” is already loaded. To load a changed set, give it a new version number.", l.Set.Version, l.Set.Name)
	} else if err != nil {
		return err
	}
	return tx.audit("statement_set.load", "statement_set", l.ID, l.OrgID, 0, l.Set.Name+" v"+itoa(int64(l.Set.Version)))
}

// shippedStatementSet is the set every organisation starts from.
func shippedStatementSet(orgID int64) (*LoadedStatementSet, error) {
	body := content.DefaultStatementSet()
	set, err := content.ParseStatementSet(strings.NewReader(body))
	if err != nil {
		return nil, err // caught by the content package's tests
	}
	return &LoadedStatementSet{OrgID: orgID, Set: set, Body: body}, nil
}

// StatementSets lists an organisation's loaded sets, newest first.
func (s *Organisations) StatementSets(ctx context.Context, orgID int64) ([]LoadedStatementSet, error) {
	rows, err := s.query(ctx, `SELECT ss.id, ss.org_id, ss.body, ss.loaded_at, COALESCE(u.name, '')
		FROM statement_sets ss LEFT JOIN users u ON u.id = ss.loaded_by WHERE ss.org_id = $1 ORDER BY ss.id DESC`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LoadedStatementSet
	for rows.Next() {
		l, err := s.scanStatementSet(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *l)
	}
	return out, rows.Err()
}

// CurrentStatementSet returns the set an organisation's new reviews use: the
// one it loaded last, or ENOTFOUND if it has loaded none.
func (s *Organisations) CurrentStatementSet(ctx context.Context, orgID int64) (*LoadedStatementSet, error) {
	l, err := s.scanStatementSet(s.queryRow(ctx, `SELECT ss.id, ss.org_id, ss.body, ss.loaded_at, COALESCE(u.name, '')
		FROM statement_sets ss LEFT JOIN users u ON u.id = ss.loaded_by WHERE ss.org_id = $1 ORDER BY ss.id DESC LIMIT 1`, orgID))
	if err == sql.ErrNoRows {
		return nil, notFound("statement set")
	}
	return l, err
}

func (s *Organisations) scanStatementSet(row scanner) (*LoadedStatementSet, error) {
	var l LoadedStatementSet
	var at int64
	if err := row.Scan(&l.ID, &l.OrgID, &l.Body, &at, &l.LoadedBy); err != nil {
		return nil, err
	}
	l.LoadedAt = fromMS(at)
	// A stored set is never changed, so each body is parsed once and the
	// result shared: every sheet and results page reads its review's set.
	// Keyed by the body itself, not the id, so a restored database with
	// other sets under the same ids can never be served a stale parse.
	if set, ok := s.sets.Get(l.Body, struct{}{}); ok {
		l.Set = set
		return &l, nil
	}
	// Only checked files are stored, so this parse cannot fail unless the
	// parser itself has been made stricter since; then say so plainly.
	set, err := content.ParseStatementSet(strings.NewReader(l.Body))
	if err != nil {
		return nil, err
	}
	s.sets.Put(l.Body, struct{}{}, set)
	l.Set = set
	return &l, nil
}
