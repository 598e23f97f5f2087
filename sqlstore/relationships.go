package sqlstore

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/alongside-recovery/alongside"
)

// Relationships stores allocations, supervision and supporter links.
type Relationships struct {
	*db
}

// hasRole reports whether the user holds role in the service.
func (tx *Tx) hasRole(userID int64, role alongside.Role, serviceID int64) (bool, error) {
	var n int
	err := tx.QueryRowContext(tx.ctx, "SELECT COUNT(*) FROM memberships WHERE user_id = $1 AND role = $2 AND service_id = $3",
		userID, string(role), serviceID).Scan(&n)
	return n > 0, err
}

// Allocate says a practitioner works with a person in a service. Both must
// belong to the service in those roles.
func (s *Relationships) Allocate(ctx context.Context, a *alongside.Allocation) error {
	return s.write(ctx, func(tx *Tx) error {
		f := map[string]string{}
		if ok, err := tx.hasRole(a.PractitionerID, alongside.RolePractitioner, a.ServiceID); err != nil {
			return err
		} else if !ok {
			f["practitioner"] = "Choose a practitioner of this service."
		}
		if ok, err := tx.hasRole(a.PersonID, alongside.RolePerson, a.ServiceID); err != nil {
			return err
		} else if !ok {
			f["person"] = "Choose a person using this service."
		}
		if len(f) > 0 {
			return alongside.Invalid(f)
		}
		a.CreatedAt = tx.now
		err := tx.QueryRowContext(ctx, "INSERT INTO allocations (service_id, practitioner_id, person_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
			a.ServiceID, a.PractitionerID, a.PersonID, ms(tx.now)).Scan(&a.ID)
		if s.dialect.isUnique(err) {
			return alongside.Invalid(map[string]string{"person": "This practitioner already works with this person."})
		} else if err != nil {
			return err
		}
		return tx.audit("allocation.add", "person", a.PersonID, 0, a.ServiceID, "practitioner "+itoa(a.PractitionerID))
	})
}

// Deallocate ends an allocation.
func (s *Relationships) Deallocate(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *Tx) error {
		var a alongside.Allocation
		err := tx.QueryRowContext(ctx, "DELETE FROM allocations WHERE id = $1 RETURNING service_id, practitioner_id, person_id", id).
			Scan(&a.ServiceID, &a.PractitionerID, &a.PersonID)
		if err == sql.ErrNoRows {
			return notFound("allocation")
		} else if err != nil {
			return err
		}
		return tx.audit("allocation.remove", "person", a.PersonID, 0, a.ServiceID, "practitioner "+itoa(a.PractitionerID))
	})
}

const allocationSelect = `SELECT a.id, a.service_id, a.practitioner_id, a.person_id, a.created_at, pr.name, pe.name, sv.name
	FROM allocations a JOIN users pr ON pr.id = a.practitioner_id JOIN users pe ON pe.id = a.person_id
	JOIN services sv ON sv.id = a.service_id `

func (s *Relationships) queryAllocations(ctx context.Context, where string, args ...any) ([]alongside.Allocation, error) {
	rows, err := s.query(ctx, allocationSelect+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alongside.Allocation
	for rows.Next() {
		var a alongside.Allocation
		var created int64
		if err := rows.Scan(&a.ID, &a.ServiceID, &a.PractitionerID, &a.PersonID, &created, &a.PractitionerName, &a.PersonName, &a.ServiceName); err != nil {
			return nil, err
		}
		a.CreatedAt = fromMS(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Allocation returns one allocation.
func (s *Relationships) Allocation(ctx context.Context, id int64) (*alongside.Allocation, error) {
	as, err := s.queryAllocations(ctx, "WHERE a.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, notFound("allocation")
	}
	return &as[0], nil
}

// ServiceAllocations lists a service's allocations by person.
func (s *Relationships) ServiceAllocations(ctx context.Context, serviceID int64) ([]alongside.Allocation, error) {
	return s.queryAllocations(ctx, "WHERE a.service_id = $1 ORDER BY pe.name, pr.name", serviceID)
}

// AllocationsOfPerson lists who works with a person (the person sees this).
func (s *Relationships) AllocationsOfPerson(ctx context.Context, personID int64) ([]alongside.Allocation, error) {
	return s.queryAllocations(ctx, "WHERE a.person_id = $1 ORDER BY pr.name", personID)
}

// AssignSupervisor makes one member of staff the supervisor of a
// practitioner in the same organisation.
func (s *Relationships) AssignSupervisor(ctx context.Context, sp *alongside.Supervision) error {
	return s.write(ctx, func(tx *Tx) error {
		f := map[string]string{}
		if sp.SupervisorID == sp.PractitionerID {
			f["supervisor"] = "A practitioner cannot supervise themselves."
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM memberships WHERE user_id = $1 AND org_id = $2 AND role IN ('practitioner', 'service_manager', 'org_admin')",
			sp.SupervisorID, sp.OrgID).Scan(&n); err != nil {
			return err
		} else if n == 0 {
			f["supervisor"] = "Choose a member of staff in this organisation."
		}
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM memberships WHERE user_id = $1 AND org_id = $2 AND role = 'practitioner'",
			sp.PractitionerID, sp.OrgID).Scan(&n); err != nil {
			return err
		} else if n == 0 {
			f["practitioner"] = "Choose a practitioner in this organisation."
		}
		if len(f) > 0 {
			return alongside.Invalid(f)
		}
		sp.CreatedAt = tx.now
		err := tx.QueryRowContext(ctx, "INSERT INTO supervisions (org_id, supervisor_id, practitioner_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
			sp.OrgID, sp.SupervisorID, sp.PractitionerID, ms(tx.now)).Scan(&sp.ID)
		if s.dialect.isUnique(err) {
			return alongside.Invalid(map[string]string{"supervisor": "This supervisor is already assigned to this practitioner."})
		} else if err != nil {
			return err
		}
		return tx.audit("supervision.add", "user", sp.PractitionerID, sp.OrgID, 0, "supervisor "+itoa(sp.SupervisorID))
	})
}

// EndSupervision removes a supervisor assignment.
func (s *Relationships) EndSupervision(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *Tx) error {
		var sp alongside.Supervision
		err := tx.QueryRowContext(ctx, "DELETE FROM supervisions WHERE id = $1 RETURNING org_id, supervisor_id, practitioner_id", id).
			Scan(&sp.OrgID, &sp.SupervisorID, &sp.PractitionerID)
		if err == sql.ErrNoRows {
			return notFound("supervision")
		} else if err != nil {
			return err
		}
		return tx.audit("supervision.remove", "user", sp.PractitionerID, sp.OrgID, 0, "supervisor "+itoa(sp.SupervisorID))
	})
}

const supervisionSelect = `SELECT sp.id, sp.org_id, sp.supervisor_id, sp.practitioner_id, sp.created_at, su.name, pr.name
	FROM supervisions sp JOIN users su ON su.id = sp.supervisor_id JOIN users pr ON pr.id = sp.practitioner_id `

func (s *Relationships) querySupervisions(ctx context.Context, where string, args ...any) ([]alongside.Supervision, error) {
	rows, err := s.query(ctx, supervisionSelect+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alongside.Supervision
	for rows.Next() {
		var sp alongside.Supervision
		var created int64
		if err := rows.Scan(&sp.ID, &sp.OrgID, &sp.SupervisorID, &sp.PractitionerID, &created, &sp.SupervisorName, &sp.PractitionerName); err != nil {
			return nil, err
		}
		sp.CreatedAt = fromMS(created)
		out = append(out, sp)
	}
	return out, rows.Err()
}

// Supervision returns one assignment.
func (s *Relationships) Supervision(ctx context.Context, id int64) (*alongside.Supervision, error) {
	sps, err := s.querySupervisions(ctx, "WHERE sp.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(sps) == 0 {
		return nil, notFound("supervision")
	}
	return &sps[0], nil
}

// OrgSupervisions lists an organisation's supervision assignments.
func (s *Relationships) OrgSupervisions(ctx context.Context, orgID int64) ([]alongside.Supervision, error) {
	return s.querySupervisions(ctx, "WHERE sp.org_id = $1 ORDER BY pr.name, su.name", orgID)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
