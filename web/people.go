package web

import (
	"fmt"
	"net/http"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
)

type personData struct {
	Person     *alongside.User
	IsSelf     bool
	Supporter  bool // the viewer is a supporter: the person chooses what they see
	Services   []alongside.Membership
	Team       []alongside.Allocation
	Supporters []alongside.SupporterLink
	CanReissue bool  // the person has no password yet, and the viewer may make their link
	CanSeePlan bool  // the person's plan, or the sections they share with this supporter
	ServiceID  int64 // where a practitioner can re-issue the person's link
}

// personPage is the person's own page, and what those who work with them
// see. Every view is audited.
func (s *Server) personPage(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	d := personData{Person: c.person, IsSelf: c.actor.User.ID == c.person.ID}
	ms, err := s.store.Accounts.MembershipsOf(ctx, c.person.ID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Role == alongside.RolePerson {
			d.Services = append(d.Services, m)
		}
	}
	if d.Team, err = s.store.Relationships.AllocationsOfPerson(ctx, c.person.ID); err != nil {
		return err
	}
	if d.Supporters, err = s.store.Links.Supporters(ctx, c.person.ID); err != nil {
		return err
	}
	for _, a := range d.Team {
		if a.PractitionerID == c.actor.User.ID {
			d.ServiceID = a.ServiceID
		}
	}
	if d.ServiceID != 0 {
		if d.CanReissue, err = s.mayMakeLinkFor(r, c, c.person, ms); err != nil {
			return err
		}
	}
	d.CanSeePlan = authz.Can(c.actor, authz.ViewPlan, c.res)
	if !authz.Can(c.actor, authz.ViewPersonCircle, c.res) {
		d.Supporter, d.Team, d.Supporters = true, nil, nil
	}
	// The view belongs in the audit log of the person's service.
	service := d.ServiceID
	if service == 0 && len(d.Services) > 0 {
		service = d.Services[0].ServiceID
	}
	if err := s.store.Audit.Audit(ctx, "person.view", "person", c.person.ID, 0, service, ""); err != nil {
		return err
	}
	title := c.person.Name
	if d.IsSelf {
		title = "My page"
	}
	return s.render(w, r, c, http.StatusOK, "person", page{Title: title, Data: d})
}

type supporterFormData struct {
	Person        *alongside.User
	Relationships []alongside.SupporterRelationship
}

func (s *Server) supporterForm(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	return s.render(w, r, c, status, "supporter_new", page{Title: "Invite a supporter", Form: f,
		Data: supporterFormData{Person: c.person, Relationships: alongside.SupporterRelationships}})
}

func (s *Server) inviteSupporterForm(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.supporterForm(w, r, c, http.StatusOK, newForm(r))
}

func (s *Server) inviteSupporter(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	rel := alongside.SupporterRelationship(f.Get("relationship"))
	token, err := s.store.Links.InviteSupporter(r.Context(), c.person.ID, f.Get("name"), f.Get("email"), rel)
	if f.Absorb(err, "name", "email", "relationship") {
		return s.supporterForm(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	u := &alongside.User{Name: f.Get("name"), Email: alongside.NormaliseEmail(f.Get("email"))}
	return s.invitationPage(w, r, c, u, token, c.person.Name+" has invited you to support them on Alongside", fmt.Sprintf("/people/%d", c.person.ID), "Back to my page")
}
