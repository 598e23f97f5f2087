package sqlstore

import (
	"context"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
)

// ActionPlans stores action plans and the network view.
type ActionPlans struct {
	*db
	organisations *Organisations
}

// planOpen refuses a write to a review's plan before action planning. The
// stage is read in the transaction, so a plan is never written to a review
// that has just been found not to be at the right stage.
func (tx *Tx) planOpen(r *alongside.Review) error {
	stage, err := tx.reviewStage(r.ID)
	if err != nil {
		return err
	}
	if cur := (alongside.Review{Stage: stage}); !cur.PlanOpen() {
		return alongside.PlanClosed(cur.Stage)
	}
	return nil
}

// actionInReview refuses an action id that is not the review's.
func (tx *Tx) actionInReview(actionID, reviewID int64) error {
	var n int
	if err := tx.QueryRowContext(tx.ctx, "SELECT COUNT(*) FROM plan_actions WHERE id = $1 AND review_id = $2", actionID, reviewID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return notFound("action")
	}
	return nil
}

// SaveFinding keeps the strengths and areas for development of one
// indicator. A finding saved by someone else since the form was shown (a
// different version, or a first save racing another) is a conflict.
func (s *ActionPlans) SaveFinding(ctx context.Context, r *alongside.Review, set *alongside.StatementSet, f *alongside.Finding) error {
	if err := f.Validate(set); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.planOpen(r); err != nil {
			return err
		}
		f.ReviewID = r.ID
		var q string
		var args []any
		if f.Version == 0 {
			q = `INSERT INTO plan_findings (review_id, indicator, strengths, areas, version, updated_by, updated_at)
				VALUES ($1, $2, $3, $4, 1, $5, $6) ON CONFLICT (review_id, indicator) DO NOTHING`
			args = []any{r.ID, f.Indicator, f.Strengths, f.Areas, nullID(f.UpdatedBy), ms(tx.now)}
		} else {
			q = `UPDATE plan_findings SET strengths = $1, areas = $2, version = version + 1, updated_by = $3, updated_at = $4
				WHERE review_id = $5 AND indicator = $6 AND version = $7`
			args = []any{f.Strengths, f.Areas, nullID(f.UpdatedBy), ms(tx.now), r.ID, f.Indicator, f.Version}
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleError()
		}
		f.Version++
		f.UpdatedAt = tx.now
		return tx.audit("plan.finding", "review", r.ID, r.OrgID, r.ServiceID, f.Indicator)
	})
}

// AddAction adds an action to a review's plan, as planned unless it says
// otherwise.
func (s *ActionPlans) AddAction(ctx context.Context, r *alongside.Review, set *alongside.StatementSet, a *alongside.Action) error {
	if a.Status == "" {
		a.Status = alongside.ActionPlanned
	}
	if err := a.Validate(set, content.DefaultThemes()); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.planOpen(r); err != nil {
			return err
		}
		a.ReviewID, a.Version, a.CreatedAt, a.UpdatedAt = r.ID, 1, tx.now, tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO plan_actions (review_id, what, who, due_date, status, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, r.ID, a.What, a.Who, a.Due, string(a.Status), nullID(a.CreatedBy), ms(tx.now)).Scan(&a.ID); err != nil {
			return err
		}
		if err := tx.linkAction(a); err != nil {
			return err
		}
		return tx.audit("plan.action.add", "review", r.ID, r.OrgID, r.ServiceID, "action "+itoa(a.ID))
	})
}

// UpdateAction saves a changed action, refusing a stale version.
func (s *ActionPlans) UpdateAction(ctx context.Context, r *alongside.Review, set *alongside.StatementSet, a *alongside.Action) error {
	if err := a.Validate(set, content.DefaultThemes()); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.planOpen(r); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE plan_actions SET what = $1, who = $2, due_date = $3, status = $4, version = version + 1, updated_at = $5
			WHERE id = $6 AND review_id = $7 AND version = $8`, a.What, a.Who, a.Due, string(a.Status), ms(tx.now), a.ID, r.ID, a.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			if err := tx.actionInReview(a.ID, r.ID); err != nil {
				return err
			}
			return staleError()
		}
		a.Version++
		a.UpdatedAt = tx.now
		for _, q := range []string{"DELETE FROM plan_action_indicators WHERE action_id = $1", "DELETE FROM plan_action_themes WHERE action_id = $1"} {
			if _, err := tx.ExecContext(ctx, q, a.ID); err != nil {
				return err
			}
		}
		if err := tx.linkAction(a); err != nil {
			return err
		}
		return tx.audit("plan.action.update", "review", r.ID, r.OrgID, r.ServiceID, "action "+itoa(a.ID)+": "+string(a.Status))
	})
}

// linkAction records an action's indicators and themes.
func (tx *Tx) linkAction(a *alongside.Action) error {
	for _, k := range a.Indicators {
		if _, err := tx.ExecContext(tx.ctx, "INSERT INTO plan_action_indicators (action_id, indicator) VALUES ($1, $2)", a.ID, k); err != nil {
			return err
		}
	}
	for _, k := range a.Themes {
		if _, err := tx.ExecContext(tx.ctx, "INSERT INTO plan_action_themes (action_id, theme) VALUES ($1, $2)", a.ID, k); err != nil {
			return err
		}
	}
	return nil
}

// AddProgressNote adds a dated note to an action of the review.
func (s *ActionPlans) AddProgressNote(ctx context.Context, r *alongside.Review, n *alongside.ProgressNote) error {
	if err := n.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.planOpen(r); err != nil {
			return err
		}
		if err := tx.actionInReview(n.ActionID, r.ID); err != nil {
			return err
		}
		n.WrittenAt = tx.now
		if err := tx.QueryRowContext(ctx, "INSERT INTO plan_action_notes (action_id, text, written_by, written_at) VALUES ($1, $2, $3, $4) RETURNING id",
			n.ActionID, n.Text, nullID(n.WrittenBy), ms(tx.now)).Scan(&n.ID); err != nil {
			return err
		}
		return tx.audit("plan.note.add", "review", r.ID, r.OrgID, r.ServiceID, "action "+itoa(n.ActionID))
	})
}

// AddChangeExample adds an example of change in practice to an action of
// the review.
func (s *ActionPlans) AddChangeExample(ctx context.Context, r *alongside.Review, e *alongside.ChangeExample) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.planOpen(r); err != nil {
			return err
		}
		if err := tx.actionInReview(e.ActionID, r.ID); err != nil {
			return err
		}
		e.AddedAt = tx.now
		if err := tx.QueryRowContext(ctx, "INSERT INTO plan_change_examples (action_id, text, added_by, added_at) VALUES ($1, $2, $3, $4) RETURNING id",
			e.ActionID, e.Text, nullID(e.AddedBy), ms(tx.now)).Scan(&e.ID); err != nil {
			return err
		}
		return tx.audit("plan.example.add", "review", r.ID, r.OrgID, r.ServiceID, "action "+itoa(e.ActionID))
	})
}

const actionSelect = `SELECT a.id, a.review_id, a.what, a.who, a.due_date, a.status, a.version, COALESCE(a.created_by, 0), COALESCE(u.name, ''),
	a.created_at, a.updated_at FROM plan_actions a LEFT JOIN users u ON u.id = a.created_by `

func scanAction(row scanner) (alongside.Action, error) {
	var a alongside.Action
	var status string
	var created, updated int64
	err := row.Scan(&a.ID, &a.ReviewID, &a.What, &a.Who, &a.Due, &status, &a.Version, &a.CreatedBy, &a.CreatedByName, &created, &updated)
	a.Status, a.CreatedAt, a.UpdatedAt = alongside.ActionStatus(status), fromMS(created), fromMS(updated)
	return a, err
}

// PlanAction returns one action without its notes and examples (enough to
// check which review it belongs to).
func (s *ActionPlans) PlanAction(ctx context.Context, id int64) (*alongside.Action, error) {
	a, err := scanAction(s.queryRow(ctx, actionSelect+"WHERE a.id = $1", id))
	if err != nil {
		return nil, s.wrap(err)
	}
	return &a, nil
}

// ActionPlan returns a review's whole plan: findings by indicator, and the
// actions oldest first, each with its indicators, themes, notes and examples.
func (s *ActionPlans) ActionPlan(ctx context.Context, reviewID int64) (*alongside.ActionPlan, error) {
	p := &alongside.ActionPlan{ReviewID: reviewID, Findings: map[string]alongside.Finding{}}
	rows, err := s.query(ctx, `SELECT f.indicator, f.strengths, f.areas, f.version, COALESCE(f.updated_by, 0), COALESCE(u.name, ''), f.updated_at
		FROM plan_findings f LEFT JOIN users u ON u.id = f.updated_by WHERE f.review_id = $1`, reviewID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		f := alongside.Finding{ReviewID: reviewID}
		var at int64
		if err := rows.Scan(&f.Indicator, &f.Strengths, &f.Areas, &f.Version, &f.UpdatedBy, &f.UpdatedByName, &at); err != nil {
			return nil, err
		}
		f.UpdatedAt = fromMS(at)
		p.Findings[f.Indicator] = f
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()

	arows, err := s.query(ctx, actionSelect+"WHERE a.review_id = $1 ORDER BY a.id", reviewID)
	if err != nil {
		return nil, err
	}
	defer arows.Close()
	index := map[int64]int{}
	for arows.Next() {
		a, err := scanAction(arows)
		if err != nil {
			return nil, err
		}
		index[a.ID] = len(p.Actions)
		p.Actions = append(p.Actions, a)
	}
	if err := arows.Err(); err != nil {
		return nil, err
	}
	arows.Close()

	// Each kind of child is one query over the whole review.
	children := []struct {
		q   string
		add func(a *alongside.Action, text, name string, by, at int64, id int64)
	}{
		{`SELECT i.action_id, i.indicator, '', 0, 0, 0 FROM plan_action_indicators i JOIN plan_actions a ON a.id = i.action_id
			WHERE a.review_id = $1 ORDER BY i.action_id, i.indicator`,
			func(a *alongside.Action, text, _ string, _, _, _ int64) { a.Indicators = append(a.Indicators, text) }},
		{`SELECT t.action_id, t.theme, '', 0, 0, 0 FROM plan_action_themes t JOIN plan_actions a ON a.id = t.action_id
			WHERE a.review_id = $1 ORDER BY t.action_id, t.theme`,
			func(a *alongside.Action, text, _ string, _, _, _ int64) { a.Themes = append(a.Themes, text) }},
		{`SELECT n.action_id, n.text, COALESCE(u.name, ''), COALESCE(n.written_by, 0), n.written_at, n.id FROM plan_action_notes n
			JOIN plan_actions a ON a.id = n.action_id LEFT JOIN users u ON u.id = n.written_by WHERE a.review_id = $1 ORDER BY n.id`,
			func(a *alongside.Action, text, name string, by, at, id int64) {
				a.Notes = append(a.Notes, alongside.ProgressNote{ID: id, ActionID: a.ID, Text: text, WrittenBy: by, WrittenByName: name, WrittenAt: fromMS(at)})
			}},
		{`SELECT e.action_id, e.text, COALESCE(u.name, ''), COALESCE(e.added_by, 0), e.added_at, e.id FROM plan_change_examples e
			JOIN plan_actions a ON a.id = e.action_id LEFT JOIN users u ON u.id = e.added_by WHERE a.review_id = $1 ORDER BY e.id`,
			func(a *alongside.Action, text, name string, by, at, id int64) {
				a.Examples = append(a.Examples, alongside.ChangeExample{ID: id, ActionID: a.ID, Text: text, AddedBy: by, AddedByName: name, AddedAt: fromMS(at)})
			}},
	}
	for _, ch := range children {
		if err := func() error {
			rows, err := s.query(ctx, ch.q, reviewID)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var actionID, by, at, id int64
				var text, name string
				if err := rows.Scan(&actionID, &text, &name, &by, &at, &id); err != nil {
					return err
				}
				if i, ok := index[actionID]; ok {
					ch.add(&p.Actions[i], text, name, by, at, id)
				}
			}
			return rows.Err()
		}(); err != nil {
			return nil, err
		}
	}
	return p, nil
}
