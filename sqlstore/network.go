package sqlstore

import (
	"context"

	"github.com/alongside-recovery/alongside"
)

// NetworkService is one service as the network view shows it: its totals,
// and its latest completed review with that review's profile and the
// themes of its action plan.
type NetworkService struct {
	ServiceCount
	Review  *alongside.Review // the latest completed review; nil if none
	Cycles  int               // completed reviews
	Profile map[string]alongside.ProfilePoint
	HasPlan bool            // the latest review's action plan has an action
	Themes  map[string]bool // theme keys of that plan's actions
}

// latestComplete is each service's latest completed review (id) and how
// many it has completed (n), found in one pass over the organisation's
// reviews rather than once per row.
const latestComplete = `(SELECT service_id, MAX(id) AS id, COUNT(*) AS n FROM reviews
	WHERE org_id = $1 AND stage = 'complete' GROUP BY service_id) l`

// NetworkReviews returns the organisation's services in name order, each
// with its latest completed review. It reads kept profiles, not sheets, so
// its cost grows with services, not with the sheets behind them.
func (s *Store) NetworkReviews(ctx context.Context, orgID int64) ([]NetworkService, error) {
	counts, err := s.ServiceCounts(ctx, orgID)
	if err != nil {
		return nil, err
	}
	out := make([]NetworkService, len(counts))
	byService := map[int64]*NetworkService{}
	byReview := map[int64]*NetworkService{}
	for i := range counts {
		out[i] = NetworkService{ServiceCount: counts[i], Profile: map[string]alongside.ProfilePoint{}, Themes: map[string]bool{}}
		byService[counts[i].Service.ID] = &out[i]
	}
	rows, err := s.query(ctx, `SELECT r.service_id, r.id, r.title, r.completed_at, l.n
		FROM reviews r JOIN `+latestComplete+` ON l.id = r.id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var svc, completed int64
		rv := &alongside.Review{OrgID: orgID, Stage: alongside.StageComplete}
		var cycles int
		if err := rows.Scan(&svc, &rv.ID, &rv.Title, &completed, &cycles); err != nil {
			return nil, err
		}
		if ns := byService[svc]; ns != nil {
			rv.ServiceID, rv.ServiceName, rv.CompletedAt = svc, ns.Service.Name, fromMS(completed)
			ns.Review, ns.Cycles = rv, cycles
			byReview[rv.ID] = ns
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()

	prows, err := s.query(ctx, `SELECT p.review_id, p.indicator, p.total, p.rated FROM review_profiles p
		JOIN `+latestComplete+` ON l.id = p.review_id`, orgID)
	if err != nil {
		return nil, err
	}
	defer prows.Close()
	for prows.Next() {
		var id int64
		var ind string
		var total, rated int
		if err := prows.Scan(&id, &ind, &total, &rated); err != nil {
			return nil, err
		}
		if ns := byReview[id]; ns != nil && rated > 0 {
			ns.Profile[ind] = alongside.NewProfilePoint(ind, total, rated)
		}
	}
	if err := prows.Err(); err != nil {
		return nil, err
	}
	prows.Close()

	// An action with no theme still makes a plan; a theme is counted once
	// per plan however many of its actions carry it.
	trows, err := s.query(ctx, `SELECT DISTINCT a.review_id, COALESCE(t.theme, '') FROM plan_actions a
		JOIN `+latestComplete+` ON l.id = a.review_id LEFT JOIN plan_action_themes t ON t.action_id = a.id`, orgID)
	if err != nil {
		return nil, err
	}
	defer trows.Close()
	for trows.Next() {
		var id int64
		var theme string
		if err := trows.Scan(&id, &theme); err != nil {
			return nil, err
		}
		if ns := byReview[id]; ns != nil {
			ns.HasPlan = true
			if theme != "" {
				ns.Themes[theme] = true
			}
		}
	}
	return out, trows.Err()
}
