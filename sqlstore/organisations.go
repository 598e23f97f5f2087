package sqlstore

import (
	"context"
	"database/sql"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/cache"
)

// Organisations stores organisations, services, help-now numbers and statement sets.
type Organisations struct {
	*db

	// A statement set's body → its parse, shared read-only. Keyed by the
	// body, which never changes once stored, so the version is struct{};
	// a network holds a few sets.
	sets *cache.Cache[string, struct{}, *alongside.StatementSet]
}

func newOrganisations(d *db) *Organisations {
	return &Organisations{db: d, sets: cache.New[string, struct{}, *alongside.StatementSet]("statement sets", 256)}
}

// CreateOrganisation adds an organisation, starting from the content
// Alongside ships (its statement set), which the organisation may replace.
func (s *Organisations) CreateOrganisation(ctx context.Context, o *alongside.Organisation) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		o.CreatedAt, o.Version = tx.now, 1
		err := tx.QueryRowContext(ctx, "INSERT INTO organisations (name, require_staff_mfa, retention_days, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
			o.Name, o.RequireStaffMFA, o.RetentionDays, ms(tx.now)).Scan(&o.ID)
		if s.dialect.isUnique(err) {
			return alongside.Invalid(map[string]string{"name": "An organisation with this name already exists."})
		} else if err != nil {
			return err
		}
		if err := tx.audit("organisation.create", "organisation", o.ID, o.ID, 0, o.Name); err != nil {
			return err
		}
		shipped, err := shippedStatementSet(o.ID)
		if err != nil {
			return err
		}
		return tx.insertStatementSet(shipped)
	})
}

func scanOrganisation(row scanner) (*alongside.Organisation, error) {
	var o alongside.Organisation
	var created int64
	if err := row.Scan(&o.ID, &o.Name, &o.RequireStaffMFA, &o.RetentionDays, &created, &o.Version); err != nil {
		return nil, err
	}
	o.CreatedAt = fromMS(created)
	return &o, nil
}

const orgColumns = "id, name, require_staff_mfa, retention_days, created_at, version"

// Organisation returns one organisation.
func (s *Organisations) Organisation(ctx context.Context, id int64) (*alongside.Organisation, error) {
	o, err := scanOrganisation(s.queryRow(ctx, "SELECT "+orgColumns+" FROM organisations WHERE id = $1", id))
	if err == sql.ErrNoRows {
		return nil, notFound("organisation")
	}
	return o, err
}

// Organisations lists every organisation by name.
func (s *Organisations) Organisations(ctx context.Context) ([]alongside.Organisation, error) {
	rows, err := s.query(ctx, "SELECT "+orgColumns+" FROM organisations ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alongside.Organisation
	for rows.Next() {
		o, err := scanOrganisation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *o)
	}
	return out, rows.Err()
}

// UpdateOrganisation saves an organisation's name and settings, refusing a
// stale version.
func (s *Organisations) UpdateOrganisation(ctx context.Context, o *alongside.Organisation) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE organisations SET name = $1, require_staff_mfa = $2, retention_days = $3, version = version + 1 WHERE id = $4 AND version = $5",
			o.Name, o.RequireStaffMFA, o.RetentionDays, o.ID, o.Version)
		if s.dialect.isUnique(err) {
			return alongside.Invalid(map[string]string{"name": "An organisation with this name already exists."})
		} else if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleError()
		}
		o.Version++
		detail := "two-step sign-in left to each member of staff"
		if o.RequireStaffMFA {
			detail = "two-step sign-in required for staff"
		}
		return tx.audit("organisation.update", "organisation", o.ID, o.ID, 0, detail)
	})
}

func staleError() error {
	return alongside.Errorf(alongside.ECONFLICT, "Someone else saved a change here while you were editing. Your changes have not been saved: check the current version below and make them again.")
}

// CreateService adds a service to an organisation.
func (s *Organisations) CreateService(ctx context.Context, sv *alongside.Service) error {
	if err := sv.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		sv.CreatedAt, sv.Version = tx.now, 1
		err := tx.QueryRowContext(ctx, "INSERT INTO services (org_id, name, description, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
			sv.OrgID, sv.Name, sv.Description, ms(tx.now)).Scan(&sv.ID)
		if s.dialect.isUnique(err) {
			return alongside.Invalid(map[string]string{"name": "This organisation already has a service with this name."})
		} else if err != nil {
			return err
		}
		return tx.audit("service.create", "service", sv.ID, sv.OrgID, sv.ID, sv.Name)
	})
}

// UpdateService saves a service's name and description, refusing a stale version.
func (s *Organisations) UpdateService(ctx context.Context, sv *alongside.Service) error {
	if err := sv.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE services SET name = $1, description = $2, version = version + 1 WHERE id = $3 AND version = $4",
			sv.Name, sv.Description, sv.ID, sv.Version)
		if s.dialect.isUnique(err) {
			return alongside.Invalid(map[string]string{"name": "This organisation already has a service with this name."})
		} else if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleError()
		}
		sv.Version++
		return tx.audit("service.update", "service", sv.ID, sv.OrgID, sv.ID, "")
	})
}

const serviceSelect = `SELECT s.id, s.org_id, s.name, s.description, s.created_at, s.version, o.name
	FROM services s JOIN organisations o ON o.id = s.org_id `

func (s *Organisations) queryServices(ctx context.Context, where string, args ...any) ([]alongside.Service, error) {
	rows, err := s.query(ctx, serviceSelect+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alongside.Service
	for rows.Next() {
		var sv alongside.Service
		var created int64
		if err := rows.Scan(&sv.ID, &sv.OrgID, &sv.Name, &sv.Description, &created, &sv.Version, &sv.OrgName); err != nil {
			return nil, err
		}
		sv.CreatedAt = fromMS(created)
		out = append(out, sv)
	}
	return out, rows.Err()
}

// Service returns one service.
func (s *Organisations) Service(ctx context.Context, id int64) (*alongside.Service, error) {
	svs, err := s.queryServices(ctx, "WHERE s.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(svs) == 0 {
		return nil, notFound("service")
	}
	return &svs[0], nil
}

// Services lists an organisation's services by name.
func (s *Organisations) Services(ctx context.Context, orgID int64) ([]alongside.Service, error) {
	return s.queryServices(ctx, "WHERE s.org_id = $1 ORDER BY s.name", orgID)
}

// ServiceCount is a service with how many people and staff it has, for the
// network view. Counts are of people, so callers suppress small numbers.
type ServiceCount struct {
	alongside.Service
	People        int
	Practitioners int
}

// ServiceCounts returns each service of an organisation with its numbers of
// people using it and practitioners.
func (s *Organisations) ServiceCounts(ctx context.Context, orgID int64) ([]ServiceCount, error) {
	svs, err := s.Services(ctx, orgID)
	if err != nil {
		return nil, err
	}
	counts := map[int64]*ServiceCount{}
	out := make([]ServiceCount, len(svs))
	for i := range svs {
		out[i].Service = svs[i]
		counts[svs[i].ID] = &out[i]
	}
	rows, err := s.query(ctx, `SELECT service_id, role, COUNT(*) FROM memberships
		WHERE org_id = $1 AND service_id IS NOT NULL GROUP BY service_id, role`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var role string
		var n int
		if err := rows.Scan(&id, &role, &n); err != nil {
			return nil, err
		}
		if c := counts[id]; c != nil {
			switch alongside.Role(role) {
			case alongside.RolePerson:
				c.People = n
			case alongside.RolePractitioner:
				c.Practitioners = n
			}
		}
	}
	return out, rows.Err()
}
