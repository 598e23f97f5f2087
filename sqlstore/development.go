package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alongside-recovery/alongside"
)

// Development stores practitioner development and self-assessment.
type Development struct {
	*db
}

// Practitioner development: self-assessments, the personal development
// plan with its sharing, comments and sign-offs, and reflections. All of it
// is the practitioner's own; authz decides who else sees the plan. Changes
// are audited against the practitioner ("user").

// SaveSelfAssessment keeps a self-assessment of every framework item.
func (s *Development) SaveSelfAssessment(ctx context.Context, a *alongside.SelfAssessment, c *alongside.PracticeContent) error {
	if err := a.Validate(c); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error { return tx.addSelfAssessment(a, c) })
}

// addSelfAssessment inserts a validated self-assessment with its audit line.
func (tx *Tx) addSelfAssessment(a *alongside.SelfAssessment, c *alongside.PracticeContent) error {
	a.ContentVersion = c.Version
	a.TakenAt = tx.now
	if err := tx.QueryRowContext(tx.ctx, `INSERT INTO self_assessments (practitioner_id, content_version, taken_at)
		VALUES ($1, $2, $3) RETURNING id`, a.PractitionerID, a.ContentVersion, ms(tx.now)).Scan(&a.ID); err != nil {
		return err
	}
	for _, it := range c.Framework {
		r := a.Ratings[it.Key]
		if _, err := tx.ExecContext(tx.ctx, `INSERT INTO self_assessment_ratings (assessment_id, item, rating, need)
			VALUES ($1, $2, $3, $4)`, a.ID, it.Key, r.Rating, r.Need); err != nil {
			return err
		}
	}
	return tx.audit("development.self_assessment", "user", a.PractitionerID, 0, 0, "")
}

// SelfAssessmentDraft returns the practitioner's self-assessment under way:
// version 0 with no answers when there is none.
func (s *Development) SelfAssessmentDraft(ctx context.Context, practitionerID int64) (*alongside.SelfAssessmentDraft, error) {
	d := &alongside.SelfAssessmentDraft{PractitionerID: practitionerID, Ratings: map[string]alongside.ItemRating{}}
	var started, updated int64
	err := s.queryRow(ctx, `SELECT version, started_at, updated_at FROM self_assessment_drafts WHERE practitioner_id = $1`,
		practitionerID).Scan(&d.Version, &started, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return d, nil
	} else if err != nil {
		return nil, err
	}
	d.StartedAt, d.UpdatedAt = fromMS(started), fromMS(updated)
	rows, err := s.query(ctx, `SELECT item, rating, need FROM self_assessment_draft_ratings WHERE practitioner_id = $1`, practitionerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var item string
		var r alongside.ItemRating
		if err := rows.Scan(&item, &r.Rating, &r.Need); err != nil {
			return nil, err
		}
		d.Ratings[item] = r
	}
	return d, rows.Err()
}

// errDraftMoved is a part saved from a version of the draft that is no
// longer the current one.
var errDraftMoved = alongside.Errorf(alongside.ECONFLICT, "Your self-assessment was saved in another window or tab while this page was open. "+
	"Where that differs from your answers here, it is shown under the item; your answers here are kept. Save again to keep them.")

// SaveSelfAssessmentPart keeps one part's answers in the practitioner's
// draft. It is a compare-and-swap on the draft's version: a save from a
// version that is no longer the current one (another tab or device saved a
// part, or finished) is an ECONFLICT and writes nothing. With Finish, when
// the draft then has every framework item rated, the whole is saved as a
// self-assessment and the draft removed, in the same transaction; it
// returns that self-assessment, or nil when the draft was kept (p.Version
// is then the draft's new version).
func (s *Development) SaveSelfAssessmentPart(ctx context.Context, p *alongside.SelfAssessmentPartSave, c *alongside.PracticeContent) (*alongside.SelfAssessment, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var done *alongside.SelfAssessment
	var version int
	err := s.write(ctx, func(tx *Tx) error {
		done = nil
		if p.Version == 0 {
			// A new draft, unless another tab started one first.
			err := tx.QueryRowContext(tx.ctx, `INSERT INTO self_assessment_drafts (practitioner_id, version, started_at, updated_at)
				VALUES ($1, 1, $2, $2) ON CONFLICT (practitioner_id) DO NOTHING RETURNING version`, p.PractitionerID, ms(tx.now)).Scan(&version)
			if errors.Is(err, sql.ErrNoRows) {
				return errDraftMoved
			} else if err != nil {
				return err
			}
		} else {
			res, err := tx.ExecContext(tx.ctx, `UPDATE self_assessment_drafts SET version = version + 1, updated_at = $1
				WHERE practitioner_id = $2 AND version = $3`, ms(tx.now), p.PractitionerID, p.Version)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return errDraftMoved
			}
			version = p.Version + 1
		}
		for _, it := range p.Part.Items {
			r := p.Ratings[it.Key]
			if _, err := tx.ExecContext(tx.ctx, `INSERT INTO self_assessment_draft_ratings (practitioner_id, item, rating, need)
				VALUES ($1, $2, $3, $4) ON CONFLICT (practitioner_id, item) DO UPDATE SET rating = excluded.rating, need = excluded.need`,
				p.PractitionerID, it.Key, r.Rating, r.Need); err != nil {
				return err
			}
		}
		if p.Finish {
			a, err := tx.finishedDraft(p.PractitionerID, c)
			if err != nil || a != nil {
				done = a
				return err
			}
		}
		return tx.audit("development.self_assessment.part", "user", p.PractitionerID, 0, 0, fmt.Sprintf("part %d", p.Part.Number))
	})
	if err != nil {
		return nil, err
	}
	if done == nil {
		p.Version = version
	} else {
		p.Version = 0
	}
	return done, nil
}

// finishedDraft saves the draft as a self-assessment and removes it when it
// rates every item of the framework; otherwise it returns nil and keeps it.
func (tx *Tx) finishedDraft(practitionerID int64, c *alongside.PracticeContent) (*alongside.SelfAssessment, error) {
	a := &alongside.SelfAssessment{PractitionerID: practitionerID, Ratings: map[string]alongside.ItemRating{}}
	rows, err := tx.QueryContext(tx.ctx, `SELECT item, rating, need FROM self_assessment_draft_ratings WHERE practitioner_id = $1`, practitionerID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var item string
		var r alongside.ItemRating
		if err := rows.Scan(&item, &r.Rating, &r.Need); err != nil {
			rows.Close()
			return nil, err
		}
		// Items the framework no longer has are left behind.
		if _, ok := c.Item(item); ok && r.Rating > 0 {
			a.Ratings[item] = r
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if a.Validate(c) != nil {
		return nil, nil // a part is still to answer
	}
	for _, q := range []string{"DELETE FROM self_assessment_draft_ratings WHERE practitioner_id = $1",
		"DELETE FROM self_assessment_drafts WHERE practitioner_id = $1"} {
		if _, err := tx.ExecContext(tx.ctx, q, practitionerID); err != nil {
			return nil, err
		}
	}
	return a, tx.addSelfAssessment(a, c)
}

// SelfAssessments returns a practitioner's self-assessments, oldest first.
func (s *Development) SelfAssessments(ctx context.Context, practitionerID int64) ([]alongside.SelfAssessment, error) {
	rows, err := s.query(ctx, `SELECT a.id, a.content_version, a.taken_at, r.item, r.rating, r.need
		FROM self_assessments a JOIN self_assessment_ratings r ON r.assessment_id = a.id
		WHERE a.practitioner_id = $1 ORDER BY a.taken_at, a.id`, practitionerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alongside.SelfAssessment
	for rows.Next() {
		var id, at int64
		var version, item string
		var r alongside.ItemRating
		if err := rows.Scan(&id, &version, &at, &item, &r.Rating, &r.Need); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != id {
			out = append(out, alongside.SelfAssessment{ID: id, PractitionerID: practitionerID, ContentVersion: version,
				TakenAt: fromMS(at), Ratings: map[string]alongside.ItemRating{}})
		}
		out[len(out)-1].Ratings[item] = r
	}
	return out, rows.Err()
}

const objectiveColumns = `id, practitioner_id, need_item, need, objective, status, activity_kind, activity, activity_status,
	target_date, evidence, links, reflection, version, created_at, updated_at`

func scanObjective(row scanner) (*alongside.DevelopmentObjective, error) {
	var o alongside.DevelopmentObjective
	var links string
	var created, updated int64
	if err := row.Scan(&o.ID, &o.PractitionerID, &o.NeedItem, &o.Need, &o.Objective, &o.Status, &o.ActivityKind, &o.Activity,
		&o.ActivityStatus, &o.TargetDate, &o.Evidence, &links, &o.Reflection, &o.Version, &created, &updated); err != nil {
		return nil, err
	}
	if links != "" {
		o.Links = strings.Split(links, "\n")
	}
	o.CreatedAt, o.UpdatedAt = fromMS(created), fromMS(updated)
	return &o, nil
}

// Objective returns one objective of a development plan.
func (s *Development) Objective(ctx context.Context, id int64) (*alongside.DevelopmentObjective, error) {
	o, err := scanObjective(s.queryRow(ctx, "SELECT "+objectiveColumns+" FROM development_objectives WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("objective")
	}
	return o, err
}

// SaveObjective adds an objective (ID 0) or changes one from the version
// the writer started from: if it was saved since, nothing is written and
// the error is a conflict.
func (s *Development) SaveObjective(ctx context.Context, o *alongside.DevelopmentObjective, c *alongside.PracticeContent) error {
	if err := o.Validate(c); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		links := strings.Join(o.Links, "\n")
		if o.ID == 0 {
			o.Version, o.CreatedAt, o.UpdatedAt = 1, tx.now, tx.now
			if err := tx.QueryRowContext(tx.ctx, `INSERT INTO development_objectives (practitioner_id, need_item, need, objective,
				status, activity_kind, activity, activity_status, target_date, evidence, links, reflection, version, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13) RETURNING id`,
				o.PractitionerID, o.NeedItem, o.Need, o.Objective, o.Status, o.ActivityKind, o.Activity, o.ActivityStatus,
				o.TargetDate, o.Evidence, links, o.Reflection, ms(tx.now)).Scan(&o.ID); err != nil {
				return err
			}
			return tx.audit("development.objective.add", "user", o.PractitionerID, 0, 0, "")
		}
		res, err := tx.ExecContext(tx.ctx, `UPDATE development_objectives SET need_item = $1, need = $2, objective = $3, status = $4,
			activity_kind = $5, activity = $6, activity_status = $7, target_date = $8, evidence = $9, links = $10, reflection = $11,
			version = version + 1, updated_at = $12 WHERE id = $13 AND practitioner_id = $14 AND version = $15`,
			o.NeedItem, o.Need, o.Objective, o.Status, o.ActivityKind, o.Activity, o.ActivityStatus, o.TargetDate, o.Evidence,
			links, o.Reflection, ms(tx.now), o.ID, o.PractitionerID, o.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return alongside.Errorf(alongside.ECONFLICT, "This objective was changed in another window or tab while you were writing. Its current text is shown; your changes are kept in the form.")
		}
		o.Version++
		o.UpdatedAt = tx.now
		return tx.audit("development.objective.change", "user", o.PractitionerID, 0, 0, "")
	})
}

// DevelopmentPlan returns a practitioner's plan with its comments,
// sign-offs and who it is shared with.
func (s *Development) DevelopmentPlan(ctx context.Context, practitionerID int64) (*alongside.DevelopmentPlan, error) {
	p := &alongside.DevelopmentPlan{PractitionerID: practitionerID}
	rows, err := s.query(ctx, "SELECT "+objectiveColumns+" FROM development_objectives WHERE practitioner_id = $1 ORDER BY id", practitionerID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		o, err := scanObjective(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		p.Objectives = append(p.Objectives, *o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.query(ctx, `SELECT c.id, c.author_id, u.name, c.text, c.written_at FROM development_comments c
		JOIN users u ON u.id = c.author_id WHERE c.practitioner_id = $1 ORDER BY c.id`, practitionerID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		c := alongside.DevelopmentComment{PractitionerID: practitionerID}
		var at int64
		if err := rows.Scan(&c.ID, &c.AuthorID, &c.AuthorName, &c.Text, &at); err != nil {
			rows.Close()
			return nil, err
		}
		c.WrittenAt = fromMS(at)
		p.Comments = append(p.Comments, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.query(ctx, `SELECT d.id, d.supervisor_id, u.name, d.note, d.signed_at FROM development_signoffs d
		JOIN users u ON u.id = d.supervisor_id WHERE d.practitioner_id = $1 ORDER BY d.id DESC`, practitionerID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		d := alongside.DevelopmentSignOff{PractitionerID: practitionerID}
		var at int64
		if err := rows.Scan(&d.ID, &d.SupervisorID, &d.SupervisorName, &d.Note, &at); err != nil {
			rows.Close()
			return nil, err
		}
		d.SignedAt = fromMS(at)
		p.SignOffs = append(p.SignOffs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	p.SharedWith, err = s.colleagues(ctx, `SELECT u.id, u.name FROM development_shares ds JOIN users u ON u.id = ds.viewer_id
		WHERE ds.practitioner_id = $1 ORDER BY u.name`, practitionerID)
	return p, err
}

// Colleagues are the staff a practitioner may share their plan with: the
// practitioners and managers of their services, and their supervisors.
func (s *Development) Colleagues(ctx context.Context, practitionerID int64) ([]alongside.Colleague, error) {
	return s.colleagues(ctx, `SELECT DISTINCT u.id, u.name FROM users u WHERE u.id <> $1 AND NOT u.disabled AND (
		u.id IN (SELECT supervisor_id FROM supervisions WHERE practitioner_id = $1)
		OR u.id IN (SELECT o.user_id FROM memberships o JOIN memberships m ON m.service_id = o.service_id
			WHERE m.user_id = $1 AND m.role = $2 AND o.role IN ($2, $3)))
		ORDER BY u.name`, practitionerID, alongside.RolePractitioner, alongside.RoleServiceManager)
}

func (s *Development) colleagues(ctx context.Context, q string, args ...any) ([]alongside.Colleague, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alongside.Colleague
	for rows.Next() {
		var c alongside.Colleague
		if err := rows.Scan(&c.ID, &c.Name); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ShareDevelopmentPlan sets who the practitioner shares their plan with:
// colleagues only. Withdrawing takes effect on the viewer's next request.
func (s *Development) ShareDevelopmentPlan(ctx context.Context, practitionerID int64, viewers []int64) error {
	colleagues, err := s.Colleagues(ctx, practitionerID)
	if err != nil {
		return err
	}
	ok := map[int64]bool{}
	for _, c := range colleagues {
		ok[c.ID] = true
	}
	for _, v := range viewers {
		if !ok[v] {
			return alongside.Errorf(alongside.EINVALID, "You can share your plan with colleagues in your services and your supervisors only. Reload the page and try again.")
		}
	}
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(tx.ctx, "DELETE FROM development_shares WHERE practitioner_id = $1", practitionerID); err != nil {
			return err
		}
		for _, v := range viewers {
			if _, err := tx.ExecContext(tx.ctx, `INSERT INTO development_shares (practitioner_id, viewer_id, shared_at) VALUES ($1, $2, $3)
				ON CONFLICT (practitioner_id, viewer_id) DO NOTHING`, practitionerID, v, ms(tx.now)); err != nil {
				return err
			}
		}
		return tx.audit("development.share", "user", practitionerID, 0, 0, "")
	})
}

// AddDevelopmentComment adds a comment to a practitioner's plan.
func (s *Development) AddDevelopmentComment(ctx context.Context, c *alongside.DevelopmentComment) error {
	c.Text = strings.TrimSpace(c.Text)
	switch {
	case c.Text == "":
		return alongside.Invalid(map[string]string{"comment": "Write your comment."})
	case utf8.RuneCountInString(c.Text) > alongside.MaxDevelopmentText:
		return alongside.Invalid(map[string]string{"comment": "Please keep a comment to 2,000 characters or fewer."})
	}
	if err := alongside.CheckText("comment", c.Text); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		c.WrittenAt = tx.now
		if err := tx.QueryRowContext(tx.ctx, `INSERT INTO development_comments (practitioner_id, author_id, text, written_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, c.PractitionerID, c.AuthorID, c.Text, ms(tx.now)).Scan(&c.ID); err != nil {
			return err
		}
		return tx.audit("development.comment", "user", c.PractitionerID, 0, 0, "")
	})
}

// SignOffDevelopmentPlan records a supervisor's sign-off of the plan as it
// stands.
func (s *Development) SignOffDevelopmentPlan(ctx context.Context, d *alongside.DevelopmentSignOff) error {
	d.Note = strings.TrimSpace(d.Note)
	if utf8.RuneCountInString(d.Note) > alongside.MaxDevelopmentText {
		return alongside.Invalid(map[string]string{"note": "Please keep the note to 2,000 characters or fewer."})
	}
	if err := alongside.CheckText("note", d.Note); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(tx.ctx, "SELECT COUNT(*) FROM development_objectives WHERE practitioner_id = $1", d.PractitionerID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return alongside.Errorf(alongside.EINVALID, "There is nothing in this plan to sign off yet.")
		}
		d.SignedAt = tx.now
		if err := tx.QueryRowContext(tx.ctx, `INSERT INTO development_signoffs (practitioner_id, supervisor_id, note, signed_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, d.PractitionerID, d.SupervisorID, d.Note, ms(tx.now)).Scan(&d.ID); err != nil {
			return err
		}
		return tx.audit("development.sign_off", "user", d.PractitionerID, 0, 0, "")
	})
}

// SaveReflection keeps an after-session reflection.
func (s *Development) SaveReflection(ctx context.Context, r *alongside.Reflection, c *alongside.PracticeContent) error {
	if err := r.Validate(c); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		r.TakenAt = tx.now
		if err := tx.QueryRowContext(tx.ctx, `INSERT INTO reflections (practitioner_id, taken_at, note) VALUES ($1, $2, $3) RETURNING id`,
			r.PractitionerID, ms(tx.now), r.Note).Scan(&r.ID); err != nil {
			return err
		}
		for _, t := range c.Tips {
			if a, ok := r.Answers[t.Key]; ok {
				if _, err := tx.ExecContext(tx.ctx, "INSERT INTO reflection_answers (reflection_id, tip, answer) VALUES ($1, $2, $3)",
					r.ID, t.Key, a); err != nil {
					return err
				}
			}
		}
		return tx.audit("development.reflection", "user", r.PractitionerID, 0, 0, "")
	})
}

// Reflections returns a practitioner's reflections since a time, newest
// first.
func (s *Development) Reflections(ctx context.Context, practitionerID int64, since time.Time) ([]alongside.Reflection, error) {
	rows, err := s.query(ctx, `SELECT r.id, r.taken_at, r.note, COALESCE(a.tip, ''), COALESCE(a.answer, '')
		FROM reflections r LEFT JOIN reflection_answers a ON a.reflection_id = r.id
		WHERE r.practitioner_id = $1 AND r.taken_at >= $2 ORDER BY r.taken_at DESC, r.id DESC`, practitionerID, ms(since))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alongside.Reflection
	for rows.Next() {
		var id, at int64
		var note, tip, answer string
		if err := rows.Scan(&id, &at, &note, &tip, &answer); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != id {
			out = append(out, alongside.Reflection{ID: id, PractitionerID: practitionerID, TakenAt: fromMS(at), Note: note, Answers: map[string]string{}})
		}
		if tip != "" {
			out[len(out)-1].Answers[tip] = answer
		}
	}
	return out, rows.Err()
}

// DevelopmentTotals counts a service's practitioners' development needs,
// from each one's latest self-assessment, and their reflections of the
// last 90 days. Nothing in it names anyone; callers show it only when
// Shown.
func (s *Development) DevelopmentTotals(ctx context.Context, serviceID int64) (*alongside.DevelopmentTotals, error) {
	t := &alongside.DevelopmentTotals{Needs: map[string]int{}}
	latest := `SELECT a.practitioner_id, MAX(a.id) AS id FROM self_assessments a
		JOIN memberships m ON m.user_id = a.practitioner_id AND m.service_id = $1 AND m.role = $2 GROUP BY a.practitioner_id`
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM ("+latest+") l", serviceID, alongside.RolePractitioner).Scan(&t.Practitioners); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT r.item, COUNT(*) FROM (`+latest+`) l JOIN self_assessment_ratings r ON r.assessment_id = l.id
		WHERE r.need GROUP BY r.item`, serviceID, alongside.RolePractitioner)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var item string
		var n int
		if err := rows.Scan(&item, &n); err != nil {
			return nil, err
		}
		t.Needs[item] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	since := s.Clock.Now().AddDate(0, 0, -90)
	err = s.queryRow(ctx, `SELECT COUNT(*), COUNT(DISTINCT r.practitioner_id) FROM reflections r
		JOIN memberships m ON m.user_id = r.practitioner_id AND m.service_id = $1 AND m.role = $2
		WHERE r.taken_at >= $3`, serviceID, alongside.RolePractitioner, ms(since)).Scan(&t.Reflections, &t.Reflecting)
	return t, err
}
