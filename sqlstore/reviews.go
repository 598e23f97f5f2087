package sqlstore

import (
	"context"
	"database/sql"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/cache"
)

// Reviews stores review cycles, evidence sheets, their drafts, results and attached evidence.
type Reviews struct {
	*db
	organisations *Organisations

	// A review (and which sources' comments) → its results at the review's
	// sheet count, read on every view: a sheet stored by any app server
	// changes the count. Bounded by the reviews gathering or read at once,
	// with room to spare.
	results *cache.Cache[resultsKey, int, *alongside.Results]
	// A statement set id → its parse. A stored set never changes and a
	// database is restored only with the server stopped, so the version is
	// struct{}; an organisation loads a set a year or so.
	setsByID *cache.Cache[int64, struct{}, *alongside.StatementSet]
}

type resultsKey struct {
	review int64
	all    string // the indicator whose comments are all wanted
}

func newReviews(d *db, orgs *Organisations) *Reviews {
	return &Reviews{
		db: d, organisations: orgs,
		results:  cache.New[resultsKey, int, *alongside.Results]("review results", 1024),
		setsByID: cache.New[int64, struct{}, *alongside.StatementSet]("statement sets by id", 256),
	}
}

// StartReview starts a service's next review cycle on the organisation's
// current statement set, linked to the service's previous review. Its
// coordinator is the service's manager or one of its practitioners; its team
// are practitioners of the service. A service runs one review at a time.
func (s *Reviews) StartReview(ctx context.Context, r *alongside.Review) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		var open int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM reviews WHERE service_id = $1 AND stage <> 'complete'", r.ServiceID).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return alongside.Errorf(alongside.ECONFLICT, "This service already has a review under way. Complete it before starting the next one.")
		}
		f := map[string]string{}
		mgr, err := tx.hasRole(r.CoordinatorID, alongside.RoleServiceManager, r.ServiceID)
		if err != nil {
			return err
		}
		prac, err := tx.hasRole(r.CoordinatorID, alongside.RolePractitioner, r.ServiceID)
		if err != nil {
			return err
		}
		if !mgr && !prac {
			f["coordinator"] = "Choose the service's manager or one of its practitioners to coordinate the review."
		}
		for _, id := range r.Team {
			if ok, err := tx.hasRole(id, alongside.RolePractitioner, r.ServiceID); err != nil {
				return err
			} else if !ok {
				f["team"] = "The team can only include practitioners of this service."
			}
		}
		if len(f) > 0 {
			return alongside.Invalid(f)
		}
		if err := tx.QueryRowContext(ctx, "SELECT org_id FROM services WHERE id = $1", r.ServiceID).Scan(&r.OrgID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "SELECT MAX(id) FROM statement_sets WHERE org_id = $1", r.OrgID).Scan(&r.StatementSetID); err != nil {
			return alongside.Errorf(alongside.ECONFLICT, "The organisation has no statement set loaded. Ask an administrator to load one.")
		}
		var prev sql.NullInt64
		if err := tx.QueryRowContext(ctx, "SELECT MAX(id) FROM reviews WHERE service_id = $1", r.ServiceID).Scan(&prev); err != nil {
			return err
		}
		r.PreviousID, r.Stage, r.StartedAt, r.Version = prev.Int64, alongside.StagePlanning, tx.now, 1
		if err := tx.QueryRowContext(ctx, `INSERT INTO reviews (org_id, service_id, statement_set_id, coordinator_id, previous_id, title, stage, started_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, r.OrgID, r.ServiceID, r.StatementSetID, r.CoordinatorID, nullID(r.PreviousID),
			r.Title, string(r.Stage), ms(tx.now)).Scan(&r.ID); err != nil {
			return err
		}
		seen := map[int64]bool{r.CoordinatorID: true}
		for _, id := range r.Team {
			if seen[id] {
				continue
			}
			seen[id] = true
			if _, err := tx.ExecContext(ctx, "INSERT INTO review_team (review_id, user_id) VALUES ($1, $2)", r.ID, id); err != nil {
				return err
			}
		}
		return tx.audit("review.start", "review", r.ID, r.OrgID, r.ServiceID, r.Title)
	})
}

// AdvanceReview moves a review to its next stage, refusing a stale version
// (two people pressing the button at once move it one stage, not two).
func (s *Reviews) AdvanceReview(ctx context.Context, r *alongside.Review) error {
	next, ok := r.Stage.Next()
	if !ok {
		return alongside.Errorf(alongside.EINVALID, "This review is complete.")
	}
	return s.write(ctx, func(tx *Tx) error {
		completed := int64(0)
		if next == alongside.StageComplete {
			completed = ms(tx.now)
		}
		res, err := tx.ExecContext(ctx, "UPDATE reviews SET stage = $1, completed_at = $2, version = version + 1 WHERE id = $3 AND version = $4",
			string(next), completed, r.ID, r.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return alongside.Errorf(alongside.ECONFLICT, "Someone else moved this review on while you were looking at it. Check its stage below.")
		}
		if next == alongside.StageActionPlanning {
			if err := tx.keepProfile(r.ID); err != nil {
				return err
			}
		}
		if r.Stage == alongside.StageGathering {
			// Its links stop working: what was half-answered through them goes.
			if _, err := tx.ExecContext(ctx, "DELETE FROM sheet_drafts WHERE review_id = $1", r.ID); err != nil {
				return err
			}
		}
		if next == alongside.StageComplete {
			if _, err := tx.ExecContext(ctx, "UPDATE services SET latest_review_id = $1, completed_reviews = completed_reviews + 1 WHERE id = $2",
				r.ID, r.ServiceID); err != nil {
				return err
			}
		}
		r.Stage, r.Version = next, r.Version+1
		if completed != 0 {
			r.CompletedAt = tx.now
		}
		return tx.audit("review.stage", "review", r.ID, r.OrgID, r.ServiceID, string(next))
	})
}

const reviewSelect = `SELECT r.id, r.org_id, r.service_id, r.statement_set_id, r.coordinator_id, COALESCE(r.previous_id, 0), r.title, r.stage,
	r.started_at, r.completed_at, r.version, u.name, sv.name
	FROM reviews r JOIN users u ON u.id = r.coordinator_id JOIN services sv ON sv.id = r.service_id `

func (s *Reviews) queryReviews(ctx context.Context, where string, args ...any) ([]alongside.Review, error) {
	rows, err := s.query(ctx, reviewSelect+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alongside.Review
	for rows.Next() {
		var r alongside.Review
		var stage string
		var started, completed int64
		if err := rows.Scan(&r.ID, &r.OrgID, &r.ServiceID, &r.StatementSetID, &r.CoordinatorID, &r.PreviousID, &r.Title, &stage,
			&started, &completed, &r.Version, &r.CoordinatorName, &r.ServiceName); err != nil {
			return nil, err
		}
		r.Stage, r.StartedAt, r.CompletedAt = alongside.Stage(stage), fromMS(started), fromMS(completed)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Review returns one review with its team.
func (s *Reviews) Review(ctx context.Context, id int64) (*alongside.Review, error) {
	rs, err := s.queryReviews(ctx, "WHERE r.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, notFound("review")
	}
	r := &rs[0]
	rows, err := s.query(ctx, "SELECT t.user_id, u.name FROM review_team t JOIN users u ON u.id = t.user_id WHERE t.review_id = $1 ORDER BY u.name", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var uid int64
		var name string
		if err := rows.Scan(&uid, &name); err != nil {
			return nil, err
		}
		r.Team, r.TeamNames = append(r.Team, uid), append(r.TeamNames, name)
	}
	return r, rows.Err()
}

// ServiceReviews lists a service's reviews, newest first, each with its
// team (so a list can link each only for those who may open it).
func (s *Reviews) ServiceReviews(ctx context.Context, serviceID int64) ([]alongside.Review, error) {
	rs, err := s.queryReviews(ctx, "WHERE r.service_id = $1 ORDER BY r.id DESC", serviceID)
	if err != nil || len(rs) == 0 {
		return rs, err
	}
	byID := map[int64]*alongside.Review{}
	for i := range rs {
		byID[rs[i].ID] = &rs[i]
	}
	rows, err := s.query(ctx, `SELECT t.review_id, t.user_id, u.name FROM review_team t JOIN reviews r ON r.id = t.review_id
		JOIN users u ON u.id = t.user_id WHERE r.service_id = $1 ORDER BY u.name`, serviceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var rid, uid int64
		var name string
		if err := rows.Scan(&rid, &uid, &name); err != nil {
			return nil, err
		}
		if r := byID[rid]; r != nil {
			r.Team, r.TeamNames = append(r.Team, uid), append(r.TeamNames, name)
		}
	}
	return rs, rows.Err()
}

// reviewStage reads a review's stage within the transaction, so that a
// change is judged against the stage as it is now, not as the page saw it.
func (tx *Tx) reviewStage(reviewID int64) (alongside.Stage, error) {
	var stage string
	// Held until commit, so the review cannot move on between this check
	// and the change that relies on it: a sheet is kept in the tallies of
	// a review still gathering, an action in a plan not yet complete.
	err := tx.QueryRowContext(tx.ctx, "SELECT stage FROM reviews WHERE id = $1"+tx.s.dialect.forShare, reviewID).Scan(&stage)
	return alongside.Stage(stage), err
}

// requireStage refuses a change unless the review is at the given stage.
func (tx *Tx) requireStage(reviewID int64, want alongside.Stage, what string) error {
	stage, err := tx.reviewStage(reviewID)
	if err != nil {
		return err
	}
	if stage != want {
		return alongside.Errorf(alongside.ECONFLICT, "%s; this review is at “%s”.", what, stage.Label())
	}
	return nil
}
