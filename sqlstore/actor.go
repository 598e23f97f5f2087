package sqlstore

import (
	"context"
	"sort"

	"github.com/alongside-recovery/alongside"
)

// Actor loads a user with their roles and relationships, for access
// decisions. Only accepted supporter links count.
func (s *Store) Actor(ctx context.Context, userID int64) (*alongside.Actor, error) {
	u, err := s.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	return s.ActorFor(ctx, u)
}

// actorQuery reads roles and every relationship of a user in one round
// trip, with the names pages show: it runs on every signed-in request. Each
// row is (kind, id, role or relationship, org, service, other user, created,
// name, flag, service name).
const actorQuery = `
	SELECT 'm', m.id, m.role, COALESCE(m.org_id, 0), COALESCE(m.service_id, 0), 0, m.created_at,
		COALESCE(o.name, ''), COALESCE(o.require_staff_mfa, FALSE), COALESCE(sv.name, '')
	FROM memberships m LEFT JOIN organisations o ON o.id = m.org_id LEFT JOIN services sv ON sv.id = m.service_id
	WHERE m.user_id = $1
	UNION ALL SELECT 'a', a.id, '', sv.org_id, a.service_id, a.person_id, a.created_at, u.name, FALSE, sv.name
	FROM allocations a JOIN users u ON u.id = a.person_id JOIN services sv ON sv.id = a.service_id WHERE a.practitioner_id = $1
	UNION ALL SELECT 't', a.id, '', sv.org_id, a.service_id, a.practitioner_id, a.created_at, u.name, FALSE, sv.name
	FROM allocations a JOIN users u ON u.id = a.practitioner_id JOIN services sv ON sv.id = a.service_id WHERE a.person_id = $1
	UNION ALL SELECT 's', sp.id, '', sp.org_id, 0, sp.practitioner_id, sp.created_at, u.name, FALSE, ''
	FROM supervisions sp JOIN users u ON u.id = sp.practitioner_id WHERE sp.supervisor_id = $1
	UNION ALL SELECT 'v', sp.id, '', sp.org_id, 0, sp.supervisor_id, sp.created_at, u.name, FALSE, ''
	FROM supervisions sp JOIN users u ON u.id = sp.supervisor_id WHERE sp.practitioner_id = $1
	UNION ALL SELECT 'p', sl.id, sl.relationship, 0, 0, sl.person_id, sl.created_at, u.name, FALSE, ''
	FROM supporters sl JOIN users u ON u.id = sl.person_id WHERE sl.supporter_id = $1 AND sl.accepted_at > 0
	UNION ALL SELECT 'g', g.link_id, g.section, 0, 0, sl.person_id, 0, '', g.add_view, ''
	FROM plan_grants g JOIN supporters sl ON sl.id = g.link_id WHERE sl.supporter_id = $1 AND sl.accepted_at > 0
	UNION ALL SELECT 'e', b.id, '', 0, b.service_id, b.person_id, b.opened_at, '', FALSE, ''
	FROM break_glass b WHERE b.practitioner_id = $1 AND b.expires_at > $2
	UNION ALL SELECT 'h', 0, '', 0, 0, 0, 0, '', FALSE, '' WHERE EXISTS (SELECT 1 FROM plan_sections WHERE person_id = $1)
	UNION ALL SELECT 'l', 0, COALESCE(sh.section, ''), 0, l.service_id, l.person_id, 0, '', FALSE, ''
	FROM allocations a JOIN plan_service_limits l ON l.person_id = a.person_id AND l.service_id = a.service_id
	LEFT JOIN plan_service_sharing sh ON sh.person_id = l.person_id AND sh.service_id = l.service_id
	WHERE a.practitioner_id = $1
	UNION ALL SELECT 'd', 0, '', 0, 0, ds.practitioner_id, ds.shared_at, u.name, FALSE, ''
	FROM development_shares ds JOIN users u ON u.id = ds.practitioner_id WHERE ds.viewer_id = $1`

// ActorFor is Actor for a user already loaded (with their session, say).
func (s *Store) ActorFor(ctx context.Context, u *alongside.User) (*alongside.Actor, error) {
	a := &alongside.Actor{User: *u, AllocatedPeople: map[int64]bool{}, Supervisees: map[int64]bool{}, SupportedPeople: map[int64]bool{},
		SharesDevelopment: map[int64]bool{}, PlanGrants: map[int64]map[string]bool{}, Emergency: map[int64]bool{}, ServiceLimits: map[int64]map[int64]map[string]bool{}}
	rows, err := s.query(ctx, actorQuery, u.ID, ms(s.Clock.Now()))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, text, name, serviceName string
		var id, org, service, other, created int64
		var flag bool
		if err := rows.Scan(&kind, &id, &text, &org, &service, &other, &created, &name, &flag, &serviceName); err != nil {
			return nil, err
		}
		at := fromMS(created)
		switch kind {
		case "m":
			a.Memberships = append(a.Memberships, alongside.Membership{ID: id, UserID: u.ID, Role: alongside.Role(text), OrgID: org, ServiceID: service,
				CreatedAt: at, OrgName: name, OrgRequiresMFA: flag, ServiceName: serviceName, UserName: u.Name, UserEmail: u.Email})
		case "a":
			a.Allocations = append(a.Allocations, alongside.Allocation{ID: id, ServiceID: service, PractitionerID: u.ID, PersonID: other,
				CreatedAt: at, PractitionerName: u.Name, PersonName: name, ServiceName: serviceName})
			a.AllocatedPeople[other] = true
		case "t":
			a.Team = append(a.Team, alongside.Allocation{ID: id, ServiceID: service, PractitionerID: other, PersonID: u.ID,
				CreatedAt: at, PractitionerName: name, PersonName: u.Name, ServiceName: serviceName})
		case "s":
			a.Supervising = append(a.Supervising, alongside.Supervision{ID: id, OrgID: org, SupervisorID: u.ID, PractitionerID: other,
				CreatedAt: at, SupervisorName: u.Name, PractitionerName: name})
			a.Supervisees[other] = true
		case "v":
			a.SupervisedBy = append(a.SupervisedBy, alongside.Supervision{ID: id, OrgID: org, SupervisorID: other, PractitionerID: u.ID,
				CreatedAt: at, SupervisorName: name, PractitionerName: u.Name})
		case "p":
			a.Supporting = append(a.Supporting, alongside.SupporterLink{ID: id, PersonID: other, SupporterID: u.ID,
				Relationship: alongside.SupporterRelationship(text), CreatedAt: at, PersonName: name, SupporterName: u.Name})
			a.SupportedPeople[other] = true
		case "l":
			if a.ServiceLimits[other] == nil {
				a.ServiceLimits[other] = map[int64]map[string]bool{}
			}
			if a.ServiceLimits[other][service] == nil {
				a.ServiceLimits[other][service] = map[string]bool{}
			}
			if text != "" {
				a.ServiceLimits[other][service][text] = true
			}
		case "h":
			a.HasPlan = true
		case "d":
			a.DevelopmentShared = append(a.DevelopmentShared, alongside.Colleague{ID: other, Name: name})
			a.SharesDevelopment[other] = true
		case "e":
			a.Emergency[other] = true
		case "g":
			if a.PlanGrants[other] == nil {
				a.PlanGrants[other] = map[string]bool{}
			}
			a.PlanGrants[other][text] = flag
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Sorted here rather than in SQL: a sort over the whole union cost the
	// database more than the rest of the query.
	sort.Slice(a.Memberships, func(i, j int) bool { return a.Memberships[i].ID < a.Memberships[j].ID })
	sort.Slice(a.Allocations, func(i, j int) bool { return a.Allocations[i].PersonName < a.Allocations[j].PersonName })
	sort.Slice(a.Team, func(i, j int) bool { return a.Team[i].PractitionerName < a.Team[j].PractitionerName })
	sort.Slice(a.Supervising, func(i, j int) bool { return a.Supervising[i].PractitionerName < a.Supervising[j].PractitionerName })
	sort.Slice(a.SupervisedBy, func(i, j int) bool { return a.SupervisedBy[i].SupervisorName < a.SupervisedBy[j].SupervisorName })
	sort.Slice(a.Supporting, func(i, j int) bool { return a.Supporting[i].PersonName < a.Supporting[j].PersonName })
	sort.Slice(a.DevelopmentShared, func(i, j int) bool { return a.DevelopmentShared[i].Name < a.DevelopmentShared[j].Name })
	return a, nil
}
