package web

import (
	"net/http"

	"github.com/alongside-recovery/alongside"
)

// homeData has one part per thing the actor does; a user with several roles
// sees each part. The relationships come with the actor, so only a system
// administrator's list of organisations needs a query of its own.
type homeData struct {
	Organisations []alongside.Organisation // system administrator
	AdminOrgs     []alongside.Membership   // organisation administrator
	LeadOrgs      []alongside.Membership   // network lead
	Managed       []alongside.Membership   // service manager
	Practice      []alongside.Membership   // practitioner
	PersonIn      []alongside.Membership   // person using a service
	SystemAdmin   bool
	NoRole        bool // nothing to show: say so kindly
	// Requests are invitations to support someone, waiting for an answer.
	Requests []alongside.SupporterLink
	// RoleRequests are roles offered by organisations the actor had none
	// in, waiting for an answer.
	RoleRequests []alongside.RoleRequest
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, c *call) error {
	a := c.actor
	d := homeData{
		AdminOrgs: a.ScopesFor(alongside.RoleOrgAdmin), LeadOrgs: a.ScopesFor(alongside.RoleNetworkLead),
		Managed: a.ScopesFor(alongside.RoleServiceManager), Practice: a.ScopesFor(alongside.RolePractitioner),
		PersonIn: a.ScopesFor(alongside.RolePerson), SystemAdmin: a.IsSystemAdmin(),
		NoRole: len(a.Memberships) == 0 && len(a.Supporting) == 0,
	}
	var err error
	if d.Requests, err = s.store.SupporterRequests(r.Context(), a.User.ID); err != nil {
		return err
	}
	if d.RoleRequests, err = s.store.RoleRequests(r.Context(), a.User.ID); err != nil {
		return err
	}
	d.NoRole = d.NoRole && len(d.Requests) == 0 && len(d.RoleRequests) == 0
	if d.SystemAdmin {
		if d.Organisations, err = s.store.Organisations(r.Context()); err != nil {
			return err
		}
	}
	return s.render(w, r, c, http.StatusOK, "home", page{Title: "Home", Data: d})
}
