package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/alongside-recovery/alongside"
)

// Accounts stores accounts: users, their secrets, role requests, closing and break-glass access.
type Accounts struct {
	*db
}

const userColumns = `id, email, name, password_hash, disabled, totp_secret, totp_enabled, totp_last_step, language_suggestions, created_at, version`

// scanUser reads userColumns, then any columns after them into more.
func scanUser(row scanner, more ...any) (*alongside.User, error) {
	var u alongside.User
	var created int64
	err := row.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.Disabled, &u.TOTPSecret, &u.TOTPEnabled, &u.TOTPLastStep, &u.LanguageSuggestions, &created, &u.Version}, more...)...)
	if err != nil {
		return nil, err
	}
	u.CreatedAt = fromMS(created)
	return &u, nil
}

// User returns the user with the given id.
func (s *Accounts) User(ctx context.Context, id int64) (*alongside.User, error) {
	u, err := scanUser(s.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", id))
	if err == sql.ErrNoRows {
		return nil, notFound("person")
	}
	return u, err
}

// Person returns a person with the service their records are audited
// under: the first service they use (0 if they use none now). One query,
// as every request about a person needs both.
func (s *Accounts) Person(ctx context.Context, id int64) (*alongside.User, int64, error) {
	var service int64
	u, err := scanUser(s.queryRow(ctx, "SELECT "+userColumns+`, COALESCE((SELECT m.service_id FROM memberships m
		WHERE m.user_id = users.id AND m.role = $2 ORDER BY m.id LIMIT 1), 0) FROM users WHERE id = $1`, id, alongside.RolePerson), &service)
	if err == sql.ErrNoRows {
		return nil, 0, notFound("person")
	}
	return u, service, err
}

// SelfAsPerson is Person for the actor's own id, taken from what the actor
// already holds (their user row and memberships, read with their session
// in this request), so that a person's own pages need no query for it.
// The service is Person's: that of their first membership as a person.
func SelfAsPerson(a *alongside.Actor) (*alongside.User, int64) {
	u := a.User
	var service int64
	first := int64(0)
	for _, m := range a.Memberships {
		if m.Role == alongside.RolePerson && (first == 0 || m.ID < first) {
			first, service = m.ID, m.ServiceID
		}
	}
	return &u, service
}

// UserByEmail returns the user whose login is email (any case).
func (s *Accounts) UserByEmail(ctx context.Context, email string) (*alongside.User, error) {
	u, err := scanUser(s.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE email = $1", alongside.NormaliseEmail(email)))
	if err == sql.ErrNoRows {
		return nil, notFound("account")
	}
	return u, err
}

// insertUser adds a user within tx and audits it.
func (tx *Tx) insertUser(u *alongside.User, orgID, serviceID int64) error {
	if err := u.Validate(); err != nil {
		return err
	}
	u.CreatedAt, u.Version = tx.now, 1
	err := tx.QueryRowContext(tx.ctx, `INSERT INTO users (email, name, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		u.Email, u.Name, u.PasswordHash, ms(tx.now)).Scan(&u.ID)
	if tx.s.dialect.isUnique(err) {
		return alongside.Invalid(map[string]string{"email": "An account with this email address already exists."})
	} else if err != nil {
		return err
	}
	return tx.audit("user.create", "user", u.ID, orgID, serviceID, u.Email)
}

// placeRole checks a role and where it is. The organisation of a service
// role is taken from the service, so the two cannot disagree.
func (tx *Tx) placeRole(m *alongside.Membership) error {
	if !m.Role.Valid() {
		return alongside.Invalid(map[string]string{"role": "Choose a role."})
	}
	switch m.Role.Scope() {
	case "deployment":
		m.OrgID, m.ServiceID = 0, 0
	case "organisation":
		m.ServiceID = 0
		if m.OrgID == 0 {
			return alongside.Invalid(map[string]string{"org": "Choose an organisation."})
		}
	default:
		if m.ServiceID == 0 {
			return alongside.Invalid(map[string]string{"service": "Choose a service for this role."})
		}
		if err := tx.QueryRowContext(tx.ctx, "SELECT org_id FROM services WHERE id = $1", m.ServiceID).Scan(&m.OrgID); err == sql.ErrNoRows {
			return alongside.Invalid(map[string]string{"service": "Choose a service for this role."})
		} else if err != nil {
			return err
		}
	}
	return nil
}

// insertMembership adds a role within tx and audits it.
func (tx *Tx) insertMembership(m *alongside.Membership) error {
	if err := tx.placeRole(m); err != nil {
		return err
	}
	m.CreatedAt = tx.now
	err := tx.QueryRowContext(tx.ctx, `INSERT INTO memberships (user_id, role, org_id, service_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		m.UserID, string(m.Role), nullID(m.OrgID), nullID(m.ServiceID), ms(tx.now)).Scan(&m.ID)
	if tx.s.dialect.isUnique(err) {
		return alongside.Invalid(map[string]string{"role": "They already have this role here."})
	} else if err != nil {
		return err
	}
	if m.Role == alongside.RolePerson {
		// Someone who brings a plan from elsewhere chooses what this
		// service sees of it: nothing until they do.
		if _, err := tx.ExecContext(tx.ctx, `INSERT INTO plan_service_limits (person_id, service_id)
			SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM plan_sections WHERE person_id = $1) ON CONFLICT (person_id, service_id) DO NOTHING`, m.UserID, m.ServiceID); err != nil {
			return err
		}
	}
	return tx.audit("membership.add", "user", m.UserID, m.OrgID, m.ServiceID, string(m.Role))
}

// CreateUser adds a user, with their first roles, in one transaction. A
// PasswordHash set on u is stored (the command line and the demo use this);
// otherwise the user has no password until they follow an invitation link.
func (s *Accounts) CreateUser(ctx context.Context, u *alongside.User, roles ...alongside.Membership) error {
	return s.write(ctx, func(tx *Tx) error {
		var org, svc int64
		if len(roles) > 0 {
			org, svc = roles[0].OrgID, roles[0].ServiceID
		}
		if err := tx.insertUser(u, org, svc); err != nil {
			return err
		}
		for i := range roles {
			roles[i].UserID = u.ID
			if err := tx.insertMembership(&roles[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// UpdateUser changes a user's name and email, refusing a stale version.
func (s *Accounts) UpdateUser(ctx context.Context, u *alongside.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET name = $1, email = $2, version = version + 1 WHERE id = $3 AND version = $4`,
			u.Name, u.Email, u.ID, u.Version)
		if tx.s.dialect.isUnique(err) {
			return alongside.Invalid(map[string]string{"email": "An account with this email address already exists."})
		} else if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return alongside.Errorf(alongside.ECONFLICT, "Someone else changed this account while you were editing it. Your changes have not been saved; check the current details and try again.")
		}
		u.Version++
		return tx.audit("user.update", "user", u.ID, 0, 0, u.Email)
	})
}

// SetPassword stores a new password hash and ends every session of the user,
// so a reset locks out whoever knew the old password.
func (s *Accounts) SetPassword(ctx context.Context, userID int64, hash string) error {
	return s.write(ctx, func(tx *Tx) error { return tx.setPassword(userID, hash) })
}

func (tx *Tx) setPassword(userID int64, hash string) error {
	if _, err := tx.ExecContext(tx.ctx, "UPDATE users SET password_hash = $1, version = version + 1 WHERE id = $2", hash, userID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(tx.ctx, "DELETE FROM sessions WHERE user_id = $1", userID); err != nil {
		return err
	}
	return tx.audit("user.password", "user", userID, 0, 0, "")
}

// UpgradePasswordHash replaces a password hash with a fresh one of the same
// password, made at sign-in with current settings. Unlike SetPassword it
// ends no session, and it changes nothing if the hash is no longer old
// (the password was changed meanwhile).
func (s *Accounts) UpgradePasswordHash(ctx context.Context, userID int64, old, hash string) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3", hash, userID, old)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return tx.audit("user.password_rehash", "user", userID, 0, 0, "")
	})
}

// SetDisabled disables or re-enables an account. Disabling ends its sessions
// and its unused links at once.
func (s *Accounts) SetDisabled(ctx context.Context, userID int64, disabled bool) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE users SET disabled = $1, version = version + 1 WHERE id = $2", disabled, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return notFound("account")
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
			if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", userID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE one_time_links SET used_at = $1 WHERE user_id = $2 AND used_at = 0", ms(tx.now), userID); err != nil {
				return err
			}
		}
		return tx.audit(action, "user", userID, 0, 0, "")
	})
}

// AddMembership gives a user a role.
func (s *Accounts) AddMembership(ctx context.Context, m *alongside.Membership) error {
	return s.write(ctx, func(tx *Tx) error { return tx.insertMembership(m) })
}

// RemoveMembership takes a role away. A practitioner or person leaving a
// service also leaves their allocations there, so access ends with the role.
func (s *Accounts) RemoveMembership(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *Tx) error {
		var m alongside.Membership
		var org, svc sql.NullInt64
		var role string
		err := tx.QueryRowContext(ctx, "SELECT user_id, role, org_id, service_id FROM memberships WHERE id = $1", id).Scan(&m.UserID, &role, &org, &svc)
		if err == sql.ErrNoRows {
			return notFound("role")
		} else if err != nil {
			return err
		}
		m.Role, m.OrgID, m.ServiceID = alongside.Role(role), org.Int64, svc.Int64
		if _, err := tx.ExecContext(ctx, "DELETE FROM memberships WHERE id = $1", id); err != nil {
			return err
		}
		switch m.Role {
		case alongside.RolePractitioner:
			_, err = tx.ExecContext(ctx, "DELETE FROM allocations WHERE practitioner_id = $1 AND service_id = $2", m.UserID, m.ServiceID)
		case alongside.RolePerson:
			// Leaving a service ends its practitioners' access, an emergency
			// opening included; the plan stays with the person.
			if _, err = tx.ExecContext(ctx, "DELETE FROM allocations WHERE person_id = $1 AND service_id = $2", m.UserID, m.ServiceID); err == nil {
				_, err = tx.ExecContext(ctx, "UPDATE break_glass SET expires_at = $1 WHERE person_id = $2 AND service_id = $3 AND expires_at > $1",
					ms(tx.now), m.UserID, m.ServiceID)
			}
		}
		if err != nil {
			return err
		}
		return tx.audit("membership.remove", "user", m.UserID, m.OrgID, m.ServiceID, role)
	})
}

const membershipSelect = `SELECT m.id, m.user_id, m.role, COALESCE(m.org_id, 0), COALESCE(m.service_id, 0), m.created_at,
	COALESCE(o.name, ''), COALESCE(o.require_staff_mfa, FALSE), COALESCE(sv.name, ''), u.name, u.email
	FROM memberships m JOIN users u ON u.id = m.user_id
	LEFT JOIN organisations o ON o.id = m.org_id LEFT JOIN services sv ON sv.id = m.service_id `

func (s *Accounts) queryMemberships(ctx context.Context, where string, args ...any) ([]alongside.Membership, error) {
	rows, err := s.query(ctx, membershipSelect+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alongside.Membership
	for rows.Next() {
		var m alongside.Membership
		var role string
		var created int64
		if err := rows.Scan(&m.ID, &m.UserID, &role, &m.OrgID, &m.ServiceID, &created, &m.OrgName, &m.OrgRequiresMFA, &m.ServiceName, &m.UserName, &m.UserEmail); err != nil {
			return nil, err
		}
		m.Role, m.CreatedAt = alongside.Role(role), fromMS(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

// MembershipsOf returns a user's roles.
func (s *Accounts) MembershipsOf(ctx context.Context, userID int64) ([]alongside.Membership, error) {
	return s.queryMemberships(ctx, "WHERE m.user_id = $1 ORDER BY m.id", userID)
}

// Membership returns one role by id.
func (s *Accounts) Membership(ctx context.Context, id int64) (*alongside.Membership, error) {
	ms, err := s.queryMemberships(ctx, "WHERE m.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, notFound("role")
	}
	return &ms[0], nil
}

// ServiceMembers returns the members of a service with the given role, by name.
func (s *Accounts) ServiceMembers(ctx context.Context, serviceID int64, role alongside.Role) ([]alongside.Membership, error) {
	return s.queryMemberships(ctx, "WHERE m.service_id = $1 AND m.role = $2 ORDER BY u.name", serviceID, string(role))
}

// OrgMemberships returns every role held within an organisation, by person.
func (s *Accounts) OrgMemberships(ctx context.Context, orgID int64) ([]alongside.Membership, error) {
	return s.queryMemberships(ctx, "WHERE m.org_id = $1 ORDER BY u.name, m.role, sv.name", orgID)
}

// OrgUser is a user as an organisation administrator sees them.
type OrgUser struct {
	alongside.User
	Roles []alongside.Membership
}

// OrgUsers lists the users who hold a role in the organisation, each with
// their roles there, optionally filtered by a name or email fragment.
func (s *Accounts) OrgUsers(ctx context.Context, orgID int64, q string) ([]OrgUser, error) {
	ms, err := s.OrgMemberships(ctx, orgID)
	if err != nil {
		return nil, err
	}
	q = strings.ToLower(strings.TrimSpace(q))
	idx := map[int64]int{}
	var out []OrgUser
	for _, m := range ms {
		if q != "" && !strings.Contains(strings.ToLower(m.UserName), q) && !strings.Contains(m.UserEmail, q) {
			continue
		}
		i, ok := idx[m.UserID]
		if !ok {
			i = len(out)
			idx[m.UserID] = i
			out = append(out, OrgUser{})
		}
		out[i].Roles = append(out[i].Roles, m)
	}
	// The users' own details, in one query rather than one per user.
	rows, err := s.query(ctx, "SELECT "+userColumns+" FROM users WHERE id IN (SELECT user_id FROM memberships WHERE org_id = $1)", orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		if i, ok := idx[u.ID]; ok {
			out[i].User = *u
		}
	}
	return out, rows.Err()
}
