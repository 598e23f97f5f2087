package web

import (
	"net/http"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
)

// checkLinkFor refuses to make a sign-in link for an account unless the
// actor's authority covers every role it holds and it has no password yet
// (authz.MayMakeLinkFor). ms are the account's roles, when already read.
func (s *Server) checkLinkFor(r *http.Request, c *call, u *alongside.User, ms []alongside.Membership) error {
	ok, err := s.mayMakeLinkFor(r, c, u, ms)
	if err != nil {
		return err
	}
	if !ok {
		if u.HasPassword() {
			return alongside.Errorf(alongside.EFORBIDDEN, "You cannot make a link for someone who already has a password. If they have forgotten it, they can ask for a reset from the sign-in page, sent to their own email.")
		}
		return alongside.Errorf(alongside.EFORBIDDEN, "You cannot make a sign-in link for this account: it has roles that you do not look after. Ask an administrator who looks after all of them.")
	}
	return nil
}

func (s *Server) mayMakeLinkFor(r *http.Request, c *call, u *alongside.User, ms []alongside.Membership) (bool, error) {
	if u.HasPassword() {
		return false, nil
	}
	if ms == nil {
		var err error
		if ms, err = s.store.Accounts.MembershipsOf(r.Context(), u.ID); err != nil {
			return false, err
		}
	}
	supporter, err := s.store.Links.IsInvitedSupporter(r.Context(), u.ID)
	if err != nil {
		return false, err
	}
	return authz.MayMakeLinkFor(c.actor, authz.Account{UserID: u.ID, HasPassword: u.HasPassword(), Memberships: ms, Supporter: supporter}), nil
}

// linkWhat says in plain words what happened to a sign-in link for the
// account, on its holder's own activity page or account page.
func linkWhat(e alongside.AuditEvent) string {
	switch {
	case e.Action == "link.use" && e.Detail == "email taken":
		return "Opened a link to change the email address; another account had the address, so nothing changed"
	case e.Action == "link.use" && e.Detail == string(alongside.LinkEmail):
		return "Used a link to change the email address"
	case e.Detail == string(alongside.LinkEmail):
		return "Made a link to change the email address"
	}
	if e.Action == "link.use" {
		return "Used a sign-in link to set the password"
	}
	if alongside.LinkPurpose(e.Detail) == alongside.LinkReset {
		return "Made a link to reset the password"
	}
	return "Made a sign-in link to set up the account"
}

// accountLinks are the sign-in links made for and used on the actor's
// account, with who made them.
func (s *Server) accountLinks(r *http.Request, c *call) ([]activityEntry, error) {
	evs, err := s.store.Links.AccountLinkEvents(r.Context(), c.actor.User.ID, 20)
	if err != nil {
		return nil, err
	}
	out := make([]activityEntry, 0, len(evs))
	for _, e := range evs {
		who := e.ActorEmail
		if e.ActorID == c.actor.User.ID {
			who = "You"
		} else if e.ActorID == 0 {
			who = "Nobody signed in (a reset asked for from the sign-in page, or made on the server)"
			if e.Action == "link.use" {
				who = "Someone with the link"
			}
		}
		out = append(out, activityEntry{AuditEvent: e, Who: who, What: linkWhat(e)})
	}
	return out, nil
}

// answerSupporterRequest accepts or declines an invitation to support
// someone, by its addressee signed in as themselves.
func (s *Server) answerSupporterRequest(accept bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, c *call) error {
		if err := s.store.Links.AnswerSupporterRequest(r.Context(), c.invitation, accept); err != nil {
			return err
		}
		if accept {
			return redirect(w, r, "/home", "You now support "+c.invitation.PersonName+". They choose what you can see.")
		}
		return redirect(w, r, "/home", "You have declined "+c.invitation.PersonName+"’s invitation.")
	}
}

// answerRoleRequest accepts or declines a role offered to the actor's
// account by an organisation they had no role in.
func (s *Server) answerRoleRequest(accept bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, c *call) error {
		q := c.roleRequest
		if err := s.store.Accounts.AnswerRoleRequest(r.Context(), q, accept); err != nil {
			return err
		}
		if accept {
			return redirect(w, r, "/home", "You have joined "+roleRequestWhere(q)+" in the role “"+q.Role.Label()+"”.")
		}
		return redirect(w, r, "/home", "You have declined the invitation from "+q.OrgName+".")
	}
}

// roleRequestWhere names where a role offered is: the service and its
// organisation, or the organisation alone.
func roleRequestWhere(q *alongside.RoleRequest) string {
	if q.ServiceName != "" {
		return q.ServiceName + ", " + q.OrgName
	}
	return q.OrgName
}

type forgotData struct {
	CanEmail bool // a mailer is set: the reset goes to the account's own email
	Sent     bool
}

// forgotForm is the ordinary reset of a forgotten password: a link sent to
// the account's own email, never shown on screen.
func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.render(w, r, c, http.StatusOK, "forgot", page{Title: "Forgotten your password?", Form: newForm(r), Data: forgotData{CanEmail: s.cfg.Mailer != nil}})
}

// forgot answers the same whether or not the email has an account.
func (s *Server) forgot(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	d := forgotData{CanEmail: s.cfg.Mailer != nil}
	f.Required(map[string]string{"email": "Enter your email address."}, "email")
	if f.HasErrors() || !d.CanEmail {
		return s.render(w, r, c, http.StatusUnprocessableEntity, "forgot", page{Title: "Forgotten your password?", Form: f, Data: d})
	}
	token, u, err := s.store.Links.RequestPasswordReset(r.Context(), f.Get("email"))
	if err != nil {
		return err
	}
	if token != "" {
		var sent linkIssued
		s.sendTo(r, &sent, u, "Choose a new password for Alongside",
			"Someone, we hope you, asked to reset your password. Open this link to choose a new one. It works once and for 7 days:\n"+s.linkURL(r, token))
	}
	d.Sent = true
	return s.render(w, r, c, http.StatusOK, "forgot", page{Title: "Forgotten your password?", Form: f, Data: d})
}
