package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// "Who can see my plan": one short page that says, for each supporter and
// each practitioner, what they see, with a link to change it; and one page
// per supporter with a tick box per part of the plan. Saving a supporter's
// page changes only that supporter, checked against the version the page
// showed.

// sharingParts are the parts of the plan a person shares, each as a whole:
// every top-level section (goals and reviews stand for all of theirs).
func sharingParts() []alongside.PlanSection { return alongside.PlanSections }

// sharingSummary says in one line what a supporter sees: the parts by name
// (the first few), and how many they may add their view to.
func sharingSummary(granted map[string]bool) string {
	var seen []string
	views := 0
	for _, sec := range sharingParts() {
		add, ok := granted[sec.Key]
		if !ok {
			continue
		}
		seen = append(seen, sec.Title)
		if add {
			views++
		}
	}
	if len(seen) == 0 {
		return "Sees nothing of your plan."
	}
	if len(seen) == len(sharingParts()) {
		return "Sees all of your plan" + viewsSummary(views, len(seen))
	}
	if len(seen) <= 2 {
		return "Sees " + joinAnd(seen) + viewsSummary(views, len(seen))
	}
	// Titles hold commas ("Hopes, dreams and aspirations"): a longer
	// list is separated by semicolons.
	list := strings.Join(seen[:min(3, len(seen))], "; ")
	if len(seen) > 3 {
		list += fmt.Sprintf("; and %d more", len(seen)-3)
	}
	return fmt.Sprintf("Sees %d parts (%s)%s", len(seen), list, viewsSummary(views, len(seen)))
}

func viewsSummary(views, parts int) string {
	switch {
	case views == 0:
		return "."
	case views == parts && parts == 1:
		return ", and can add their view to it."
	case views == parts:
		return ", and can add their view to each."
	}
	return fmt.Sprintf(", and can add their view to %s.", plural(views, "of them", "of them"))
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// joinAnd lists "a", "a and b", "a, b and c".
func joinAnd(xs []string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

type sharingSupporterRow struct {
	alongside.SupporterLink
	Summary string
}

type sharingPractitionerRow struct {
	alongside.Allocation
	Summary string
}

type sharingChoice struct {
	Section alongside.PlanSection
	Name    string // the form field
	Value   string // "see" when shared
}

type sharingService struct {
	sqlstore.LimitedService
	Choices []sharingChoice
}

type planSharingData struct {
	Person        *alongside.User
	SeeEachOther  bool // supporters see each other's names and views
	Supporters    []sharingSupporterRow
	Practitioners []sharingPractitionerRow
	Services      []sharingService // services joined with a plan already written
}

// planSharing is the overview: who sees what, one line each.
func (s *Server) planSharing(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	links, err := s.store.Links.Supporters(ctx, c.person.ID)
	if err != nil {
		return err
	}
	sharing, err := s.store.Plans.PlanSharing(ctx, c.person.ID)
	if err != nil {
		return err
	}
	d := planSharingData{Person: c.person}
	if d.SeeEachOther, err = s.store.Plans.SupportersSeeEachOther(ctx, c.person.ID); err != nil {
		return err
	}
	for _, l := range links {
		d.Supporters = append(d.Supporters, sharingSupporterRow{SupporterLink: l, Summary: sharingSummary(sharing[l.ID])})
	}
	limited, err := s.store.Plans.LimitedServices(ctx, c.person.ID)
	if err != nil {
		return err
	}
	limits := map[int64]int{}
	for _, l := range limited {
		sv := sharingService{LimitedService: l}
		for _, sec := range sharingParts() {
			ch := sharingChoice{Section: sec, Name: fmt.Sprintf("s-%d-%s", l.ServiceID, sec.Key)}
			if l.Sections[sec.Key] {
				ch.Value = "see"
			}
			sv.Choices = append(sv.Choices, ch)
		}
		d.Services = append(d.Services, sv)
		limits[l.ServiceID] = len(l.Sections)
	}
	team, err := s.store.Relationships.AllocationsOfPerson(ctx, c.person.ID)
	if err != nil {
		return err
	}
	for _, a := range team {
		row := sharingPractitionerRow{Allocation: a, Summary: "Sees all of your plan and writes it with you."}
		if n, ok := limits[a.ServiceID]; ok {
			row.Summary = fmt.Sprintf("Sees only the %s you share with %s.", plural(n, "part", "parts"), a.ServiceName)
			if n == 0 {
				row.Summary = "Sees nothing of your plan until you share parts with " + a.ServiceName + "."
			}
		}
		d.Practitioners = append(d.Practitioners, row)
	}
	return s.render(w, r, c, http.StatusOK, "plan_sharing", page{Title: "Who can see my plan", Data: d})
}

// savePlanSharing stores the choices on the overview: whether supporters see
// each other, and what each service joined with the plan sees. What each
// supporter sees is saved on their own page.
func (s *Server) savePlanSharing(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	f := newForm(r)
	if err := s.store.Plans.SetSupportersSeeEachOther(ctx, c.person.ID, f.Get("see-each-other") == "yes", c.personService); err != nil {
		return err
	}
	limited, err := s.store.Plans.LimitedServices(ctx, c.person.ID)
	if err != nil {
		return err
	}
	if len(limited) > 0 {
		services := map[int64]map[string]bool{}
		for _, l := range limited {
			services[l.ServiceID] = map[string]bool{}
			for _, sec := range sharingParts() {
				if f.Get(fmt.Sprintf("s-%d-%s", l.ServiceID, sec.Key)) == "see" {
					services[l.ServiceID][sec.Key] = true
				}
			}
		}
		if err := s.store.Plans.SetServiceSharing(ctx, c.person.ID, services, c.personService); err != nil {
			return err
		}
	}
	return redirect(w, r, fmt.Sprintf("/people/%d/plan/sharing", c.person.ID), "Saved. It applies from their next visit.")
}

type supporterPart struct {
	Section alongside.PlanSection
	See     bool // ticked on the form
	Add     bool
	// Saved is what is saved now, shown beside a tick after a clash.
	Saved string
}

type supporterSharingData struct {
	Person    *alongside.User
	Supporter *alongside.SupporterLink
	Parts     []supporterPart
	Conflict  bool
	Summary   string // what is saved now, after a clash
}

// supporterSharing is one supporter's page: a tick per part of the plan.
func (s *Server) supporterSharing(w http.ResponseWriter, r *http.Request, c *call) error {
	sharing, err := s.store.Plans.PlanSharing(r.Context(), c.person.ID)
	if err != nil {
		return err
	}
	f := &Form{Values: map[string][]string{}}
	for key, add := range sharing[c.supporter.ID] {
		f.Values.Add("see", key)
		if add {
			f.Values.Add("add", key)
		}
	}
	f.Set("version", strconv.Itoa(c.supporter.SharingVersion))
	return s.renderSupporterSharing(w, r, c, http.StatusOK, f, nil)
}

func (s *Server) renderSupporterSharing(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form, saved map[string]bool) error {
	d := supporterSharingData{Person: c.person, Supporter: c.supporter, Conflict: saved != nil}
	for _, sec := range sharingParts() {
		p := supporterPart{Section: sec, See: f.Checked("see", sec.Key) || f.Checked("add", sec.Key), Add: f.Checked("add", sec.Key)}
		if saved != nil {
			add, ok := saved[sec.Key]
			switch {
			case ok && add:
				p.Saved = "can see and add their view"
			case ok:
				p.Saved = "can see"
			default:
				p.Saved = "not shared"
			}
		}
		d.Parts = append(d.Parts, p)
	}
	if saved != nil {
		d.Summary = "Saved now: " + c.supporter.SupporterName + " " + lowerFirst(sharingSummary(saved))
	}
	return s.render(w, r, c, status, "plan_sharing_supporter", page{Title: "What " + c.supporter.SupporterName + " can see", Form: f, Data: d})
}

// saveSupporterSharing stores what this one supporter sees. A save from a
// page older than the last save is a conflict: the person's ticks stay on
// the form, with what is saved now beside each.
func (s *Server) saveSupporterSharing(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	f := newForm(r)
	base, err := strconv.Atoi(f.Get("version"))
	if err != nil {
		base = -1 // no version: a conflict, never a blind overwrite
	}
	parts := map[string]bool{}
	for _, key := range f.Values["see"] {
		if _, ok := parts[key]; !ok {
			parts[key] = false
		}
	}
	// Adding a view needs seeing the part: a tick in "add" alone shares it.
	for _, key := range f.Values["add"] {
		parts[key] = true
	}
	_, err = s.store.Plans.SetSupporterSharing(ctx, c.person.ID, c.supporter.ID, base, parts, c.personService)
	switch alongside.ErrorCode(err) {
	case "":
		msg := "Saved. " + c.supporter.SupporterName + " " + lowerFirst(sharingSummary(parts))
		return redirect(w, r, fmt.Sprintf("/people/%d/plan/sharing", c.person.ID), msg)
	case alongside.EINVALID:
		f.Add("parts", alongside.ErrorMessage(err))
		return s.renderSupporterSharing(w, r, c, http.StatusUnprocessableEntity, f, nil)
	case alongside.ECONFLICT:
		sharing, serr := s.store.Plans.PlanSharing(ctx, c.person.ID)
		if serr != nil {
			return serr
		}
		links, serr := s.store.Links.Supporters(ctx, c.person.ID)
		if serr != nil {
			return serr
		}
		for _, l := range links {
			if l.ID == c.supporter.ID {
				f.Set("version", strconv.Itoa(l.SharingVersion))
			}
		}
		f.Add("parts", alongside.ErrorMessage(err))
		saved := sharing[c.supporter.ID]
		if saved == nil {
			saved = map[string]bool{}
		}
		return s.renderSupporterSharing(w, r, c, http.StatusConflict, f, saved)
	}
	return err
}

// notShared is a refusal to read part of a plan, said kindly to someone
// who knows the person: a supporter ("Kirsty has not shared this part with
// you"), or a practitioner of a service the person shares only some parts
// with. authz has already refused; this only chooses the words.
type notShared struct {
	err     error
	Person  *alongside.User
	Heading string // "Kirsty’s crisis plan", or "" for the whole plan
	Service bool   // said to a practitioner: shared with their service or not
	Plan    bool   // the reader may open the parts of the plan they do see
}

func (n *notShared) Error() string { return n.err.Error() }
func (n *notShared) Unwrap() error { return n.err }

// notSharedWith turns authz's refusal of a page of the person's plan, asked
// for by one of their supporters or allocated practitioners, into the kind
// page; any other error or reader is left as it was.
func notSharedWith(r *http.Request, c *call, action authz.Action, err error) error {
	if alongside.ErrorCode(err) != alongside.EFORBIDDEN || r.Method != http.MethodGet || c.actor == nil || c.person == nil {
		return err
	}
	switch action {
	case authz.ViewPlan, authz.ViewPlanSection, authz.ViewProgress:
	default:
		return err
	}
	supporter, allocated := c.actor.SupportedPeople[c.person.ID], c.actor.AllocatedPeople[c.person.ID]
	if !supporter && !allocated {
		return err
	}
	ns := &notShared{err: err, Person: c.person, Service: allocated, Plan: authz.Can(c.actor, authz.ViewPlan, c.res)}
	switch {
	case c.section != nil:
		ns.Heading = c.section.TitleFor(c.person.Name)
	case action == authz.ViewProgress:
		sec, _ := alongside.PlanSectionByKey(alongside.SectionProgress)
		ns.Heading = sec.TitleFor(c.person.Name)
	}
	return ns
}

func (s *Server) renderNotShared(w http.ResponseWriter, r *http.Request, c *call, ns *notShared) {
	title := ns.Heading
	if title == "" {
		title = ns.Person.Name + "’s recovery plan"
	}
	if err := s.render(w, r, c, http.StatusForbidden, "not_shared", page{Title: title, Data: ns}); err != nil {
		s.logError(r, err)
		http.Error(w, title, http.StatusForbidden)
	}
}
