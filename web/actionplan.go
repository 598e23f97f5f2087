package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
	"github.com/alongside-recovery/alongside/content"
)

// The action plan page holds many small forms (one per indicator, three per
// action, one to add an action). Each form's fields have ids scoped by a
// prefix ("f-goals-", "new-", "a12-", "n12-", "x12-") so that the error
// summary links to the right field, while their names stay plain.

type choice struct {
	Value, Label, Hint string
}

type findingView struct {
	Indicator alongside.Indicator
	Finding   alongside.Finding
	Prefix    string
	Form      *Form
}

type actionView struct {
	alongside.Action
	Overdue                bool
	DueOn                  time.Time
	IndicatorNames         []string
	ThemeLabels            []string
	Edit, Note, Example    *Form
	EditP, NoteP, ExampleP string // field id prefixes
}

type planData struct {
	Review       *alongside.Review
	Open         bool // the plan may be written at this stage
	CanWrite     bool // open, and the actor contributes to the review
	CanSeeReview bool
	Findings     []findingView
	Actions      []actionView
	New          *Form
	Indicators   []choice
	Themes       []choice
	Statuses     []alongside.ActionStatus
	Failed       string // prefix of the form that came back with problems
	Conflict     bool   // it came back because someone else saved first
}

func (s *Server) actionPlan(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.planPage(w, r, c, http.StatusOK, "", nil)
}

// planPage shows the plan. When a form came back (failed is its prefix),
// that form keeps the user's input and messages; after a stale save it
// carries the current version, so saving again knowingly replaces the
// change now shown above it.
func (s *Server) planPage(w http.ResponseWriter, r *http.Request, c *call, status int, failed string, f *Form) error {
	ctx := r.Context()
	set, err := s.store.Reviews.ReviewStatementSet(r.Context(), c.review)
	if err != nil {
		return err
	}
	plan, err := s.store.ActionPlans.ActionPlan(ctx, c.review.ID)
	if err != nil {
		return err
	}
	d := planData{Review: c.review, Open: c.review.PlanOpen(), Statuses: alongside.ActionStatuses, Failed: failed,
		CanSeeReview: authz.Can(c.actor, authz.ViewReview, c.res), New: &Form{Values: url.Values{}}}
	d.CanWrite = d.Open && authz.Can(c.actor, authz.ContributeToReview, c.res)
	d.Conflict = status == http.StatusConflict
	for _, in := range set.Indicators {
		d.Indicators = append(d.Indicators, choice{Value: in.Key, Label: in.Name})
		fd := plan.Findings[in.Key]
		form := &Form{Values: url.Values{"indicator": {in.Key}, "strengths": {fd.Strengths}, "areas": {fd.Areas}, "version": {strconv.Itoa(fd.Version)}}}
		d.Findings = append(d.Findings, findingView{Indicator: in, Finding: fd, Prefix: "f-" + in.Key + "-", Form: form})
	}
	for _, th := range content.DefaultThemes() {
		d.Themes = append(d.Themes, choice{Value: th.Key, Label: th.Label, Hint: th.About})
	}
	today := s.zone.day(s.now())
	for _, a := range plan.Actions {
		v := actionView{Action: a, Overdue: a.Overdue(today), DueOn: a.DueDate(),
			IndicatorNames: indicatorNames(set, a), ThemeLabels: themeLabels(a),
			Note: &Form{Values: url.Values{}}, Example: &Form{Values: url.Values{}},
			EditP: fmt.Sprintf("a%d-", a.ID), NoteP: fmt.Sprintf("n%d-", a.ID), ExampleP: fmt.Sprintf("x%d-", a.ID)}
		v.Edit = &Form{Values: url.Values{"what": {a.What}, "who": {a.Who}, "due": {a.Due}, "status": {string(a.Status)},
			"indicators": a.Indicators, "themes": a.Themes, "version": {strconv.Itoa(a.Version)}}}
		d.Actions = append(d.Actions, v)
	}
	// Put the returned form in its place.
	if f != nil {
		switch {
		case failed == "new-":
			d.New = f
		case strings.HasPrefix(failed, "f-"):
			for i := range d.Findings {
				if d.Findings[i].Prefix == failed {
					if d.Conflict {
						f.Set("version", strconv.Itoa(d.Findings[i].Finding.Version))
					}
					d.Findings[i].Form = f
				}
			}
		default:
			for i := range d.Actions {
				a := &d.Actions[i]
				switch failed {
				case a.EditP:
					if d.Conflict {
						f.Set("version", strconv.Itoa(a.Version))
					}
					a.Edit = f
				case a.NoteP:
					a.Note = f
				case a.ExampleP:
					a.Example = f
				}
			}
		}
	}
	var pf *Form
	if f != nil && f.HasErrors() {
		pf = f
	}
	return s.render(w, r, c, status, "action_plan", page{Title: "Action plan: " + c.review.Title, Form: pf, Data: d})
}

// planWrite runs a write to the plan and answers it: on to the plan with a
// message, or the plan again with the form as sent (422 for a mistake, 409 for
// a stale save). Errors without field messages, other than a stale save,
// go to the error page.
func (s *Server) planWrite(w http.ResponseWriter, r *http.Request, c *call, f *Form, prefix, anchor, done string, err error, order ...string) error {
	code := alongside.ErrorCode(err)
	if err == nil {
		return s.afterSave(w, r, c, fmt.Sprintf("/reviews/%d/plan#%s", c.review.ID, anchor), done, planTexts(f, order)...)
	}
	if code != alongside.ECONFLICT && (code != alongside.EINVALID || len(alongside.FieldErrors(err)) == 0) {
		return err
	}
	f.Absorb(err, order...)
	for i := range f.Errors {
		f.Errors[i].Field = prefix + f.Errors[i].Field
	}
	status := http.StatusUnprocessableEntity
	if code == alongside.ECONFLICT {
		status = http.StatusConflict
	}
	return s.planPage(w, r, c, status, prefix, f)
}

// planSet returns the review's statement set, refusing first a write before
// the plan is open (the store checks again in its transaction).
func (s *Server) planSet(r *http.Request, c *call) (*alongside.StatementSet, error) {
	if !c.review.PlanOpen() {
		return nil, alongside.PlanClosed(c.review.Stage)
	}
	return s.store.Reviews.ReviewStatementSet(r.Context(), c.review)
}

func (s *Server) saveFinding(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	set, err := s.planSet(r, c)
	if err != nil {
		return err
	}
	fd := &alongside.Finding{Indicator: f.Get("indicator"), Strengths: f.Get("strengths"), Areas: f.Get("areas"), UpdatedBy: c.actor.User.ID}
	fd.Version, _ = strconv.Atoi(f.Get("version"))
	err = s.store.ActionPlans.SaveFinding(r.Context(), c.review, set, fd)
	return s.planWrite(w, r, c, f, "f-"+fd.Indicator+"-", "f-"+fd.Indicator, "Strengths and areas for development saved.", err, "strengths", "areas")
}

// actionFromForm reads the fields shared by the add and edit forms.
func actionFromForm(f *Form) *alongside.Action {
	return &alongside.Action{What: f.Get("what"), Who: f.Get("who"), Due: f.Get("due"), Status: alongside.ActionStatus(f.Get("status")),
		Indicators: f.Values["indicators"], Themes: f.Values["themes"]}
}

func (s *Server) addAction(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	set, err := s.planSet(r, c)
	if err != nil {
		return err
	}
	a := actionFromForm(f)
	a.Status, a.CreatedBy = alongside.ActionPlanned, c.actor.User.ID
	err = s.store.ActionPlans.AddAction(r.Context(), c.review, set, a)
	return s.planWrite(w, r, c, f, "new-", fmt.Sprintf("action-%d", a.ID), "Action added.", err, "what", "who", "due", "indicators", "themes")
}

func (s *Server) updateAction(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	set, err := s.planSet(r, c)
	if err != nil {
		return err
	}
	a := actionFromForm(f)
	a.ID = c.action.ID
	a.Version, _ = strconv.Atoi(f.Get("version"))
	err = s.store.ActionPlans.UpdateAction(r.Context(), c.review, set, a)
	return s.planWrite(w, r, c, f, fmt.Sprintf("a%d-", a.ID), fmt.Sprintf("action-%d", a.ID), "Action saved.", err,
		"what", "who", "due", "status", "indicators", "themes")
}

func (s *Server) addProgressNote(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	if _, err := s.planSet(r, c); err != nil {
		return err
	}
	n := &alongside.ProgressNote{ActionID: c.action.ID, Text: f.Get("text"), WrittenBy: c.actor.User.ID}
	err := s.store.ActionPlans.AddProgressNote(r.Context(), c.review, n)
	return s.planWrite(w, r, c, f, fmt.Sprintf("n%d-", c.action.ID), fmt.Sprintf("action-%d", c.action.ID), "Progress note added.", err, "text")
}

func (s *Server) addChangeExample(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	if _, err := s.planSet(r, c); err != nil {
		return err
	}
	e := &alongside.ChangeExample{ActionID: c.action.ID, Text: f.Get("text"), AddedBy: c.actor.User.ID}
	err := s.store.ActionPlans.AddChangeExample(r.Context(), c.review, e)
	return s.planWrite(w, r, c, f, fmt.Sprintf("x%d-", c.action.ID), fmt.Sprintf("action-%d", c.action.ID), "Example of change added.", err, "text")
}

// indicatorNames names an action's indicators in the statement set's order.
func indicatorNames(set *alongside.StatementSet, a alongside.Action) []string {
	var out []string
	for _, in := range set.Indicators {
		if slices.Contains(a.Indicators, in.Key) {
			out = append(out, in.Name)
		}
	}
	return out
}

// themeLabels labels an action's themes in the themes list's order.
func themeLabels(a alongside.Action) []string {
	var out []string
	for _, th := range content.DefaultThemes() {
		if slices.Contains(a.Themes, th.Key) {
			out = append(out, th.Label)
		}
	}
	return out
}

// planTexts are the free texts among a plan form's fields, for language
// suggestions.
func planTexts(f *Form, fields []string) []writtenText {
	labels := map[string]string{"strengths": "Strengths to build on", "areas": "Areas for development",
		"what": "What will be done", "text": "What you wrote"}
	var out []writtenText
	for _, name := range fields {
		if l, ok := labels[name]; ok {
			out = append(out, texts(f, name, l)...)
		}
	}
	return out
}
