package sqlstore

import (
	"context"
	"strings"
	"time"

	"github.com/alongside-recovery/alongside"
)

// HomeParts says which parts of NextSteps a home page needs, from the
// viewer's roles: each part is a piece of the one query, left out when the
// viewer has no use for it.
type HomeParts struct {
	OwnPlan   bool // the viewer's own plan (a person using a service)
	Allocated bool // the plans of the people the viewer is allocated to, and their reflections
	Manager   bool // the services the viewer manages
	Lead      bool // the networks the viewer leads
}

func (p HomeParts) bits() uint8 {
	var b uint8
	for i, on := range []bool{p.OwnPlan, p.Allocated, p.Manager, p.Lead} {
		if on {
			b |= 1 << i
		}
	}
	return b
}

// NextSteps reads what the viewer's home page says to do next, in one
// query whose parts follow parts. today is the viewer's day: plan goals and
// reviews due within a week of it are read, and actions due within two
// weeks; "this year" is today's calendar year. The store reads only rows
// the viewer's relationships reach (their allocations, the services they
// manage, the networks they lead); what of a plan they may see is left to
// authz in the page.
func (s *Plans) NextSteps(ctx context.Context, userID int64, parts HomeParts, today time.Time) (*alongside.NextSteps, error) {
	out := &alongside.NextSteps{Plans: map[int64]*alongside.PlanNews{}}
	b := parts.bits()
	if b == 0 {
		return out, nil
	}
	q, ok := s.nextStepsQueries.Get(b, struct{}{})
	if !ok {
		q = s.nextStepsQuery(parts)
		s.nextStepsQueries.Put(b, struct{}{}, q)
	}
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	yearStart := time.Date(today.Year(), 1, 1, 0, 0, 0, 0, today.Location())
	rows, err := s.query(ctx, q, userID, day.Format(alongside.DateLayout), day.AddDate(0, 0, 7).Format(alongside.DateLayout),
		day.AddDate(0, 0, 14).Format(alongside.DateLayout), ms(yearStart))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	plan := func(person int64) *alongside.PlanNews {
		p := out.Plans[person]
		if p == nil {
			p = &alongside.PlanNews{PersonID: person}
			out.Plans[person] = p
		}
		return p
	}
	for rows.Next() {
		var kind, t1, t2, t3 string
		var id, n1, n2, n3, at int64
		if err := rows.Scan(&kind, &id, &n1, &n2, &n3, &t1, &t2, &t3, &at); err != nil {
			return nil, err
		}
		switch kind {
		case "o": // a plan: its saves, sign-off, and whether the viewer has looked
			p := plan(id)
			p.Version, p.SignedVersion, p.Looked, p.SignedAt = int(n1), int(n2), n3 > 0, fromMS(at)
		case "c": // saves of a section by one writer since the viewer looked
			p := plan(id)
			p.Changes = append(p.Changes, alongside.PlanChange{Section: t1, By: n1, ByName: t2, Saves: int(n2), ChangedAt: fromMS(at)})
		case "d": // a goal, review or advance statement due a look
			when, err := time.Parse(alongside.DateLayout, t3)
			if err != nil {
				continue // a date the plan's own rules would not have kept
			}
			title := t2
			switch {
			case t1 == alongside.SectionAdvanceStatement:
				title = "The advance statement, due for review"
			case strings.HasPrefix(t1, "review-"):
				title = "A review of the whole plan"
			}
			p := plan(id)
			p.Due = append(p.Due, alongside.GoalDue{Key: t1, Title: title, Review: when})
		case "R", "N", "K":
			r := alongside.ReviewUnderWay{ID: id, ServiceID: n1, OrgID: n2, Title: t1, Stage: alongside.Stage(t2), ServiceName: t3, Lead: kind != "R"}
			if kind == "K" {
				r.CompletedAt = fromMS(at)
			} else {
				r.StartedAt = fromMS(at)
			}
			out.Reviews = append(out.Reviews, r)
		case "A":
			out.Actions = append(out.Actions, alongside.ActionDue{ID: id, ServiceID: n1, ReviewID: n2, What: t1, Due: t2,
				Status: alongside.ActionStatus(t3)})
		case "W":
			out.Waves = append(out.Waves, alongside.OpenWave{SurveyID: id, ServiceID: n1, OrgID: n2, Title: t1, Label: t2, ClosesOn: t3})
		case "f":
			out.Reflections, out.LastReflection = int(n1), fromMS(at)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// nextStepsQuery builds the query for one set of parts. Every row is
// (kind, id, n1, n2, n3, t1, t2, t3, at). $1 is the viewer, $2 today, $3 a
// week on, $4 two weeks on (dates as text), $5 the start of the year in
// milliseconds; the first CTE names them, so that every part may leave any
// of them unused.
func (s *Plans) nextStepsQuery(p HomeParts) string {
	j := s.dialect.jsonText
	var b strings.Builder
	b.WriteString(`WITH p AS MATERIALIZED (SELECT CAST($1 AS BIGINT) AS me, CAST($2 AS TEXT) AS today, CAST($3 AS TEXT) AS soon,
		CAST($4 AS TEXT) AS later, CAST($5 AS BIGINT) AS year_start)`)
	var mine []string
	if p.Allocated {
		mine = append(mine, "SELECT a.person_id FROM allocations a, p WHERE a.practitioner_id = p.me")
	}
	if p.OwnPlan {
		mine = append(mine, "SELECT me AS person_id FROM p")
	}
	if len(mine) > 0 {
		b.WriteString(",\n\tmine AS MATERIALIZED (" + strings.Join(mine, " UNION ") + ")")
	}
	var managed, led string
	if p.Manager {
		b.WriteString(",\n\tmanaged AS MATERIALIZED (SELECT m.service_id FROM memberships m, p WHERE m.user_id = p.me AND m.role = 'service_manager')")
		managed = "(SELECT service_id FROM managed)"
	}
	if p.Lead {
		b.WriteString(",\n\tled AS MATERIALIZED (SELECT m.org_id FROM memberships m, p WHERE m.user_id = p.me AND m.role = 'network_lead')")
		led = "(SELECT org_id FROM led)"
	}
	var parts []string
	if len(mine) > 0 {
		parts = append(parts,
			// Each plan: its saves, its sign-off, whether the viewer has looked.
			`SELECT 'o', m.person_id, (SELECT COUNT(*) FROM plan_versions v WHERE v.person_id = m.person_id), COALESCE(pl.signed_version, 0),
				CASE WHEN s.user_id IS NULL THEN 0 ELSE 1 END, '', '', '', COALESCE(pl.signed_at, 0)
			FROM p CROSS JOIN mine m LEFT JOIN plans pl ON pl.person_id = m.person_id
			LEFT JOIN plan_seen s ON s.user_id = p.me AND s.person_id = m.person_id`,
			// Sections others saved since the viewer last looked, by writer.
			`SELECT 'c', v.person_id, COALESCE(v.changed_by, 0), COUNT(*), 0, v.section, COALESCE(u.name, ''), '', MAX(v.changed_at)
			FROM p CROSS JOIN mine m JOIN plan_versions v ON v.person_id = m.person_id
			LEFT JOIN plan_seen s ON s.user_id = p.me AND s.person_id = m.person_id
			LEFT JOIN users u ON u.id = v.changed_by
			WHERE v.id > COALESCE(s.seen_id, 0) AND COALESCE(v.changed_by, 0) <> p.me
			GROUP BY v.person_id, v.changed_by, u.name, v.section`,
			// What is due a look within the week (alongside.Plan.ReviewsDue
			// is the same rule, read from a whole plan): goals and small
			// steps still open, the latest review's next date, and an
			// advance statement not withdrawn.
			`SELECT 'd', ps.person_id, 0, 0, 0, ps.section, COALESCE(`+j("ps.body", "title")+`, ''), `+j("ps.body", "review")+`, 0
			FROM p CROSS JOIN mine m JOIN plan_sections ps ON ps.person_id = m.person_id
			WHERE ps.section LIKE 'goal-%' AND COALESCE(`+j("ps.body", "status")+`, '') NOT IN ('done', 'changed')
				AND COALESCE(`+j("ps.body", "review")+`, '') <> '' AND `+j("ps.body", "review")+` <= p.soon`,
			`SELECT 'd', ps.person_id, 0, 0, 0, ps.section, '', `+j("ps.body", "next-on")+`, 0
			FROM p CROSS JOIN mine m JOIN plan_sections ps ON ps.person_id = m.person_id
			WHERE ps.section LIKE 'review-%' AND COALESCE(`+j("ps.body", "next-on")+`, '') <> '' AND `+j("ps.body", "next-on")+` <= p.soon
				AND NOT EXISTS (SELECT 1 FROM plan_sections q WHERE q.person_id = ps.person_id AND q.section LIKE 'review-%'
					AND CAST(SUBSTR(q.section, 8) AS INTEGER) > CAST(SUBSTR(ps.section, 8) AS INTEGER))`,
			`SELECT 'd', ps.person_id, 0, 0, 0, ps.section, '', `+j("ps.body", "review-on")+`, 0
			FROM p CROSS JOIN mine m JOIN plan_sections ps ON ps.person_id = m.person_id
			WHERE ps.section = 'advance-statement' AND COALESCE(`+j("ps.body", "withdrawn-on")+`, '') = ''
				AND COALESCE(`+j("ps.body", "review-on")+`, '') <> '' AND `+j("ps.body", "review-on")+` <= p.soon`)
	}
	if p.Allocated {
		parts = append(parts, `SELECT 'f', 0, COUNT(*), 0, 0, '', '', '', COALESCE(MAX(r.taken_at), 0) FROM reflections r, p WHERE r.practitioner_id = p.me`)
	}
	if p.Manager {
		parts = append(parts,
			`SELECT 'R', r.id, r.service_id, r.org_id, 0, r.title, r.stage, sv.name, r.started_at
			FROM reviews r JOIN services sv ON sv.id = r.service_id WHERE r.stage <> 'complete' AND r.service_id IN `+managed,
			`SELECT 'A', pa.id, r.service_id, r.id, 0, pa.what, pa.due_date, pa.status, 0
			FROM p CROSS JOIN reviews r JOIN plan_actions pa ON pa.review_id = r.id
			WHERE r.service_id IN `+managed+` AND pa.status NOT IN ('done', 'not_going_ahead') AND pa.due_date <> '' AND pa.due_date <= p.later`)
	}
	if p.Lead {
		parts = append(parts,
			`SELECT 'N', r.id, r.service_id, r.org_id, 0, r.title, r.stage, sv.name, r.started_at
			FROM reviews r JOIN services sv ON sv.id = r.service_id WHERE r.stage <> 'complete' AND r.org_id IN `+led,
			`SELECT 'K', r.id, r.service_id, r.org_id, 0, r.title, r.stage, sv.name, r.completed_at
			FROM p CROSS JOIN reviews r JOIN services sv ON sv.id = r.service_id
			WHERE r.stage = 'complete' AND r.completed_at >= p.year_start AND r.org_id IN `+led)
	}
	if p.Manager || p.Lead {
		// A manager's own services' surveys and their networks' surveys;
		// a lead's networks' surveys. Each survey's wave open today.
		var who []string
		if p.Manager {
			who = append(who, "sv.service_id IN "+managed,
				"(sv.service_id IS NULL AND sv.org_id IN (SELECT s2.org_id FROM services s2 WHERE s2.id IN "+managed+"))")
		}
		if p.Lead {
			who = append(who, "(sv.service_id IS NULL AND sv.org_id IN "+led+")")
		}
		parts = append(parts, `SELECT 'W', sv.id, COALESCE(sv.service_id, 0), sv.org_id, 0, sv.title, w.label, w.closes_on, 0
			FROM p CROSS JOIN surveys sv JOIN survey_waves w ON w.survey_id = sv.id
			WHERE w.opens_on <= p.today AND w.closes_on >= p.today AND (`+strings.Join(who, " OR ")+`)`)
	}
	b.WriteString("\n")
	b.WriteString(strings.Join(parts, "\nUNION ALL "))
	return b.String()
}
