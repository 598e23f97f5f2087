package sqlstore

import (
	"context"
	"database/sql"

	"github.com/alongside-recovery/alongside"
)

// requestRole keeps a role offered to an account with none in the
// organisation, for its holder to answer, and audits it on the account.
func (tx *Tx) requestRole(q alongside.RoleRequest) error {
	o := alongside.OriginFrom(tx.ctx)
	if _, err := tx.ExecContext(tx.ctx, `INSERT INTO role_requests (user_id, role, org_id, service_id, allocate_to, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, q.UserID, string(q.Role), q.OrgID, nullID(q.ServiceID), nullID(q.AllocateTo), nullID(o.ActorID), ms(tx.now)); err != nil {
		return err
	}
	kind, err := tx.accountKind(q.UserID)
	if err != nil {
		return err
	}
	return tx.audit("role.request", kind, q.UserID, q.OrgID, q.ServiceID, string(q.Role))
}

const roleRequestSelect = `SELECT q.id, q.user_id, q.role, q.org_id, COALESCE(q.service_id, 0), COALESCE(q.allocate_to, 0), q.created_at,
	o.name, COALESCE(sv.name, '') FROM role_requests q JOIN organisations o ON o.id = q.org_id LEFT JOIN services sv ON sv.id = q.service_id `

// RoleRequests lists the roles offered to a user, waiting for an answer.
func (s *Accounts) RoleRequests(ctx context.Context, userID int64) ([]alongside.RoleRequest, error) {
	rows, err := s.query(ctx, roleRequestSelect+"WHERE q.user_id = $1 ORDER BY q.id", userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alongside.RoleRequest
	for rows.Next() {
		q, err := scanRoleRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *q)
	}
	return out, rows.Err()
}

// RoleRequest returns one role offered and not yet answered.
func (s *Accounts) RoleRequest(ctx context.Context, id int64) (*alongside.RoleRequest, error) {
	q, err := scanRoleRequest(s.queryRow(ctx, roleRequestSelect+"WHERE q.id = $1", id))
	if err == sql.ErrNoRows {
		return nil, notFound("invitation")
	}
	return q, err
}

func scanRoleRequest(row scanner) (*alongside.RoleRequest, error) {
	var q alongside.RoleRequest
	var role string
	var created int64
	if err := row.Scan(&q.ID, &q.UserID, &role, &q.OrgID, &q.ServiceID, &q.AllocateTo, &created, &q.OrgName, &q.ServiceName); err != nil {
		return nil, err
	}
	q.Role, q.CreatedAt = alongside.Role(role), fromMS(created)
	return &q, nil
}

// AnswerRoleRequest accepts or declines a role offered, as its addressee
// signed in. Accepting makes the membership (and the allocation to the
// practitioner who invited a person, if they still work in the service);
// either way the request is gone, so it cannot be answered twice.
func (s *Accounts) AnswerRoleRequest(ctx context.Context, q *alongside.RoleRequest, accept bool) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM role_requests WHERE id = $1", q.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return alongside.Errorf(alongside.ECONFLICT, "This invitation has already been answered.")
		}
		action := "role.decline"
		if accept {
			action = "role.accept"
			m := q.Membership
			if err := tx.insertMembership(&m); err != nil {
				return err
			}
			if q.AllocateTo != 0 {
				if ok, err := tx.hasRole(q.AllocateTo, alongside.RolePractitioner, m.ServiceID); err != nil {
					return err
				} else if ok {
					if err := tx.allocate(m, q.AllocateTo); err != nil {
						return err
					}
				}
			}
		}
		kind, err := tx.accountKind(q.UserID)
		if err != nil {
			return err
		}
		return tx.audit(action, kind, q.UserID, q.OrgID, q.ServiceID, string(q.Role))
	})
}
