package sqlstore

import (
	"context"
	"database/sql"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
)

// issueLink creates a one-time link for a user within tx. Earlier unused
// sign-in links of the same user are spent, so only the newest one works.
// subjectID names the person a supporter's link is for (0 otherwise).
func (tx *Tx) issueLink(purpose alongside.LinkPurpose, userID, subjectID int64) (string, error) {
	if _, err := tx.ExecContext(tx.ctx, "UPDATE one_time_links SET used_at = $1 WHERE user_id = $2 AND used_at = 0 AND purpose <> $3",
		ms(tx.now), userID, string(alongside.LinkSupporterJoin)); err != nil {
		return "", err
	}
	token := auth.NewToken()
	o := alongside.OriginFrom(tx.ctx)
	_, err := tx.ExecContext(tx.ctx, `INSERT INTO one_time_links (token_hash, purpose, user_id, subject_id, created_by, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, auth.HashToken(token), string(purpose), userID, nullID(subjectID), nullID(o.ActorID), ms(tx.now), ms(tx.now.Add(alongside.LinkLifetime)))
	if err != nil {
		return "", err
	}
	return token, tx.audit("link.issue", "user", userID, 0, 0, string(purpose))
}

// IssueLink creates an invitation or reset link for an existing user.
func (s *Store) IssueLink(ctx context.Context, purpose alongside.LinkPurpose, userID int64) (token string, err error) {
	err = s.write(ctx, func(tx *Tx) error {
		token, err = tx.issueLink(purpose, userID, 0)
		return err
	})
	return token, err
}

var linkGone = alongside.Errorf(alongside.ENOTFOUND, "This link has expired or has already been used. Ask the person who sent it for a new one.")

// Link returns the unused, unexpired link for a token, with its user.
func (s *Store) Link(ctx context.Context, token string) (*alongside.OneTimeLink, *alongside.User, error) {
	var l alongside.OneTimeLink
	var purpose string
	var createdBy sql.NullInt64
	var created, expires, used int64
	err := s.queryRow(ctx, `SELECT token_hash, purpose, user_id, created_by, created_at, expires_at, used_at
		FROM one_time_links WHERE token_hash = $1`, auth.HashToken(token)).
		Scan(&l.TokenHash, &purpose, &l.UserID, &createdBy, &created, &expires, &used)
	if err == sql.ErrNoRows {
		return nil, nil, linkGone
	} else if err != nil {
		return nil, nil, err
	}
	l.Purpose, l.CreatedBy = alongside.LinkPurpose(purpose), createdBy.Int64
	l.CreatedAt, l.ExpiresAt, l.UsedAt = fromMS(created), fromMS(expires), fromMS(used)
	if used != 0 || !s.Clock.Now().Before(l.ExpiresAt) {
		return nil, nil, linkGone
	}
	u, err := s.User(ctx, l.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Disabled {
		return nil, nil, linkGone
	}
	return &l, u, nil
}

// spendLink marks a link used within tx; a second use (two tabs, a double
// click) finds it spent and fails.
func (tx *Tx) spendLink(token string) (*alongside.OneTimeLink, error) {
	var l alongside.OneTimeLink
	var purpose string
	var subject sql.NullInt64
	err := tx.QueryRowContext(tx.ctx, `UPDATE one_time_links SET used_at = $1
		WHERE token_hash = $2 AND used_at = 0 AND expires_at > $1 RETURNING purpose, user_id, subject_id`, ms(tx.now), auth.HashToken(token)).
		Scan(&purpose, &l.UserID, &subject)
	if err == sql.ErrNoRows {
		return nil, linkGone
	} else if err != nil {
		return nil, err
	}
	l.Purpose, l.SubjectID = alongside.LinkPurpose(purpose), subject.Int64
	return &l, nil
}

// UseLink spends a link. If passwordHash is set, it becomes the user's
// password; a supporter's invitation is accepted. It returns the user id.
func (s *Store) UseLink(ctx context.Context, token, passwordHash string) (userID int64, err error) {
	err = s.write(ctx, func(tx *Tx) error {
		l, err := tx.spendLink(token)
		if err != nil {
			return err
		}
		userID = l.UserID
		if passwordHash != "" {
			if err := tx.setPassword(l.UserID, passwordHash); err != nil {
				return err
			}
		}
		if l.Purpose == alongside.LinkSupporterJoin {
			// Only the invitation this link was for: a supporter invited by
			// two people accepts each separately.
			if _, err := tx.ExecContext(ctx, "UPDATE supporters SET accepted_at = $1 WHERE supporter_id = $2 AND person_id = $3 AND accepted_at = 0",
				ms(tx.now), l.UserID, l.SubjectID); err != nil {
				return err
			}
		}
		return tx.audit("link.use", "user", l.UserID, 0, 0, string(l.Purpose))
	})
	return userID, err
}

// InviteUser creates an account with its first role and returns an
// invitation link for the user to set their own password. This is how staff
// are added and how a practitioner invites a person; a practitioner who
// invites a person is allocated to them in the same transaction.
func (s *Store) InviteUser(ctx context.Context, u *alongside.User, role alongside.Membership, allocateTo int64) (token string, err error) {
	err = s.write(ctx, func(tx *Tx) error {
		if err := tx.insertUser(u, role.OrgID, role.ServiceID); err != nil {
			return err
		}
		role.UserID = u.ID
		if err := tx.insertMembership(&role); err != nil {
			return err
		}
		if allocateTo != 0 {
			if ok, err := tx.hasRole(allocateTo, alongside.RolePractitioner, role.ServiceID); err != nil {
				return err
			} else if !ok {
				return alongside.Errorf(alongside.EFORBIDDEN, "Only a practitioner of this service can be allocated here.")
			}
			var id int64
			if err := tx.QueryRowContext(ctx, "INSERT INTO allocations (service_id, practitioner_id, person_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
				role.ServiceID, allocateTo, u.ID, ms(tx.now)).Scan(&id); err != nil {
				return err
			}
			if err := tx.audit("allocation.add", "person", u.ID, role.OrgID, role.ServiceID, "practitioner "+itoa(allocateTo)); err != nil {
				return err
			}
		}
		token, err = tx.issueLink(alongside.LinkInvite, u.ID, 0)
		return err
	})
	return token, err
}

// InviteSupporter records a person's invitation of a supporter and returns
// the link to send them. A new supporter gets an account to set up; someone
// who already has one simply accepts.
func (s *Store) InviteSupporter(ctx context.Context, personID int64, name, email string, rel alongside.SupporterRelationship) (token string, err error) {
	f := map[string]string{}
	if !rel.Valid() {
		f["relationship"] = "Choose who this person is to you."
	}
	u := &alongside.User{Name: name, Email: email}
	if err := u.Validate(); err != nil {
		for k, v := range alongside.FieldErrors(err) {
			f[k] = v
		}
	}
	if len(f) > 0 {
		return "", alongside.Invalid(f)
	}
	err = s.write(ctx, func(tx *Tx) error {
		existing, err := scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE email = $1", u.Email))
		switch {
		case err == sql.ErrNoRows:
			if err := tx.insertUser(u, 0, 0); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			u = existing
		}
		if u.ID == personID {
			return alongside.Invalid(map[string]string{"email": "Enter your supporter's email address, not your own."})
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO supporters (person_id, supporter_id, relationship, created_at) VALUES ($1, $2, $3, $4)",
			personID, u.ID, string(rel), ms(tx.now))
		if s.dialect.isUnique(err) {
			return alongside.Invalid(map[string]string{"email": "You have already invited this supporter."})
		} else if err != nil {
			return err
		}
		// The invitation belongs in the audit log of the person's service.
		var serviceID sql.NullInt64
		if err := tx.QueryRowContext(ctx, "SELECT MIN(service_id) FROM memberships WHERE user_id = $1 AND role = 'person'", personID).Scan(&serviceID); err != nil {
			return err
		}
		if err := tx.audit("supporter.invite", "person", personID, 0, serviceID.Int64, string(rel)); err != nil {
			return err
		}
		token, err = tx.issueLink(alongside.LinkSupporterJoin, u.ID, personID)
		return err
	})
	return token, err
}

// Supporters lists a person's supporters, accepted or still invited.
func (s *Store) Supporters(ctx context.Context, personID int64) ([]alongside.SupporterLink, error) {
	return s.querySupporters(ctx, "WHERE sp.person_id = $1 ORDER BY su.name", personID)
}

func (s *Store) querySupporters(ctx context.Context, where string, args ...any) ([]alongside.SupporterLink, error) {
	rows, err := s.query(ctx, `SELECT sp.id, sp.person_id, sp.supporter_id, sp.relationship, sp.created_at, sp.accepted_at, pe.name, su.name, su.email
		FROM supporters sp JOIN users pe ON pe.id = sp.person_id JOIN users su ON su.id = sp.supporter_id `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []alongside.SupporterLink
	for rows.Next() {
		var l alongside.SupporterLink
		var rel string
		var created, accepted int64
		if err := rows.Scan(&l.ID, &l.PersonID, &l.SupporterID, &rel, &created, &accepted, &l.PersonName, &l.SupporterName, &l.SupporterEmail); err != nil {
			return nil, err
		}
		l.Relationship, l.CreatedAt, l.AcceptedAt = alongside.SupporterRelationship(rel), fromMS(created), fromMS(accepted)
		out = append(out, l)
	}
	return out, rows.Err()
}
