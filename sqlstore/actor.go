package sqlstore

import (
	"context"
	"database/sql"
	"sort"
	"strings"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
)

// Actor loads a user with their roles and relationships, for access
// decisions. Only accepted supporter links count.
func (s *Sessions) Actor(ctx context.Context, userID int64) (*alongside.Actor, error) {
	u, err := s.accounts.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	return s.ActorFor(ctx, u)
}

// actorQuery reads roles and every relationship of a user in one round
// trip, with the names pages show. Each row is (kind, id, role or
// relationship, org, service, other user, created, name, flag, service
// name). $1 is the user, $2 the time now (sessionActorQuery replaces every
// "$1", so no $10 and up here).
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

// sessionActorQuery is the session of a cookie, its user and actorQuery for
// that user, in one query: it runs on every signed-in request, and on
// PostgreSQL each query is a round trip (on SQLite, a read transaction that
// starts afresh after every write). $1 is the hash of the cookie, $2 the
// time now. Three rows more, in actorQuery's columns: 'S' the session
// (user, address, created, last seen, expires, –, user agent, second factor
// done, –), 'U' the user (version, email, created, last TOTP step, –, –,
// name, disabled, password hash) and 'F' the second factor (–, TOTP
// secret, –, –, –, –, –, enabled, –), 'L' the user's choice of language
// suggestions (flag). No session, no rows. The session
// is MATERIALIZED once: SQLite would otherwise look it up again in each
// part of the union.
var sessionActorQuery = `WITH me AS MATERIALIZED (SELECT s.user_id, s.ip, s.created_at, s.last_seen_at, s.expires_at, s.user_agent, s.mfa_done,
		u.version, u.email, u.created_at AS user_created_at, u.totp_last_step, u.name, u.disabled, u.password_hash, u.totp_secret, u.totp_enabled,
		u.language_suggestions
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1)
	SELECT 'S', user_id, ip, created_at, last_seen_at, expires_at, 0, user_agent, mfa_done, '' FROM me
	UNION ALL SELECT 'U', version, email, user_created_at, totp_last_step, 0, 0, name, disabled, password_hash FROM me
	UNION ALL SELECT 'F', 0, totp_secret, 0, 0, 0, 0, '', totp_enabled, '' FROM me
	UNION ALL SELECT 'L', 0, '', 0, 0, 0, 0, '', language_suggestions, '' FROM me
	UNION ALL` + strings.ReplaceAll(actorQuery, "$1", "(SELECT user_id FROM me)")

// SessionActor returns the live session for a cookie value and its user as
// an actor (see ActorFor), in one query. A session that has ended, or none,
// is ENOTFOUND.
func (s *Sessions) SessionActor(ctx context.Context, token string, p alongside.SessionPolicy) (*alongside.Session, *alongside.Actor, error) {
	now, hash := s.Clock.Now(), auth.HashToken(token)
	rows, err := s.query(ctx, sessionActorQuery, hash, ms(now))
	if err != nil {
		return nil, nil, err
	}
	a := newActor()
	ss, err := readActor(rows, a)
	if err != nil {
		return nil, nil, err
	}
	if ss == nil || !ss.Live(p, now) {
		return nil, nil, notFound("session")
	}
	ss.IDHash = hash
	return ss, a, nil
}

// ActorFor is Actor for a user already loaded.
func (s *Sessions) ActorFor(ctx context.Context, u *alongside.User) (*alongside.Actor, error) {
	rows, err := s.query(ctx, actorQuery, u.ID, ms(s.Clock.Now()))
	if err != nil {
		return nil, err
	}
	a := newActor()
	a.User = *u
	if _, err := readActor(rows, a); err != nil {
		return nil, err
	}
	return a, nil
}

func newActor() *alongside.Actor {
	return &alongside.Actor{AllocatedPeople: map[int64]bool{}, Supervisees: map[int64]bool{}, SupportedPeople: map[int64]bool{},
		SharesDevelopment: map[int64]bool{}, PlanGrants: map[int64]map[string]bool{}, Emergency: map[int64]bool{}, ServiceLimits: map[int64]map[int64]map[string]bool{}}
}

// readActor adds the rows of actorQuery or sessionActorQuery to a, and
// closes them. It returns the session of an 'S' row, if there was one.
// Rows come in no set order, so the user's own id, name and email go into
// each record once all are read.
func readActor(rows *sql.Rows, a *alongside.Actor) (*alongside.Session, error) {
	defer rows.Close()
	var ss *alongside.Session
	u := &a.User
	for rows.Next() {
		var kind, text, name, serviceName string
		var id, org, service, other, created int64
		var flag bool
		if err := rows.Scan(&kind, &id, &text, &org, &service, &other, &created, &name, &flag, &serviceName); err != nil {
			return nil, err
		}
		at := fromMS(created)
		switch kind {
		case "S":
			ss = &alongside.Session{UserID: id, IP: text, CreatedAt: fromMS(org), LastSeenAt: fromMS(service), ExpiresAt: fromMS(other),
				UserAgent: name, MFADone: flag}
			u.ID = id
		case "U":
			u.Version, u.Email, u.CreatedAt, u.TOTPLastStep, u.Name, u.Disabled, u.PasswordHash = int(id), text, fromMS(org), service, name, flag, serviceName
		case "F":
			u.TOTPSecret, u.TOTPEnabled = text, flag
		case "L":
			u.LanguageSuggestions = flag
		case "m":
			a.Memberships = append(a.Memberships, alongside.Membership{ID: id, Role: alongside.Role(text), OrgID: org, ServiceID: service,
				CreatedAt: at, OrgName: name, OrgRequiresMFA: flag, ServiceName: serviceName})
		case "a":
			a.Allocations = append(a.Allocations, alongside.Allocation{ID: id, ServiceID: service, PersonID: other,
				CreatedAt: at, PersonName: name, ServiceName: serviceName})
			a.AllocatedPeople[other] = true
		case "t":
			a.Team = append(a.Team, alongside.Allocation{ID: id, ServiceID: service, PractitionerID: other,
				CreatedAt: at, PractitionerName: name, ServiceName: serviceName})
		case "s":
			a.Supervising = append(a.Supervising, alongside.Supervision{ID: id, OrgID: org, PractitionerID: other,
				CreatedAt: at, PractitionerName: name})
			a.Supervisees[other] = true
		case "v":
			a.SupervisedBy = append(a.SupervisedBy, alongside.Supervision{ID: id, OrgID: org, SupervisorID: other,
				CreatedAt: at, SupervisorName: name})
		case "p":
			a.Supporting = append(a.Supporting, alongside.SupporterLink{ID: id, PersonID: other,
				Relationship: alongside.SupporterRelationship(text), CreatedAt: at, PersonName: name})
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
	for i := range a.Memberships {
		m := &a.Memberships[i]
		m.UserID, m.UserName, m.UserEmail = u.ID, u.Name, u.Email
	}
	for i := range a.Allocations {
		a.Allocations[i].PractitionerID, a.Allocations[i].PractitionerName = u.ID, u.Name
	}
	for i := range a.Team {
		a.Team[i].PersonID, a.Team[i].PersonName = u.ID, u.Name
	}
	for i := range a.Supervising {
		a.Supervising[i].SupervisorID, a.Supervising[i].SupervisorName = u.ID, u.Name
	}
	for i := range a.SupervisedBy {
		a.SupervisedBy[i].PractitionerID, a.SupervisedBy[i].PractitionerName = u.ID, u.Name
	}
	for i := range a.Supporting {
		a.Supporting[i].SupporterID, a.Supporting[i].SupporterName = u.ID, u.Name
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
	return ss, nil
}
