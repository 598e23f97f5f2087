package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
)

// Links stores one-time links and review invitations.
type Links struct {
	*db
	accounts *Accounts
	reviews  *Reviews
}

// issueLink creates a one-time link for a user within tx. Earlier unused
// sign-in links of the same user are spent, so only the newest one works.
// subjectID names the person a supporter's link is for (0 otherwise).
//
// A password already set is replaced only through a reset link made by no
// one else: the holder's own request, sent to their own email, or the
// operator's command line. A link made by another account for an account
// with a password would hand that account over.
func (tx *Tx) issueLink(purpose alongside.LinkPurpose, userID, subjectID int64) (string, error) {
	u, err := scanUser(tx.QueryRowContext(tx.ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", userID))
	if err == sql.ErrNoRows {
		return "", notFound("user")
	} else if err != nil {
		return "", err
	}
	o := alongside.OriginFrom(tx.ctx)
	if !linkSetsPassword(purpose, o.ActorID, u) {
		return "", errHasPassword
	}
	kind, err := tx.accountKind(userID)
	if err != nil {
		return "", err
	}
	// A new email link spends only earlier email links, and a sign-in link
	// only earlier sign-in links.
	same := "purpose = 'email'"
	if purpose != alongside.LinkEmail {
		same = "purpose NOT IN ('email', 'supporter_join')"
	}
	if _, err := tx.ExecContext(tx.ctx, "UPDATE one_time_links SET used_at = $1 WHERE user_id = $2 AND used_at = 0 AND "+same,
		ms(tx.now), userID); err != nil {
		return "", err
	}
	token := auth.NewToken()
	_, err = tx.ExecContext(tx.ctx, `INSERT INTO one_time_links (token_hash, purpose, user_id, subject_id, created_by, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, auth.HashToken(token), string(purpose), userID, nullID(subjectID), nullID(o.ActorID), ms(tx.now), ms(tx.now.Add(alongside.LinkLifetime)))
	if err != nil {
		return "", err
	}
	return token, tx.audit("link.issue", kind, userID, 0, 0, string(purpose))
}

// accountKind is the audit target kind for an account's link events: a
// person's belong on their own "who has looked" page, anyone else's on
// their account page.
func (tx *Tx) accountKind(userID int64) (string, error) {
	var person bool
	err := tx.QueryRowContext(tx.ctx, "SELECT EXISTS (SELECT 1 FROM memberships WHERE user_id = $1 AND role = 'person')", userID).Scan(&person)
	if person {
		return "person", err
	}
	return "user", err
}

var errHasPassword = alongside.Errorf(alongside.EFORBIDDEN,
	"This account already has a password, so only its holder can change it. If they have forgotten it, they can ask for a reset from the sign-in page; it goes to their own email.")

// IssueLink creates an invitation or reset link for an existing user.
func (s *Links) IssueLink(ctx context.Context, purpose alongside.LinkPurpose, userID int64) (token string, err error) {
	err = s.write(ctx, func(tx *Tx) error {
		token, err = tx.issueLink(purpose, userID, 0)
		return err
	})
	return token, err
}

// linkSetsPassword: an email link sets no password. A link for an account
// that has a password works only as a reset the holder asked for (or the
// operator made); any other link made before the password was set has lost
// its use.
func linkSetsPassword(purpose alongside.LinkPurpose, createdBy int64, u *alongside.User) bool {
	return purpose == alongside.LinkEmail || !u.HasPassword() || (purpose == alongside.LinkReset && (createdBy == 0 || createdBy == u.ID))
}

var linkGone = alongside.Errorf(alongside.ENOTFOUND, "This link has expired or has already been used. Ask the person who sent it for a new one.")

// Link returns the unused, unexpired link for a token, with its user.
func (s *Links) Link(ctx context.Context, token string) (*alongside.OneTimeLink, *alongside.User, error) {
	var l alongside.OneTimeLink
	var purpose string
	var createdBy sql.NullInt64
	var created, expires, used int64
	err := s.queryRow(ctx, `SELECT token_hash, purpose, user_id, created_by, created_at, expires_at, used_at, new_email
		FROM one_time_links WHERE token_hash = $1`, auth.HashToken(token)).
		Scan(&l.TokenHash, &purpose, &l.UserID, &createdBy, &created, &expires, &used, &l.NewEmail)
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
	u, err := s.accounts.User(ctx, l.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Disabled || !linkSetsPassword(l.Purpose, l.CreatedBy, u) {
		return nil, nil, linkGone
	}
	return &l, u, nil
}

// spendLink marks a link used within tx; a second use (two tabs, a double
// click) finds it spent and fails. So does a link that may no longer set
// the account's password.
func (tx *Tx) spendLink(token string) (*alongside.OneTimeLink, *alongside.User, error) {
	var l alongside.OneTimeLink
	var purpose string
	var subject, createdBy sql.NullInt64
	err := tx.QueryRowContext(tx.ctx, `UPDATE one_time_links SET used_at = $1
		WHERE token_hash = $2 AND used_at = 0 AND expires_at > $1 RETURNING purpose, user_id, subject_id, created_by`, ms(tx.now), auth.HashToken(token)).
		Scan(&purpose, &l.UserID, &subject, &createdBy)
	if err == sql.ErrNoRows {
		return nil, nil, linkGone
	} else if err != nil {
		return nil, nil, err
	}
	l.Purpose, l.SubjectID, l.CreatedBy = alongside.LinkPurpose(purpose), subject.Int64, createdBy.Int64
	u, err := scanUser(tx.QueryRowContext(tx.ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", l.UserID))
	if err != nil {
		return nil, nil, err
	}
	if u.Disabled || !linkSetsPassword(l.Purpose, l.CreatedBy, u) {
		return nil, nil, linkGone
	}
	return &l, u, nil
}

// UseLink spends a link: passwordHash becomes the user's password, and a new
// supporter's invitation is accepted. It returns the user id.
func (s *Links) UseLink(ctx context.Context, token, passwordHash string) (userID int64, err error) {
	err = s.write(ctx, func(tx *Tx) error {
		l, u, err := tx.spendLink(token)
		if err != nil {
			return err
		}
		kind, err := tx.accountKind(u.ID)
		if err != nil {
			return err
		}
		userID = l.UserID
		if l.Purpose == alongside.LinkEmail {
			return linkGone
		}
		if passwordHash == "" {
			return alongside.Invalid(map[string]string{"password": "Choose a password."})
		}
		if err := tx.setPassword(l.UserID, passwordHash); err != nil {
			return err
		}
		if l.Purpose == alongside.LinkSupporterJoin {
			// Only the invitation this link was for: a supporter invited by
			// two people accepts each separately.
			if _, err := tx.ExecContext(ctx, "UPDATE supporters SET accepted_at = $1 WHERE supporter_id = $2 AND person_id = $3 AND accepted_at = 0",
				ms(tx.now), l.UserID, l.SubjectID); err != nil {
				return err
			}
		}
		return tx.audit("link.use", kind, l.UserID, 0, 0, string(l.Purpose))
	})
	return userID, err
}

// InviteUser creates an account with its first role and returns an
// invitation link for the user to set their own password. This is how staff
// are added and how a practitioner invites a person; a practitioner who
// invites a person is allocated to them in the same transaction.
//
// An email that already has an account with a role (or a role waiting) in
// the organisation is refused plainly, as the one adding them can see them
// already. An account with none there is not revealed: the role waits as a
// RoleRequest for its holder's answer, no link is made (it would hand the
// account over), and the token returned is empty.
func (s *Links) InviteUser(ctx context.Context, u *alongside.User, role alongside.Membership, allocateTo int64) (token string, err error) {
	if err := u.Validate(); err != nil {
		return "", err
	}
	err = s.write(ctx, func(tx *Tx) error {
		if err := tx.placeRole(&role); err != nil {
			return err
		}
		if allocateTo != 0 {
			if ok, err := tx.hasRole(allocateTo, alongside.RolePractitioner, role.ServiceID); err != nil {
				return err
			} else if !ok {
				return alongside.Errorf(alongside.EFORBIDDEN, "Only a practitioner of this service can be allocated here.")
			}
		}
		var existing int64
		var here bool
		err := tx.QueryRowContext(ctx, `SELECT id, EXISTS (SELECT 1 FROM memberships WHERE user_id = users.id AND org_id = $2)
			OR EXISTS (SELECT 1 FROM role_requests WHERE user_id = users.id AND org_id = $2) FROM users WHERE email = $1`, u.Email, role.OrgID).Scan(&existing, &here)
		switch {
		case err == sql.ErrNoRows:
		case err != nil:
			return err
		case here:
			return alongside.Invalid(map[string]string{"email": "An account with this email address already exists."})
		default:
			return tx.requestRole(alongside.RoleRequest{Membership: alongside.Membership{UserID: existing, Role: role.Role, OrgID: role.OrgID, ServiceID: role.ServiceID}, AllocateTo: allocateTo})
		}
		if err := tx.insertUser(u, role.OrgID, role.ServiceID); err != nil {
			return err
		}
		role.UserID = u.ID
		if err := tx.insertMembership(&role); err != nil {
			return err
		}
		if allocateTo != 0 {
			if err := tx.allocate(role, allocateTo); err != nil {
				return err
			}
		}
		token, err = tx.issueLink(alongside.LinkInvite, u.ID, 0)
		return err
	})
	return token, err
}

// allocate allocates the practitioner to the person who has just taken the
// role m in their service.
func (tx *Tx) allocate(m alongside.Membership, practitioner int64) error {
	var id int64
	if err := tx.QueryRowContext(tx.ctx, "INSERT INTO allocations (service_id, practitioner_id, person_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
		m.ServiceID, practitioner, m.UserID, ms(tx.now)).Scan(&id); err != nil {
		return err
	}
	return tx.audit("allocation.add", "person", m.UserID, m.OrgID, m.ServiceID, "practitioner "+itoa(practitioner))
}

// InviteSupporter records a person's invitation of a supporter. A new
// supporter gets an account and the link to set it up. Someone who already
// has an account gets no link (it would hand their account to whoever holds
// it): the invitation waits until they sign in as themselves and answer it,
// and the token returned is empty.
func (s *Links) InviteSupporter(ctx context.Context, personID int64, name, email string, rel alongside.SupporterRelationship) (token string, err error) {
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
		// Invitations sent at once by one person take turns, so the count
		// below holds across app servers.
		if err := tx.hold(holdInvitingPerson, strconv.FormatInt(personID, 10)); err != nil {
			return err
		}
		var recent int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_events WHERE target_kind = 'person' AND target_id = $1 AND action = 'supporter.invite' AND at > $2",
			personID, ms(tx.now.Add(-alongside.SupporterInviteWindow))).Scan(&recent); err != nil {
			return err
		}
		if recent >= alongside.SupporterInvitesPerWindow {
			return alongside.Errorf(alongside.ETHROTTLED, "You have sent a lot of invitations today. You can invite more supporters tomorrow.")
		}
		existing, err := scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE email = $1", u.Email))
		isNew := err == sql.ErrNoRows
		switch {
		case isNew:
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
		if !isNew {
			return nil
		}
		token, err = tx.issueLink(alongside.LinkSupporterJoin, u.ID, personID)
		return err
	})
	return token, err
}

// SupporterRequests lists the invitations waiting for a user's answer.
func (s *Links) SupporterRequests(ctx context.Context, userID int64) ([]alongside.SupporterLink, error) {
	return s.querySupporters(ctx, "WHERE sp.supporter_id = $1 AND sp.accepted_at = 0 ORDER BY sp.id", userID)
}

// SupporterRequest returns one invitation by id, answered or not.
func (s *Links) SupporterRequest(ctx context.Context, id int64) (*alongside.SupporterLink, error) {
	ls, err := s.querySupporters(ctx, "WHERE sp.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return nil, notFound("invitation")
	}
	return &ls[0], nil
}

// AnswerSupporterRequest accepts or declines an invitation, as its
// addressee signed in. A declined invitation is removed, so the person may
// ask again later; an answered one cannot be answered twice.
func (s *Links) AnswerSupporterRequest(ctx context.Context, l *alongside.SupporterLink, accept bool) error {
	return s.write(ctx, func(tx *Tx) error {
		action := "supporter.accept"
		var res sql.Result
		var err error
		if accept {
			res, err = tx.ExecContext(ctx, "UPDATE supporters SET accepted_at = $1 WHERE id = $2 AND accepted_at = 0", ms(tx.now), l.ID)
		} else {
			// Sections the person chose to share ahead go with it.
			if _, err := tx.ExecContext(ctx, "DELETE FROM plan_grants WHERE link_id IN (SELECT id FROM supporters WHERE id = $1 AND accepted_at = 0)", l.ID); err != nil {
				return err
			}
			action = "supporter.decline"
			res, err = tx.ExecContext(ctx, "DELETE FROM supporters WHERE id = $1 AND accepted_at = 0", l.ID)
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return alongside.Errorf(alongside.ECONFLICT, "This invitation has already been answered.")
		}
		return tx.audit(action, "person", l.PersonID, 0, 0, string(l.Relationship))
	})
}

// Supporters lists a person's supporters, accepted or still invited.
func (s *Links) Supporters(ctx context.Context, personID int64) ([]alongside.SupporterLink, error) {
	return s.querySupporters(ctx, "WHERE sp.person_id = $1 ORDER BY su.name", personID)
}

func (s *Links) querySupporters(ctx context.Context, where string, args ...any) ([]alongside.SupporterLink, error) {
	rows, err := s.query(ctx, `SELECT sp.id, sp.person_id, sp.supporter_id, sp.relationship, sp.created_at, sp.accepted_at, sp.sharing_version, pe.name, su.name, su.email
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
		if err := rows.Scan(&l.ID, &l.PersonID, &l.SupporterID, &rel, &created, &accepted, &l.SharingVersion, &l.PersonName, &l.SupporterName, &l.SupporterEmail); err != nil {
			return nil, err
		}
		l.Relationship, l.CreatedAt, l.AcceptedAt = alongside.SupporterRelationship(rel), fromMS(created), fromMS(accepted)
		out = append(out, l)
	}
	return out, rows.Err()
}

// IsInvitedSupporter reports whether anyone has invited the user to
// support them, whether or not they have answered yet.
func (s *Links) IsInvitedSupporter(ctx context.Context, userID int64) (bool, error) {
	var ok bool
	err := s.queryRow(ctx, "SELECT EXISTS (SELECT 1 FROM supporters WHERE supporter_id = $1)", userID).Scan(&ok)
	return ok, err
}

// AccountLinkEvents lists, newest first, the sign-in links made for and
// used on an account that uses no service (a person's are on their own
// activity page).
func (s *Links) AccountLinkEvents(ctx context.Context, userID int64, limit int) ([]alongside.AuditEvent, error) {
	rows, err := s.query(ctx, auditSelect+" WHERE target_kind = 'user' AND target_id = $1 AND action IN ('link.issue', 'link.use') ORDER BY id DESC LIMIT $2", userID, limit)
	if err != nil {
		return nil, err
	}
	evs, _, err := scanAuditEvents(rows, limit)
	return evs, err
}

// RequestPasswordReset makes a reset link for the account with this email,
// to be sent to that email only, when it has a password to reset and is
// enabled. It returns no token (and no error) otherwise, so that the answer
// tells nobody whether the account exists; nor when a reset was asked for
// within the last ResetInterval, so the form cannot flood someone's inbox.
func (s *Links) RequestPasswordReset(ctx context.Context, email string) (token string, u *alongside.User, err error) {
	u, err = s.accounts.UserByEmail(ctx, email)
	if alongside.ErrorCode(err) == alongside.ENOTFOUND || (err == nil && (u.Disabled || !u.HasPassword())) {
		return "", nil, nil
	} else if err != nil {
		return "", nil, err
	}
	// Made by nobody signed in: the link goes only to the holder's email.
	ctx = alongside.WithOrigin(ctx, alongside.Origin{IP: alongside.OriginFrom(ctx).IP, RequestID: alongside.OriginFrom(ctx).RequestID})
	err = s.write(ctx, func(tx *Tx) error {
		var recent bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM one_time_links WHERE user_id = $1 AND purpose = $2 AND created_at > $3)",
			u.ID, string(alongside.LinkReset), ms(tx.now.Add(-alongside.ResetInterval))).Scan(&recent); err != nil || recent {
			return err
		}
		token, err = tx.issueLink(alongside.LinkReset, u.ID, 0)
		return err
	})
	return token, u, err
}

// RequestEmailChange makes a link that changes the user's email to email
// when it is opened, to be sent to that address. Whether an account already
// has the address is not looked at until then, so that the one asking is
// answered alike either way.
func (s *Links) RequestEmailChange(ctx context.Context, userID int64, email string) (token string, err error) {
	if msg := alongside.ValidateEmail(strings.TrimSpace(email)); msg != "" {
		return "", alongside.Invalid(map[string]string{"email": msg})
	}
	err = s.write(ctx, func(tx *Tx) error {
		if token, err = tx.issueLink(alongside.LinkEmail, userID, 0); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE one_time_links SET new_email = $1 WHERE token_hash = $2", alongside.NormaliseEmail(email), auth.HashToken(token))
		return err
	})
	return token, err
}

// ConfirmEmailChange spends an email link and makes its address the
// account's email. If another account has the address by now, nothing
// changes and changed is false; the link is spent all the same.
func (s *Links) ConfirmEmailChange(ctx context.Context, token string) (email string, changed bool, err error) {
	err = s.write(ctx, func(tx *Tx) error {
		l, _, err := tx.spendLink(token)
		if err != nil {
			return err
		}
		if l.Purpose != alongside.LinkEmail {
			return linkGone
		}
		if err := tx.QueryRowContext(ctx, "SELECT new_email FROM one_time_links WHERE token_hash = $1", auth.HashToken(token)).Scan(&email); err != nil {
			return err
		}
		kind, err := tx.accountKind(l.UserID)
		if err != nil {
			return err
		}
		// Looked at first, as a failed statement ends a PostgreSQL
		// transaction; a race to the address still fails on the unique index.
		var taken bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM users WHERE email = $1)", email).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return tx.audit("link.use", kind, l.UserID, 0, 0, "email taken")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET email = $1, version = version + 1 WHERE id = $2", email, l.UserID); err != nil {
			return err
		}
		changed = true
		if err := tx.audit("link.use", kind, l.UserID, 0, 0, string(alongside.LinkEmail)); err != nil {
			return err
		}
		return tx.audit("user.update", "user", l.UserID, 0, 0, email)
	})
	return email, changed, err
}
