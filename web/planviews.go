package web

import (
	"context"
	"html/template"
	"sort"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
)

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
