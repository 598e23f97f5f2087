package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// orgRoles are the roles an organisation administrator can give.
var orgRoles = []alongside.Role{alongside.RoleOrgAdmin, alongside.RoleNetworkLead, alongside.RoleServiceManager, alongside.RolePractitioner, alongside.RolePerson}

type usersData struct {
	Org   *alongside.Organisation
	Users []sqlstore.OrgUser
	Query string
}

func (s *Server) orgUsers(w http.ResponseWriter, r *http.Request, c *call) error {
	q := r.URL.Query().Get("q")
	users, err := s.store.Accounts.OrgUsers(r.Context(), c.org.ID, q)
	if err != nil {
		return err
	}
	return s.render(w, r, c, http.StatusOK, "users", page{Title: "People and roles", Data: usersData{Org: c.org, Users: users, Query: q}})
}

type userFormData struct {
	Org      *alongside.Organisation
	Services []alongside.Service
	Roles    []alongside.Role
}

func (s *Server) userFormPage(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	svs, err := s.store.Organisations.Services(r.Context(), c.org.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, c, status, "user_new", page{Title: "Add someone", Form: f, Data: userFormData{Org: c.org, Services: svs, Roles: orgRoles}})
}

func (s *Server) newUserForm(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.userFormPage(w, r, c, http.StatusOK, newForm(r))
}

// roleFromForm reads a role and its service, checking the service belongs
// to this organisation.
func (s *Server) roleFromForm(r *http.Request, c *call, f *Form) (alongside.Membership, bool) {
	m := alongside.Membership{Role: alongside.Role(f.Get("role")), OrgID: c.org.ID}
	ok := false
	for _, x := range orgRoles {
		ok = ok || x == m.Role
	}
	if !ok {
		f.Add("role", "Choose a role.")
		return m, false
	}
	if m.Role.Scope() == "service" {
		id, _ := strconv.ParseInt(f.Get("service"), 10, 64)
		sv, err := s.store.Organisations.Service(r.Context(), id)
		if err != nil || sv.OrgID != c.org.ID {
			f.Add("service", "Choose the service this role is in.")
			return m, false
		}
		m.ServiceID = sv.ID
	}
	return m, true
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	u := &alongside.User{Name: f.Get("name"), Email: f.Get("email")}
	if err := u.Validate(); err != nil {
		f.Absorb(err, "name", "email")
	}
	m, ok := s.roleFromForm(r, c, f)
	if !ok || f.HasErrors() {
		return s.userFormPage(w, r, c, http.StatusUnprocessableEntity, f)
	}
	token, err := s.store.Links.InviteUser(r.Context(), u, m, 0)
	if f.Absorb(err, "name", "email", "role", "service") {
		return s.userFormPage(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	// The way back is the list, not the account, whose page would not open
	// for an account that only has an invitation here.
	return s.invitationPage(w, r, c, u, token, "You have been invited to Alongside",
		fmt.Sprintf("/orgs/%d/users", c.org.ID), "Back to people and roles")
}

type userData struct {
	Org      *alongside.Organisation
	User     *alongside.User
	Roles    []alongside.Membership
	Services []alongside.Service
	AllRoles []alongside.Role
	CanLink  bool // the actor may make a sign-in link for them
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	ms, err := s.store.Accounts.MembershipsOf(r.Context(), c.member.ID)
	if err != nil {
		return err
	}
	svs, err := s.store.Organisations.Services(r.Context(), c.org.ID)
	if err != nil {
		return err
	}
	canLink, err := s.mayMakeLinkFor(r, c, c.member, ms)
	if err != nil {
		return err
	}
	var here []alongside.Membership
	for _, m := range ms {
		if m.OrgID == c.org.ID {
			here = append(here, m)
		}
	}
	// The details form starts from the saved details unless it is the form
	// being sent back (it alone carries a version).
	if f.Get("version") == "" {
		f.Set("name", c.member.Name)
		f.Set("email", c.member.Email)
		f.Set("version", strconv.Itoa(c.member.Version))
	}
	return s.render(w, r, c, status, "user", page{Title: c.member.Name, Form: f, Data: userData{Org: c.org, User: c.member, Roles: here, Services: svs, AllRoles: orgRoles, CanLink: canLink}})
}

func (s *Server) orgUser(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.userPage(w, r, c, http.StatusOK, newForm(r))
}

func (s *Server) userURL(c *call) string {
	return fmt.Sprintf("/orgs/%d/users/%d", c.org.ID, c.member.ID)
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	u := *c.member
	u.Name, u.Email = f.Get("name"), f.Get("email")
	u.Version, _ = strconv.Atoi(f.Get("version"))
	newEmail := alongside.NormaliseEmail(u.Email)
	// A new email waits for the link sent to it, so that whether another
	// account has the address is told to nobody here. Without a mailer
	// there is nobody to send it to: the change is made at once, as it
	// always was, only for an account with a role in this organisation,
	// which the administrator looks after; any other account's holder
	// changes it on their own account page.
	direct := newEmail == c.member.Email
	if !direct && s.cfg.Mailer == nil {
		ms, err := s.store.Accounts.MembershipsOf(r.Context(), c.member.ID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			direct = direct || m.OrgID == c.org.ID
		}
		if !direct {
			f.Add("email", "This server cannot send email, so only the account's holder can change this address, from their own account page.")
			return s.userPage(w, r, c, http.StatusUnprocessableEntity, f)
		}
	}
	if !direct {
		if msg := alongside.ValidateEmail(strings.TrimSpace(u.Email)); msg != "" {
			f.Add("email", msg)
			return s.userPage(w, r, c, http.StatusUnprocessableEntity, f)
		}
		u.Email = c.member.Email
	}
	if err := s.store.Accounts.UpdateUser(r.Context(), &u); f.Absorb(err, "name", "email") {
		f.OnConflict(err, c.member.Version)
		return s.userPage(w, r, c, http.StatusConflict, f)
	} else if err != nil {
		return err
	}
	if direct {
		return redirect(w, r, s.userURL(c), "Details saved.")
	}
	ch, err := s.requestEmailChange(r, &u, newEmail)
	if err != nil {
		return err
	}
	if ch.EmailFailed {
		setFlash(w, "warning", "Details saved. We could not send the email to "+ch.To+" just now, so the email address has not changed. Please try again in a few minutes.")
		http.Redirect(w, r, s.userURL(c), http.StatusSeeOther)
		return nil
	}
	return redirect(w, r, s.userURL(c), "Details saved. We have sent a link to "+ch.To+". The email changes when it is opened.")
}

func (s *Server) addRole(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	m, ok := s.roleFromForm(r, c, f)
	if ok {
		m.UserID = c.member.ID
		err := s.store.Accounts.AddMembership(r.Context(), &m)
		if !f.Absorb(err, "role", "service") && err != nil {
			return err
		}
	}
	if f.HasErrors() {
		return s.userPage(w, r, c, http.StatusUnprocessableEntity, f)
	}
	return redirect(w, r, s.userURL(c), m.Role.Label()+" role added.")
}

func (s *Server) removeRole(w http.ResponseWriter, r *http.Request, c *call) error {
	if c.membership.UserID == c.actor.User.ID && c.membership.Role == alongside.RoleOrgAdmin {
		return alongside.Errorf(alongside.EINVALID, "You cannot remove your own administrator role. Ask another administrator to do it.")
	}
	if err := s.store.Accounts.RemoveMembership(r.Context(), c.membership.ID); err != nil {
		return err
	}
	return redirect(w, r, s.userURL(c), c.membership.Role.Label()+" role removed.")
}

// issueResetLink makes a fresh invitation for someone who lost theirs.
func (s *Server) issueResetLink(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.checkLinkFor(r, c, c.member, nil); err != nil {
		return err
	}
	token, err := s.store.Links.IssueLink(r.Context(), alongside.LinkInvite, c.member.ID)
	if err != nil {
		return err
	}
	return s.issueLinkPage(w, r, c, "New sign-in link for "+c.member.Name, c.member, token, "Set a new password for Alongside", s.userURL(c), "Back to "+c.member.Name)
}

func (s *Server) disableUser(w http.ResponseWriter, r *http.Request, c *call) error {
	if c.member.ID == c.actor.User.ID {
		return alongside.Errorf(alongside.EINVALID, "You cannot disable your own account.")
	}
	if err := s.store.Accounts.SetDisabled(r.Context(), c.member.ID, true); err != nil {
		return err
	}
	return redirect(w, r, s.userURL(c), c.member.Name+"’s account is disabled and signed out everywhere.")
}

func (s *Server) enableUser(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.store.Accounts.SetDisabled(r.Context(), c.member.ID, false); err != nil {
		return err
	}
	return redirect(w, r, s.userURL(c), c.member.Name+"’s account is enabled again.")
}
