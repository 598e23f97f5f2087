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

// NetworkReviews returns the organisation's services in name order, each
// with its latest completed review. It reads kept profiles, not sheets, and
// each service's pointer to its latest completed review, so its cost grows
// with services, not with the reviews and sheets behind them.
func (s *ActionPlans) NetworkReviews(ctx context.Context, orgID int64) ([]NetworkService, error) {
	counts, err := s.organisations.ServiceCounts(ctx, orgID)
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
	rows, err := s.query(ctx, `SELECT sv.id, r.id, r.title, r.completed_at, sv.completed_reviews
		FROM services sv JOIN reviews r ON r.id = sv.latest_review_id WHERE sv.org_id = $1`, orgID)
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

	prows, err := s.query(ctx, `SELECT p.review_id, p.indicator, p.total, p.rated
		FROM services sv JOIN review_profiles p ON p.review_id = sv.latest_review_id WHERE sv.org_id = $1`, orgID)
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
	// per plan however many of its actions carry it (the map keeps it once:
	// no DISTINCT, which would sort every row on every view).
	trows, err := s.query(ctx, `SELECT a.review_id, COALESCE(t.theme, '')
		FROM services sv JOIN plan_actions a ON a.review_id = sv.latest_review_id
		LEFT JOIN plan_action_themes t ON t.action_id = a.id WHERE sv.org_id = $1`, orgID)
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
