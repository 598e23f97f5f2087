package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
)

type serviceData struct {
	Service       *alongside.Service
	Managers      []alongside.Membership
	Practitioners []alongside.Membership
	People        []alongside.Membership
	Allocations   []alongside.Allocation
	Supervisions  []alongside.Supervision
	Supervisors   []alongside.Membership // staff of the organisation who may supervise
	Emergencies   []alongside.BreakGlass // crisis plans opened in an emergency, newest first
	CanInvite     bool                   // invite someone using the service (its manager and practitioners; not an administrator)
}

func (s *Server) servicePageWith(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	ctx := r.Context()
	d := serviceData{Service: c.service, CanInvite: authz.Can(c.actor, authz.InvitePerson, authz.Resource{OrgID: c.service.OrgID, ServiceID: c.service.ID})}
	var err error
	if d.Managers, err = s.store.Accounts.ServiceMembers(ctx, c.service.ID, alongside.RoleServiceManager); err != nil {
		return err
	}
	if d.Practitioners, err = s.store.Accounts.ServiceMembers(ctx, c.service.ID, alongside.RolePractitioner); err != nil {
		return err
	}
	if d.People, err = s.store.Accounts.ServiceMembers(ctx, c.service.ID, alongside.RolePerson); err != nil {
		return err
	}
	if d.Allocations, err = s.store.Relationships.ServiceAllocations(ctx, c.service.ID); err != nil {
		return err
	}
	if d.Emergencies, err = s.store.Accounts.ServiceBreakGlass(ctx, c.service.ID, 20); err != nil {
		return err
	}
	inService := map[int64]bool{}
	for _, m := range d.Practitioners {
		inService[m.UserID] = true
	}
	all, err := s.store.Relationships.OrgSupervisions(ctx, c.service.OrgID)
	if err != nil {
		return err
	}
	for _, sp := range all {
		if inService[sp.PractitionerID] {
			d.Supervisions = append(d.Supervisions, sp)
		}
	}
	staff, err := s.store.Accounts.OrgMemberships(ctx, c.service.OrgID)
	if err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, m := range staff {
		if (m.Role == alongside.RolePractitioner || m.Role == alongside.RoleServiceManager) && !seen[m.UserID] {
			seen[m.UserID] = true
			d.Supervisors = append(d.Supervisors, m)
		}
	}
	return s.render(w, r, c, status, "service", page{Title: c.service.Name, Form: f, Data: d})
}

func (s *Server) servicePage(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.servicePageWith(w, r, c, http.StatusOK, newForm(r))
}

func (s *Server) serviceURL(c *call) string { return fmt.Sprintf("/services/%d", c.service.ID) }

func formID(f *Form, name string) int64 {
	n, _ := strconv.ParseInt(f.Get(name), 10, 64)
	return n
}

func (s *Server) allocate(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	a := &alongside.Allocation{ServiceID: c.service.ID, PractitionerID: formID(f, "practitioner"), PersonID: formID(f, "person")}
	if err := s.store.Relationships.Allocate(r.Context(), a); f.Absorb(err, "person", "practitioner") {
		return s.servicePageWith(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return redirect(w, r, s.serviceURL(c), "Allocation made. The person can see who works with them on their page.")
}

func (s *Server) deallocate(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.store.Relationships.Deallocate(r.Context(), c.allocation.ID); err != nil {
		return err
	}
	return redirect(w, r, s.serviceURL(c), c.allocation.PractitionerName+" no longer works with "+c.allocation.PersonName+".")
}

func (s *Server) assignSupervisor(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	practitioner := formID(f, "supervisee")
	if ok, err := s.inService(r, practitioner, alongside.RolePractitioner, c.service.ID); err != nil {
		return err
	} else if !ok {
		f.Add("supervisee", "Choose a practitioner of this service.")
		return s.servicePageWith(w, r, c, http.StatusUnprocessableEntity, f)
	}
	sp := &alongside.Supervision{OrgID: c.service.OrgID, SupervisorID: formID(f, "supervisor"), PractitionerID: practitioner}
	if err := s.store.Relationships.AssignSupervisor(r.Context(), sp); f.Absorb(err, "supervisor", "supervisee") {
		return s.servicePageWith(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return redirect(w, r, s.serviceURL(c), "Supervisor assigned.")
}

func (s *Server) endSupervision(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.store.Relationships.EndSupervision(r.Context(), c.supervision.ID); err != nil {
		return err
	}
	return redirect(w, r, s.serviceURL(c), "Supervision ended.")
}

type inviteData struct{ Service *alongside.Service }

func (s *Server) invitePersonForm(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.render(w, r, c, http.StatusOK, "invite_person", page{Title: "Invite someone to Alongside", Form: newForm(r), Data: inviteData{c.service}})
}

// invitePerson makes an account for someone using the service and a link for
// them to set their own password. A practitioner who invites them is
// allocated to them, so they can go on working together.
func (s *Server) invitePerson(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	u := &alongside.User{Name: f.Get("name"), Email: f.Get("email")}
	allocate := int64(0)
	if c.actor.Has(alongside.RolePractitioner, 0, c.service.ID) {
		allocate = c.actor.User.ID
	}
	token, err := s.store.Links.InviteUser(r.Context(), u, alongside.Membership{Role: alongside.RolePerson, ServiceID: c.service.ID}, allocate)
	if f.Absorb(err, "name", "email") {
		return s.render(w, r, c, http.StatusUnprocessableEntity, "invite_person", page{Title: "Invite someone to Alongside", Form: f, Data: inviteData{c.service}})
	} else if err != nil {
		return err
	}
	return s.invitationPage(w, r, c, u, token, "You have been invited to Alongside", "/home", "Back to home")
}

// reissuePersonLink gives a person who lost their invitation a fresh link;
// older links stop working. A person with a password resets it themselves.
func (s *Server) reissuePersonLink(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := s.checkLinkFor(r, c, c.person, nil); err != nil {
		return err
	}
	token, err := s.store.Links.IssueLink(r.Context(), alongside.LinkInvite, c.person.ID)
	if err != nil {
		return err
	}
	return s.issueLinkPage(w, r, c, "New sign-in link for "+c.person.Name, c.person, token, "Your new link for Alongside",
		fmt.Sprintf("/people/%d", c.person.ID), "Back to "+c.person.Name)
}
