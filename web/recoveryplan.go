package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
	"github.com/alongside-recovery/alongside/textdiff"
)

// A person's recovery plan: theirs to write, with the practitioners
// allocated to them. Every read and every change is audited against the
// person, and the person can see who has looked.

type planFieldView struct {
	alongside.PlanField
	Text string
}

// Display is the text as the plan shows it: a choice by its label, a date
// in words.
func (f planFieldView) Display() string {
	switch f.Kind {
	case "choice":
		return f.ChoiceLabel(f.Text)
	case "date":
		return longDate(f.Text)
	}
	return f.Text
}

// listsOf fills the goals or reviews, when key is the section that lists them.
func (d *recoveryPlanData) listsOf(s *Server, c *call, plan *alongside.Plan, views map[string][]alongside.SupporterView, key string) {
	switch key {
	case alongside.SectionGoals:
		d.Goals, d.NextGoal = s.goalsOf(c, plan)
		d.GoalCards = goalCards(c.person.ID, d.Goals)
	case alongside.SectionReviews:
		last := 0
		for k := range plan.Sections {
			if n, ok := alongside.ParseReviewKey(k); ok {
				last = max(last, n)
			}
		}
		// Newest first: the latest review is the one to read.
		for n := last; n >= 1; n-- {
			if _, ok := plan.Sections[alongside.ReviewKey(n)]; ok {
				sec, _ := alongside.PlanSectionByKey(alongside.ReviewKey(n))
				d.Reviews = append(d.Reviews, s.sectionView(c, plan, views, sec))
			}
		}
		d.NextReview = alongside.ReviewKey(last + 1)
	}
}

// goalView is a goal with its small steps, in order. Its title and facts
// are worked out here: a plan can hold a hundred goals, and per-field
// template actions were most of the page's cost.
type goalView struct {
	Key      string
	Title    string
	Facts    []string // "By when: 31 March 2027", for each field written but the title
	Steps    []stepView
	CanEdit  bool
	NextStep string // the key a new small step would take
}

type stepView struct {
	Key, Title, Status string
	Done               bool
}

// goalsOf gathers the goals and steps written in a plan, in number order,
// with the key the next goal would take. Every goal has the same fields
// and the same rule for who may change it, so both are looked up once.
func (s *Server) goalsOf(c *call, plan *alongside.Plan) ([]goalView, string) {
	type num struct {
		goal, step int
		key        string
	}
	var keys []num
	for key := range plan.Sections {
		if g, st, ok := alongside.ParseGoalKey(key); ok {
			keys = append(keys, num{g, st, key})
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].goal != keys[j].goal {
			return keys[i].goal < keys[j].goal
		}
		return keys[i].step < keys[j].step
	})
	goalSec, _ := alongside.PlanSectionByKey(alongside.GoalKey(1, 0))
	stepSec, _ := alongside.PlanSectionByKey(alongside.GoalKey(1, 1))
	stepStatus, _ := stepSec.Field("status")
	res := c.res
	res.Section = &goalSec
	canEdit := authz.Can(c.actor, authz.EditPlanSection, res)
	var goals []goalView
	last := 0
	for _, k := range keys {
		text := plan.Sections[k.key].Text
		last = max(last, k.goal)
		if k.step == 0 {
			g := goalView{Key: k.key, Title: text["title"], CanEdit: canEdit, NextStep: alongside.GoalKey(k.goal, 1)}
			for _, f := range goalSec.Fields {
				if f.Key != "title" && text[f.Key] != "" {
					g.Facts = append(g.Facts, f.Label+": "+planFieldView{f, text[f.Key]}.Display())
				}
			}
			goals = append(goals, g)
			continue
		}
		// A step whose goal is gone is not listed (Plan.Orphan).
		if n := len(goals); n > 0 && goals[n-1].Key == alongside.GoalKey(k.goal, 0) {
			goals[n-1].Steps = append(goals[n-1].Steps, stepView{Key: k.key, Title: text["title"],
				Status: stepStatus.ChoiceLabel(text["status"]), Done: text["status"] == "done"})
			goals[n-1].NextStep = alongside.GoalKey(k.goal, k.step+1)
		}
	}
	return goals, alongside.GoalKey(last+1, 0)
}

// goalCards are the goals as the plan page shows them, built here as one
// piece of HTML with every written word escaped: with a hundred goals, the
// template's per-field actions (each through reflection) were half of the
// page's cost.
func goalCards(personID int64, goals []goalView) template.HTML {
	var b strings.Builder
	for _, g := range goals {
		g.card(&b, personID)
	}
	return template.HTML(b.String())
}

func (g goalView) card(b *strings.Builder, personID int64) {
	esc := template.HTMLEscapeString
	href := "/people/" + strconv.FormatInt(personID, 10) + "/plan/sections/"
	b.WriteString(`<div class="card goal"><h3 class="card__title"><a href="` + href + esc(g.Key) + `">` + esc(g.Title) + "</a></h3>")
	if len(g.Facts) > 0 {
		b.WriteString(`<ul class="goal__facts">`)
		for _, f := range g.Facts {
			b.WriteString("<li>" + esc(f) + "</li>")
		}
		b.WriteString("</ul>")
	}
	if len(g.Steps) > 0 {
		b.WriteString(`<h4>Small steps</h4><ol class="goal__steps">`)
		for _, st := range g.Steps {
			b.WriteString(`<li><a href="` + href + esc(st.Key) + `">` + esc(st.Title) + "</a>")
			if st.Status != "" {
				tag := "tag"
				if st.Done {
					tag += " tag--green"
				}
				b.WriteString(` <span class="` + tag + `">` + esc(st.Status) + "</span>")
			}
			b.WriteString("</li>")
		}
		b.WriteString("</ol>")
	}
	if g.CanEdit {
		b.WriteString(`<p class="no-print"><a href="` + href + esc(g.NextStep) + `">Add a small step<span class="visually-hidden"> towards ` + esc(g.Title) + "</span></a></p>")
	}
	b.WriteString("</div>\n")
}

type planSectionView struct {
	alongside.PlanSection
	// Heading and Lead are the title and intro as this reader reads them:
	// "My crisis plan" to the person, "Kirsty’s crisis plan" to anyone else.
	Heading    string
	Lead       string
	Fields     []planFieldView
	Current    alongside.SectionVersion // Version 0: not written yet
	CanEdit    bool
	Views      []alongside.SupporterView // supporters' own views
	CanAddView bool                      // the actor is a supporter the person lets add a view here
}

type recoveryPlanData struct {
	Person *alongside.User
	IsSelf bool
	// Owner is "" for the person reading their own plan, else their
	// name: whose things are ("My" or "Kirsty’s", the whose template
	// function) and how headings read.
	Owner string
	// Supporter: the reader is one of the person's supporters, spoken to
	// as a supporter, not as staff.
	Supporter  bool
	Plan       *alongside.Plan
	Sections   []planSectionView
	SeeCrisis  bool // the crisis plan is among the sections the actor sees
	Goals      []goalView
	GoalCards  template.HTML // the goals as the plan page shows them
	NextGoal   string        // the key a new goal would take
	Reviews    []planSectionView
	NextReview string
	// StatementDue is the advance statement's review date, when it has
	// come or comes this week.
	StatementDue *alongside.GoalDue
}

// planAndViews reads the person's plan and the views their supporters
// added that the actor may see (authz.SeesSupporterView).
func (s *Server) planAndViews(ctx context.Context, c *call) (*alongside.Plan, map[string][]alongside.SupporterView, error) {
	plan, err := s.store.Plans.Plan(ctx, c.person.ID)
	if err != nil {
		return nil, nil, err
	}
	views, err := s.store.Plans.SupporterViews(ctx, c.person.ID)
	if err != nil || authz.Can(c.actor, authz.ViewPersonCircle, c.res) {
		return plan, views, err
	}
	open, err := s.store.Plans.SupportersSeeEachOther(ctx, c.person.ID)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string][]alongside.SupporterView{}
	for key, vs := range views {
		for _, v := range vs {
			if authz.SeesSupporterView(c.actor, c.res, v.SupporterID, open) {
				seen[key] = append(seen[key], v)
			}
		}
	}
	return plan, seen, nil
}

// planOwner is whose plan the reader reads: "" when it is their own, else
// the person's name, for "My …" or "Kirsty’s …".
func planOwner(c *call) string {
	if c.actor != nil && c.person != nil && c.actor.User.ID == c.person.ID {
		return ""
	}
	if c.person == nil {
		return ""
	}
	return c.person.Name
}

// asSupporter reports whether the reader reads as one of the person's
// supporters (and not also as someone who works with them): pages speak to
// them as a supporter, without staff wording.
func asSupporter(c *call) bool {
	return c.actor != nil && c.person != nil && c.actor.SupportedPeople[c.person.ID] && !c.actor.AllocatedPeople[c.person.ID]
}

// auditPlan records a read or change of the person's plan.
func (s *Server) auditPlan(ctx context.Context, c *call, action, detail string) error {
	return s.store.Audit.Audit(ctx, action, "person", c.person.ID, 0, c.personService, detail)
}

func (s *Server) sectionView(c *call, plan *alongside.Plan, views map[string][]alongside.SupporterView, sec alongside.PlanSection) planSectionView {
	res := c.res
	res.Section = &sec
	v := planSectionView{PlanSection: sec, Current: plan.Sections[sec.Key], CanEdit: authz.Can(c.actor, authz.EditPlanSection, res),
		Views: views[sec.Key], CanAddView: authz.Can(c.actor, authz.AddSupporterView, res),
		Heading: sec.TitleFor(planOwner(c)), Lead: sec.IntroFor(planOwner(c))}
	for _, f := range sec.Fields {
		v.Fields = append(v.Fields, planFieldView{f, v.Current.Text[f.Key]})
	}
	return v
}

// visiblePlan is the plan as the actor may see it: each section authz
// lets them see (of those chosen, when chosen is not empty), with the goals
// and reviews listed and the advance statement's reminder.
func (s *Server) visiblePlan(c *call, plan *alongside.Plan, views map[string][]alongside.SupporterView, chosen map[string]bool) recoveryPlanData {
	d := recoveryPlanData{Person: c.person, IsSelf: c.actor.User.ID == c.person.ID, Plan: plan, Owner: planOwner(c), Supporter: asSupporter(c)}
	for _, sec := range alongside.PlanSections {
		res := c.res
		res.Section = &sec
		if (len(chosen) > 0 && !chosen[sec.Key]) || !authz.Can(c.actor, authz.ViewPlanSection, res) {
			continue
		}
		d.Sections = append(d.Sections, s.sectionView(c, plan, views, sec))
		d.SeeCrisis = d.SeeCrisis || sec.Key == alongside.SectionCrisis
		d.listsOf(s, c, plan, views, sec.Key)
		if sec.Key == alongside.SectionAdvanceStatement {
			for _, due := range plan.ReviewsDue(s.zone.day(s.now())) {
				if due.Key == sec.Key {
					d.StatementDue = &due
				}
			}
		}
	}
	return d
}

// recoveryPlan shows the whole plan, each section the actor may see.
func (s *Server) recoveryPlan(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	plan, views, err := s.planAndViews(ctx, c)
	if err != nil {
		return err
	}
	d := s.visiblePlan(c, plan, views, nil)
	if err := s.auditPlan(ctx, c, "plan.view", ""); err != nil {
		return err
	}
	// What the reader has now seen: their home page says what changed
	// after it (the person's own, too).
	if err := s.store.Plans.MarkPlanSeen(ctx, c.person.ID, c.actor.User.ID, plan.Version); err != nil {
		return err
	}
	title := c.person.Name + "’s recovery plan"
	if d.IsSelf {
		title = "My recovery plan"
	}
	return s.render(w, r, c, http.StatusOK, "plan", page{Title: title, Data: d})
}

type planSectionData struct {
	Person    *alongside.User
	IsSelf    bool
	Owner     string // "" to the person, else their name
	Supporter bool
	Section   planSectionView
	// Theirs is what someone else saved while this writer was writing:
	// shown beside the writer's own text, which the form keeps.
	Theirs *planSectionView
}

// sectionForm fills a form from the section as it stands.
func sectionForm(v planSectionView) *Form {
	f := &Form{Values: map[string][]string{}}
	for _, fv := range v.Fields {
		f.Set(fv.Key, fv.Text)
	}
	f.Set("version", strconv.Itoa(v.Current.Version))
	return f
}

// planSectionPage shows one section, as a form to those who may write it.
func (s *Server) planSectionPage(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	plan, views, err := s.planAndViews(ctx, c)
	if err != nil {
		return err
	}
	if !c.section.Writable() {
		return redirect(w, r, fmt.Sprintf("/people/%d/plan#%s", c.person.ID, c.section.Key), "")
	}
	if plan.Orphan(c.section.Key) {
		return notFound()
	}
	v := s.sectionView(c, plan, views, *c.section)
	if err := s.auditPlan(ctx, c, "plan.view", c.section.Key); err != nil {
		return err
	}
	return s.renderSection(w, r, c, http.StatusOK, v, nil, sectionForm(v))
}

func (s *Server) renderSection(w http.ResponseWriter, r *http.Request, c *call, status int, v planSectionView, theirs *planSectionView, f *Form) error {
	d := planSectionData{Person: c.person, IsSelf: c.actor.User.ID == c.person.ID, Owner: planOwner(c), Supporter: asSupporter(c), Section: v, Theirs: theirs}
	return s.render(w, r, c, status, "plan_section", page{Title: v.Heading, Form: f, Data: d})
}

// savePlanSection keeps a new version of the section. A stale save shows
// both texts, keeping the writer's, so that nothing anyone wrote is lost.
func (s *Server) savePlanSection(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	f := newForm(r)
	base, _ := strconv.Atoi(f.Get("version"))
	text := alongside.SectionText{}
	order := []string{}
	for _, fd := range c.section.Fields {
		text[fd.Key] = f.Get(fd.Key)
		order = append(order, fd.Key)
	}
	written, err := s.sectionTexts(ctx, c, f)
	if err != nil {
		return err
	}
	_, err = s.store.Plans.SaveSection(ctx, c.person.ID, *c.section, base, text, c.actor.User.ID, c.personService)
	if err == nil {
		to := fmt.Sprintf("/people/%d/plan#%s", c.person.ID, c.section.Key)
		if c.section.Key == alongside.SectionCrisis {
			to = fmt.Sprintf("/people/%d/crisis", c.person.ID) // back to where "Change" was
		}
		return s.afterSave(w, r, c, to, "Saved: "+c.section.TitleFor(planOwner(c))+".", written...)
	}
	if !f.Absorb(err, order...) {
		return err
	}
	plan, views, perr := s.planAndViews(ctx, c)
	if perr != nil {
		return perr
	}
	v := s.sectionView(c, plan, views, *c.section)
	if alongside.ErrorCode(err) != alongside.ECONFLICT {
		return s.renderSection(w, r, c, http.StatusUnprocessableEntity, v, nil, f)
	}
	// Saving again now writes over theirs, knowingly: the form carries
	// their version, and shows their text beside the writer's own.
	f.OnConflict(err, v.Current.Version)
	return s.renderSection(w, r, c, http.StatusConflict, v, &v, f)
}

// sectionTexts are a section's free texts as saved, each with what it said
// before, for language suggestions: only what this writer added is
// suggested on, never the words of the person whose plan it is. Nothing is
// read when the writer gets no suggestions (someone writing their own plan
// without asking for them).
func (s *Server) sectionTexts(ctx context.Context, c *call, f *Form) ([]writtenText, error) {
	if !suggestionsOn(c.actor) {
		return nil, nil
	}
	plan, err := s.store.Plans.Plan(ctx, c.person.ID)
	if err != nil {
		return nil, err
	}
	cur := plan.Sections[c.section.Key].Text
	var out []writtenText
	for _, fd := range c.section.Fields {
		if fd.Kind == "" {
			out = append(out, writtenText{Field: fd.Key, Label: fd.Label, Text: f.Get(fd.Key), Before: cur[fd.Key]})
		}
	}
	return out, nil
}

type planDiffField struct {
	Label   string
	Lines   []textdiff.Line
	Changed bool
}

type planHistoryData struct {
	Person   *alongside.User
	Owner    string // "" to the person, else their name
	Heading  string // the section's title as the reader reads it
	Section  alongside.PlanSection
	Versions []alongside.SectionVersion
	From, To *alongside.SectionVersion
	Fields   []planDiffField
}

// planSectionHistory lists a section's versions and shows what changed
// between two of them: by default the latest and the one before.
func (s *Server) planSectionHistory(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	vs, err := s.store.Plans.SectionHistory(ctx, c.person.ID, c.section.Key)
	if err != nil {
		return err
	}
	d := planHistoryData{Person: c.person, Owner: planOwner(c), Heading: c.section.TitleFor(planOwner(c)), Section: *c.section, Versions: vs}
	pick := func(param string, def int) *alongside.SectionVersion {
		n, err := strconv.Atoi(r.URL.Query().Get(param))
		if err != nil {
			n = def
		}
		for i := range vs {
			if vs[i].Version == n {
				return &vs[i]
			}
		}
		return nil
	}
	if len(vs) > 0 {
		d.To = pick("to", vs[0].Version)
		d.From = pick("from", vs[0].Version-1)
	}
	if d.To != nil {
		var from alongside.SectionText
		if d.From != nil {
			from = d.From.Text
		}
		for _, fd := range c.section.Fields {
			ls := textdiff.Lines(from[fd.Key], d.To.Text[fd.Key])
			d.Fields = append(d.Fields, planDiffField{Label: fd.Label, Lines: ls, Changed: textdiff.Changed(ls)})
		}
	}
	if err := s.auditPlan(ctx, c, "plan.view", c.section.Key+" history"); err != nil {
		return err
	}
	return s.render(w, r, c, http.StatusOK, "plan_history", page{Title: "What changed: " + d.Heading, Data: d})
}

// signOffPlan records the person's acknowledgement of the plan as they read it.
func (s *Server) signOffPlan(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	f := newForm(r)
	version, _ := strconv.Atoi(f.Get("version"))
	to := fmt.Sprintf("/people/%d/plan", c.person.ID)
	if err := s.store.Plans.SignOffPlan(ctx, c.person.ID, version, c.personService); alongside.ErrorCode(err) == alongside.ECONFLICT {
		setFlash(w, "warning", alongside.ErrorMessage(err))
		return redirect(w, r, to, "")
	} else if err != nil {
		return err
	}
	return redirect(w, r, to, fmt.Sprintf("You signed off version %d of your plan.", version))
}

type activityEntry struct {
	alongside.AuditEvent
	Who  string
	What string
}

type planActivityData struct {
	Person  *alongside.User
	Entries []activityEntry
	More    bool
	Next    int
}

// planActivity lists who has looked at or changed the person's records,
// newest first, for the person themselves.
func (s *Server) planActivity(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	const perPage = 50
	events, more, err := s.store.Audit.PersonActivity(ctx, c.person.ID, offset, perPage)
	if err != nil {
		return err
	}
	d := planActivityData{Person: c.person, More: more, Next: max(offset, 0) + perPage}
	names := map[int64]string{}
	for _, e := range events {
		who, ok := names[e.ActorID]
		if !ok && e.ActorID != 0 {
			if u, err := s.store.Accounts.User(ctx, e.ActorID); err == nil {
				who = u.Name
			}
			names[e.ActorID] = who
		}
		if e.ActorID == c.person.ID {
			who = "You"
		}
		d.Entries = append(d.Entries, activityEntry{AuditEvent: e, Who: who, What: activityWhat(e)})
	}
	return s.render(w, r, c, http.StatusOK, "plan_activity", page{Title: "Who has looked at my plan", Data: d})
}

// activityWhat says in plain words what an audit event about a person was.
func activityWhat(e alongside.AuditEvent) string {
	section := func() string {
		if sec, ok := alongside.PlanSectionByKey(e.Detail); ok {
			return "“" + sec.Title + "”"
		}
		return "a section"
	}
	switch e.Action {
	case "plan.view":
		switch e.Detail {
		case "":
			return "Looked at your plan"
		case "due":
			return "Saw what in your plan is due a look together, on their list"
		}
		if key, ok := strings.CutSuffix(e.Detail, " history"); ok {
			if sec, ok := alongside.PlanSectionByKey(key); ok {
				return "Looked at the changes to “" + sec.Title + "”"
			}
		}
		return "Looked at " + section()
	case "plan.save":
		return "Changed " + section()
	case "plan.sign_off":
		return "Signed off the plan"
	case "person.view":
		return "Looked at your page"
	case "plan.share":
		return "Changed what your supporters can see"
	case "plan.share_circle":
		if e.Detail == "on" {
			return "Let your supporters see each other’s names and views"
		}
		return "Stopped your supporters seeing each other’s names and views"
	case "plan.share_service":
		return "Changed what a service you joined can see"
	case "plan.break_glass":
		return "Opened your crisis plan in an emergency, saying: " + e.Detail
	case "plan.supporter_view":
		return "Added their view to " + section()
	case "link.issue", "link.use":
		return linkWhat(e)
	}
	return e.Action
}

// addSupporterView keeps a supporter's own view on a section.
func (s *Server) addSupporterView(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	f := newForm(r)
	v := &alongside.SupporterView{PersonID: c.person.ID, Section: c.section.Key, SupporterID: c.actor.User.ID, Text: f.Get("view")}
	if err := s.store.Plans.AddSupporterView(ctx, v, c.personService); f.Absorb(err, "view") {
		plan, views, perr := s.planAndViews(ctx, c)
		if perr != nil {
			return perr
		}
		return s.renderSection(w, r, c, http.StatusUnprocessableEntity, s.sectionView(c, plan, views, *c.section), nil, f)
	} else if err != nil {
		return err
	}
	return s.afterSave(w, r, c, fmt.Sprintf("/people/%d/plan/sections/%s", c.person.ID, c.section.Key), "Your view is added.", texts(f, "view", "Your view")...)
}

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

// printPlan lays out the whole plan, or the sections chosen, for paper.
func (s *Server) printPlan(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	plan, views, err := s.planAndViews(ctx, c)
	if err != nil {
		return err
	}
	chosen := map[string]bool{}
	for _, k := range r.URL.Query()["s"] {
		chosen[k] = true
	}
	d := s.visiblePlan(c, plan, views, chosen)
	if err := s.auditPlan(ctx, c, "plan.view", ""); err != nil {
		return err
	}
	return s.render(w, r, c, http.StatusOK, "plan_print", page{Title: "Recovery plan: " + c.person.Name, Data: d})
}
