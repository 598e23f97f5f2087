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

// actorQuery reads roles and all three relationships in one round trip: it
// runs on every signed-in request.
const actorQuery = `
	SELECT 'm', m.id, m.role, COALESCE(m.org_id, 0), COALESCE(m.service_id, 0), m.created_at,
		COALESCE(o.name, ''), COALESCE(o.require_staff_mfa, FALSE), COALESCE(sv.name, '')
	FROM memberships m LEFT JOIN organisations o ON o.id = m.org_id LEFT JOIN services sv ON sv.id = m.service_id
	WHERE m.user_id = $1
	UNION ALL SELECT 'a', person_id, '', 0, 0, 0, '', FALSE, '' FROM allocations WHERE practitioner_id = $1
	UNION ALL SELECT 's', practitioner_id, '', 0, 0, 0, '', FALSE, '' FROM supervisions WHERE supervisor_id = $1
	UNION ALL SELECT 'p', person_id, '', 0, 0, 0, '', FALSE, '' FROM supporters WHERE supporter_id = $1 AND accepted_at > 0`

// ActorFor is Actor for a user already loaded (with their session, say).
func (s *Store) ActorFor(ctx context.Context, u *alongside.User) (*alongside.Actor, error) {
	a := &alongside.Actor{User: *u, AllocatedPeople: map[int64]bool{}, Supervisees: map[int64]bool{}, SupportedPeople: map[int64]bool{}}
	rows, err := s.query(ctx, actorQuery, u.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, role string
		var m alongside.Membership
		var created int64
		if err := rows.Scan(&kind, &m.ID, &role, &m.OrgID, &m.ServiceID, &created, &m.OrgName, &m.OrgRequiresMFA, &m.ServiceName); err != nil {
			return nil, err
		}
		switch kind {
		case "m":
			m.UserID, m.Role, m.CreatedAt, m.UserName, m.UserEmail = u.ID, alongside.Role(role), fromMS(created), u.Name, u.Email
			a.Memberships = append(a.Memberships, m)
		case "a":
			a.AllocatedPeople[m.ID] = true
		case "s":
			a.Supervisees[m.ID] = true
		case "p":
			a.SupportedPeople[m.ID] = true
		}
	}
	// Roles in the order they were given, so navigation reads the same each time.
	sort.Slice(a.Memberships, func(i, j int) bool { return a.Memberships[i].ID < a.Memberships[j].ID })
	return a, rows.Err()
}
