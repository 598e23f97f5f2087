package web

import (
	"net/http"
	"sort"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// homeData has one part per thing the actor does; a user with several roles
// sees each part. The relationships come with the actor; what to do next
// (Store.NextSteps) is one more query, with only the parts the actor's
// roles need.
type homeData struct {
	Organisations []alongside.Organisation // system administrator
	AdminOrgs     []alongside.Membership   // organisation administrator
	LeadOrgs      []leadSteps              // network lead
	Managed       []serviceSteps           // service manager
	Practice      []alongside.Membership   // practitioner
	PersonIn      []alongside.Membership   // person using a service
	SystemAdmin   bool
	NoRole        bool // nothing to show: say so kindly
	// Requests are invitations to support someone, waiting for an answer.
	Requests []alongside.SupporterLink
	// RoleRequests are roles offered by organisations the actor had none
	// in, waiting for an answer.
	RoleRequests []alongside.RoleRequest

	// MyPlan is what changed in the person's own plan since they last
	// looked, and what is coming up.
	MyPlan *myPlanNews
	// People are the practitioner's allocations, what needs them first.
	People []personRow
	// Reflected is whether the practitioner has reflected on a session;
	// LastReflection when they last did.
	Reflected      bool
	LastReflection time.Time
}

// myPlanNews is the person's own plan news.
type myPlanNews struct {
	Changes []changeBy
	Due     []dueLine
	Version int
	Signed  int // version signed off
}

// changeBy is the sections one writer changed since the viewer looked.
type changeBy struct {
	Name     string
	Sections []alongside.PlanSection
	At       time.Time
}

type dueLine struct {
	alongside.GoalDue
	Overdue bool
}

// personRow is one row of the practitioner's table.
type personRow struct {
	alongside.Allocation
	FirstName string
	NewToYou  bool
	Changes   []changeBy
	Due       []dueLine
	// Unsigned is how many saves came after the person last signed off
	// (Version when never); NeverSigned says which.
	Unsigned    int
	NeverSigned bool
	rank        int
}

// serviceSteps is a managed service's part: its review under way, actions
// due and surveys open.
type serviceSteps struct {
	alongside.Membership
	Reviews []alongside.ReviewUnderWay
	Actions []actionLine
	Waves   []alongside.OpenWave
}

type actionLine struct {
	alongside.ActionDue
	Overdue bool
}

// leadSteps is a led network's part.
type leadSteps struct {
	alongside.Membership
	UnderWay  []alongside.ReviewUnderWay
	Completed []alongside.ReviewUnderWay
	Waves     []alongside.OpenWave
	Year      int
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, c *call) error {
	a := c.actor
	d := homeData{
		AdminOrgs: a.ScopesFor(alongside.RoleOrgAdmin),
		Practice:  a.ScopesFor(alongside.RolePractitioner),
		PersonIn:  a.ScopesFor(alongside.RolePerson), SystemAdmin: a.IsSystemAdmin(),
		NoRole: len(a.Memberships) == 0 && len(a.Supporting) == 0,
	}
	for _, m := range a.ScopesFor(alongside.RoleNetworkLead) {
		d.LeadOrgs = append(d.LeadOrgs, leadSteps{Membership: m})
	}
	for _, m := range a.ScopesFor(alongside.RoleServiceManager) {
		d.Managed = append(d.Managed, serviceSteps{Membership: m})
	}
	var err error
	if d.Requests, err = s.store.Links.SupporterRequests(r.Context(), a.User.ID); err != nil {
		return err
	}
	if d.RoleRequests, err = s.store.Accounts.RoleRequests(r.Context(), a.User.ID); err != nil {
		return err
	}
	d.NoRole = d.NoRole && len(d.Requests) == 0 && len(d.RoleRequests) == 0
	if d.SystemAdmin {
		if d.Organisations, err = s.store.Organisations.Organisations(r.Context()); err != nil {
			return err
		}
	}
	if err := s.nextSteps(r, c, &d); err != nil {
		return err
	}
	return s.render(w, r, c, http.StatusOK, "home", page{Title: "Home", Data: d})
}

// nextSteps fills in what each part of the home page says to do next,
// keeping only what authz lets the actor see.
func (s *Server) nextSteps(r *http.Request, c *call, d *homeData) error {
	a := c.actor
	parts := sqlstore.HomeParts{OwnPlan: len(d.PersonIn) > 0 || a.HasPlan, Allocated: len(a.Allocations) > 0 || len(d.Practice) > 0,
		Manager: len(d.Managed) > 0, Lead: len(d.LeadOrgs) > 0}
	now := s.store.Clock.Now()
	steps, err := s.store.Plans.NextSteps(r.Context(), a.User.ID, parts, now)
	if err != nil {
		return err
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	// sees keeps the sections of a plan news item the actor may see.
	sees := func(person, service int64, key string) (alongside.PlanSection, bool) {
		sec, ok := alongside.PlanSectionByKey(key)
		if !ok {
			return sec, false
		}
		return sec, authz.Can(a, authz.ViewPlanSection, authz.Resource{PersonID: person, ServiceID: service, Section: &sec})
	}
	news := func(n *alongside.PlanNews, service int64, who func(alongside.PlanChange) string) ([]changeBy, []dueLine) {
		var changes []changeBy
		byWriter := map[int64]int{}
		for _, ch := range n.Changes {
			sec, ok := sees(n.PersonID, service, ch.Section)
			if !ok {
				continue
			}
			i, seen := byWriter[ch.By]
			if !seen {
				i = len(changes)
				byWriter[ch.By] = i
				changes = append(changes, changeBy{Name: who(ch)})
			}
			changes[i].Sections = append(changes[i].Sections, sec)
			if ch.ChangedAt.After(changes[i].At) {
				changes[i].At = ch.ChangedAt
			}
		}
		for i := range changes {
			sort.Slice(changes[i].Sections, func(x, y int) bool { return changes[i].Sections[x].Key < changes[i].Sections[y].Key })
		}
		sort.Slice(changes, func(i, j int) bool { return changes[i].At.After(changes[j].At) })
		var due []dueLine
		for _, g := range n.Due {
			if _, ok := sees(n.PersonID, service, g.Key); ok {
				due = append(due, dueLine{GoalDue: g, Overdue: g.Review.Before(today)})
			}
		}
		sort.Slice(due, func(i, j int) bool { return due[i].Review.Before(due[j].Review) })
		return changes, due
	}

	if parts.OwnPlan {
		if n := steps.Plans[a.User.ID]; n != nil && n.Version > 0 {
			changes, due := news(n, 0, func(ch alongside.PlanChange) string { return ch.ByName })
			d.MyPlan = &myPlanNews{Changes: changes, Due: due, Version: n.Version, Signed: n.SignedVersion}
		}
	}

	var read []alongside.Allocation // people whose records the table shows something of
	for _, al := range a.Allocations {
		row := personRow{Allocation: al, FirstName: firstName(al.PersonName)}
		if n := steps.Plans[al.PersonID]; n != nil && n.Version > 0 {
			row.NewToYou = !n.Looked
			row.Changes, row.Due = news(n, al.ServiceID, func(ch alongside.PlanChange) string {
				if ch.By == al.PersonID {
					return row.FirstName
				}
				return ch.ByName
			})
			row.Unsigned, row.NeverSigned = n.Version-n.SignedVersion, n.SignedVersion == 0
			if row.NewToYou {
				row.Changes = nil // the whole plan is new to them
			}
		}
		switch {
		case len(row.Due) > 0 && row.Due[0].Overdue:
			row.rank = 0
		case len(row.Due) > 0:
			row.rank = 1
		case row.NewToYou || len(row.Changes) > 0:
			row.rank = 2
		case row.Unsigned > 0:
			row.rank = 3
		default:
			row.rank = 4
		}
		if len(row.Due) > 0 {
			read = append(read, al)
		}
		d.People = append(d.People, row)
	}
	sort.SliceStable(d.People, func(i, j int) bool { return d.People[i].rank < d.People[j].rank })
	// Titles and dates are read from the plans, as on the caseload page;
	// which sections changed, and by whom, is not their text.
	if err := s.store.Audit.AuditPeople(r.Context(), "plan.view", "home", read); err != nil {
		return err
	}
	d.Reflected, d.LastReflection = steps.Reflections > 0, steps.LastReflection

	shown := map[int64]bool{} // a network survey, shown once under the first service of its network
	for i := range d.Managed {
		m := &d.Managed[i]
		for _, rv := range steps.Reviews {
			if !rv.Lead && rv.ServiceID == m.ServiceID {
				m.Reviews = append(m.Reviews, rv)
			}
		}
		for _, ac := range steps.Actions {
			if ac.ServiceID == m.ServiceID {
				m.Actions = append(m.Actions, actionLine{ActionDue: ac, Overdue: ac.Overdue(today)})
			}
		}
		sort.Slice(m.Actions, func(i, j int) bool { return m.Actions[i].Due < m.Actions[j].Due })
		for _, wv := range steps.Waves {
			if wv.ServiceID == m.ServiceID || (wv.ServiceID == 0 && wv.OrgID == m.OrgID && !shown[wv.SurveyID]) {
				m.Waves = append(m.Waves, wv)
				shown[wv.SurveyID] = wv.ServiceID == 0
			}
		}
	}
	for i := range d.LeadOrgs {
		l := &d.LeadOrgs[i]
		l.Year = today.Year()
		for _, rv := range steps.Reviews {
			if !rv.Lead || rv.OrgID != l.OrgID {
				continue
			}
			if rv.Stage == alongside.StageComplete {
				l.Completed = append(l.Completed, rv)
			} else {
				l.UnderWay = append(l.UnderWay, rv)
			}
		}
		sort.Slice(l.UnderWay, func(i, j int) bool { return l.UnderWay[i].ServiceName < l.UnderWay[j].ServiceName })
		sort.Slice(l.Completed, func(i, j int) bool { return l.Completed[i].ServiceName < l.Completed[j].ServiceName })
		for _, wv := range steps.Waves {
			if wv.ServiceID == 0 && wv.OrgID == l.OrgID {
				l.Waves = append(l.Waves, wv)
			}
		}
	}
	return nil
}
