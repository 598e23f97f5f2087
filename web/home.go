package web

import (
	"net/http"

	"github.com/alongside-recovery/alongside"
)

// homeData has one part per thing the actor does; a user with several roles
// sees each part.
type homeData struct {
	Organisations []alongside.Organisation // system administrator
	AdminOrgs     []alongside.Membership   // organisation administrator
	LeadOrgs      []alongside.Membership   // network lead
	Managed       []alongside.Membership   // service manager
	Practice      []alongside.Membership   // practitioner
	Allocations   []alongside.Allocation   // the people a practitioner works with
	Supervisees   []alongside.Supervision
	Supervisors   []alongside.Supervision
	PersonIn      []alongside.Membership // person using a service
	MyTeam        []alongside.Allocation
	Supporting    []alongside.SupporterLink // supporter
	SystemAdmin   bool
	NoRole        bool // nothing to show: say so kindly
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx, a := r.Context(), c.actor
	d := homeData{
		AdminOrgs: a.ScopesFor(alongside.RoleOrgAdmin), LeadOrgs: a.ScopesFor(alongside.RoleNetworkLead),
		Managed: a.ScopesFor(alongside.RoleServiceManager), Practice: a.ScopesFor(alongside.RolePractitioner),
		PersonIn: a.ScopesFor(alongside.RolePerson),
	}
	var err error
	if a.IsSystemAdmin() {
		if d.Organisations, err = s.store.Organisations(ctx); err != nil {
			return err
		}
	}
	if len(d.Practice) > 0 {
		if d.Allocations, err = s.store.AllocationsOfPractitioner(ctx, a.User.ID); err != nil {
			return err
		}
	}
	if len(d.Practice) > 0 || len(a.Supervisees) > 0 {
		if d.Supervisors, d.Supervisees, err = s.store.SupervisionOf(ctx, a.User.ID); err != nil {
			return err
		}
	}
	if len(d.PersonIn) > 0 {
		if d.MyTeam, err = s.store.AllocationsOfPerson(ctx, a.User.ID); err != nil {
			return err
		}
	}
	if len(a.SupportedPeople) > 0 {
		if d.Supporting, err = s.store.SupportedBy(ctx, a.User.ID); err != nil {
			return err
		}
	}
	d.SystemAdmin = a.IsSystemAdmin()
	d.NoRole = len(a.Memberships) == 0 && len(d.Supporting) == 0
	return s.render(w, r, c, http.StatusOK, "home", page{Title: "Home", Data: d})
}
