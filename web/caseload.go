package web

import (
	"fmt"
	"net/http"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
)

type emergencyData struct {
	Service *alongside.Service
	People  []alongside.Membership
}

func (s *Server) emergencyPage(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	people, err := s.store.Accounts.ServiceMembers(r.Context(), c.service.ID, alongside.RolePerson)
	if err != nil {
		return err
	}
	return s.render(w, r, c, status, "emergency", page{Title: "Open a crisis plan in an emergency", Form: f,
		Data: emergencyData{Service: c.service, People: people}})
}

// emergencyForm is where a practitioner of the service opens the crisis
// plan of someone they are not allocated to, giving their reason.
func (s *Server) emergencyForm(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.emergencyPage(w, r, c, http.StatusOK, newForm(r))
}

func (s *Server) openInEmergency(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	b := &alongside.BreakGlass{PersonID: formID(f, "person"), PractitionerID: c.actor.User.ID, ServiceID: c.service.ID, Reason: f.Get("reason")}
	if err := s.store.Accounts.OpenCrisisPlanInEmergency(r.Context(), b); f.Absorb(err, "person", "reason") {
		return s.emergencyPage(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/people/%d/crisis", b.PersonID),
		"Opened in an emergency. The person and the service manager can see that you did, and why.")
}

type caseloadRow struct {
	alongside.Allocation
	Changed     int // saves since this practitioner last looked
	NeverLooked bool
	Due         []alongside.GoalDue
}

// caseload lists the people a practitioner works alongside: whose plan
// changed since they last looked, and which goals are due a look together.
func (s *Server) caseload(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	seen, err := s.store.Plans.PlansSeen(ctx, c.actor.User.ID)
	if err != nil {
		return err
	}
	today := s.zone.day(s.now())
	var rows []caseloadRow
	for _, a := range c.actor.Allocations {
		plan, err := s.store.Plans.Plan(ctx, a.PersonID)
		if err != nil {
			return err
		}
		v, looked := seen[a.PersonID]
		row := caseloadRow{Allocation: a, Changed: plan.Version - v, NeverLooked: !looked && plan.Version > 0}
		// Only what this practitioner may see of the plan: a service the
		// person joined later may not see their goals.
		res := authz.Resource{PersonID: a.PersonID, ServiceID: a.ServiceID}
		for _, due := range plan.ReviewsDue(today) {
			sec, _ := alongside.PlanSectionByKey(due.Key)
			res.Section = &sec
			if authz.Can(c.actor, authz.ViewPlanSection, res) {
				row.Due = append(row.Due, due)
			}
		}
		if len(row.Due) > 0 {
			// Titles and dates from the plan are a read of it.
			if err := s.store.Audit.Audit(ctx, "plan.view", "person", a.PersonID, 0, a.ServiceID, "due"); err != nil {
				return err
			}
		}
		rows = append(rows, row)
	}
	return s.render(w, r, c, http.StatusOK, "caseload", page{Title: "The people I work alongside", Data: rows})
}
