package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/textdiff"
)

// A person's recovery plan: theirs to write, with the practitioners
// allocated to them. Every read and every change is audited against the
// person, and the person can see who has looked.

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

// savePlanSection stores a new version of the section. A stale save shows
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

// addSupporterView stores a supporter's own view on a section.
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
