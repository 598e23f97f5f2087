package sqlstore

import (
	"context"

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

// ActorFor is Actor for a user already loaded (with their session, say).
func (s *Store) ActorFor(ctx context.Context, u *alongside.User) (*alongside.Actor, error) {
	a := &alongside.Actor{User: *u, AllocatedPeople: map[int64]bool{}, Supervisees: map[int64]bool{}, SupportedPeople: map[int64]bool{}}
	var err error
	if a.Memberships, err = s.MembershipsOf(ctx, u.ID); err != nil {
		return nil, err
	}
	// One round trip for all three relationships.
	rows, err := s.query(ctx, `
		SELECT 'a', person_id FROM allocations WHERE practitioner_id = $1
		UNION ALL SELECT 's', practitioner_id FROM supervisions WHERE supervisor_id = $1
		UNION ALL SELECT 'p', person_id FROM supporters WHERE supporter_id = $1 AND accepted_at > 0`, u.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var id int64
		if err := rows.Scan(&kind, &id); err != nil {
			return nil, err
		}
		switch kind {
		case "a":
			a.AllocatedPeople[id] = true
		case "s":
			a.Supervisees[id] = true
		case "p":
			a.SupportedPeople[id] = true
		}
	}
	return a, rows.Err()
}
