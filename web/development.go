package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
	"github.com/alongside-recovery/alongside/content"
)

// A practitioner's development: their self-assessment against the
// Realising Recovery framework, their development plan (shared with their
// supervisor and others they choose), and the Ten Top Tips reflection after
// a session. For the service manager, the same in anonymous totals.

func practice() *alongside.PracticeContent { return content.DefaultPractice() }

func developmentPath(practitionerID int64, rest string) string {
	return fmt.Sprintf("/practitioners/%d/%s", practitionerID, rest)
}

type developmentRow struct {
	At    time.Time
	Means []string // per group, one decimal place
	Needs int
}

type developmentData struct {
	Practitioner *alongside.User
	Practice     *alongside.PracticeContent
	Assessments  int
	Latest       *alongside.SelfAssessment
	Chart        *svgChart
	Rows         []developmentRow
	Groups       []alongside.PracticeKind
	Objectives   int
	Reflections  int                            // in the last 30 days
	Draft        *alongside.SelfAssessmentDraft // a self-assessment under way, or nil
	DraftDone    int                            // its parts answered
	Parts        int                            // the self-assessment's parts
}

// developmentHome is the practitioner's own page: reflect now, their
// self-assessments over time, and the way to their plan.
func (s *Server) developmentHome(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	pc := practice()
	as, err := s.store.Development.SelfAssessments(ctx, c.user.ID)
	if err != nil {
		return err
	}
	plan, err := s.store.Development.DevelopmentPlan(ctx, c.user.ID)
	if err != nil {
		return err
	}
	refl, err := s.store.Development.Reflections(ctx, c.user.ID, s.store.Clock.Now().AddDate(0, 0, -30))
	if err != nil {
		return err
	}
	draft, err := s.store.Development.SelfAssessmentDraft(ctx, c.user.ID)
	if err != nil {
		return err
	}
	parts := pc.SelfAssessmentParts()
	d := &developmentData{Practitioner: c.user, Practice: pc, Assessments: len(as), Groups: alongside.FrameworkGroups,
		Objectives: len(plan.Objectives), Reflections: len(refl), Parts: len(parts)}
	if draft.Version > 0 {
		d.Draft = draft
		for _, p := range parts {
			if draft.PartDone(p) {
				d.DraftDone++
			}
		}
	}
	if len(as) > 0 {
		d.Latest = &as[len(as)-1]
		d.Chart = selfAssessmentChart(pc, as, s.zone)
		for i := len(as) - 1; i >= 0; i-- {
			row := developmentRow{At: as[i].TakenAt}
			for _, g := range alongside.FrameworkGroups {
				row.Means = append(row.Means, fmt.Sprintf("%.1f", as[i].GroupMean(pc, g)))
			}
			for _, rt := range as[i].Ratings {
				if rt.Need {
					row.Needs++
				}
			}
			d.Rows = append(d.Rows, row)
		}
	}
	return s.render(w, r, c, http.StatusOK, "development", page{Title: "My development", Data: d})
}

func selfAssessmentChart(pc *alongside.PracticeContent, as []alongside.SelfAssessment, z zone) *svgChart {
	sp := lineSpec{YMin: 1, YMax: 4, YTicks: []float64{1, 2, 3, 4}, From: as[0].TakenAt, To: as[len(as)-1].TakenAt, XLabel: z.date}
	for _, g := range alongside.FrameworkGroups {
		l := lineSeries{Label: g.Label()}
		for _, a := range as {
			l.Points = append(l.Points, linePoint{a.TakenAt, a.GroupMean(pc, g)})
		}
		sp.Series = append(sp.Series, l)
	}
	ch := lineChart(sp)
	return &ch
}

type selfAssessmentGroup struct {
	Kind  alongside.PracticeKind
	Items []alongside.PracticeItem
}

// selfAssessmentItem is one item of a part as the page shows it.
type selfAssessmentItem struct {
	alongside.PracticeItem
	Number int    // within its group, from 1
	Saved  string // after a clash: what the other save holds, when it differs from this page
}

// selfAssessmentStep is a part in the page's progress list.
type selfAssessmentStep struct {
	Number        int
	Title         string
	Done, Current bool
}

type selfAssessmentData struct {
	Practitioner *alongside.User
	Part         alongside.SelfAssessmentPart
	Parts        int
	Items        []selfAssessmentItem
	Steps        []selfAssessmentStep
	Scale        []alongside.Choice
	Last         bool
	Conflict     bool
	Draft        *alongside.SelfAssessmentDraft
}

// selfAssessmentForm shows one part of the self-assessment: the part asked
// for (?part=N), or the first one not yet answered. Each item starts from
// the answer in the draft under way, else from the practitioner's latest
// self-assessment, so that repeating it means changing only what has moved.
func (s *Server) selfAssessmentForm(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	parts := practice().SelfAssessmentParts()
	draft, err := s.store.Development.SelfAssessmentDraft(ctx, c.user.ID)
	if err != nil {
		return err
	}
	n := draft.NextPart(parts)
	if n == 0 {
		n = len(parts)
	}
	if v := r.URL.Query().Get("part"); v != "" {
		if n, err = strconv.Atoi(v); err != nil || n < 1 || n > len(parts) {
			return notFound()
		}
	}
	part := parts[n-1]
	f := newForm(r)
	latest, err := s.latestSelfAssessment(r, c)
	if err != nil {
		return err
	}
	for _, it := range part.Items {
		rt, ok := draft.Ratings[it.Key]
		if !ok && latest != nil {
			rt = latest.Ratings[it.Key]
		}
		setRating(f, it.Key, rt)
		// Sent here to finish a part left unanswered: say which items.
		if rt.Rating == 0 && r.URL.Query().Get("check") != "" {
			f.Add("r-"+it.Key, "Choose how this sits with you now.")
		}
	}
	f.Set("version", strconv.Itoa(draft.Version))
	return s.renderSelfAssessment(w, r, c, http.StatusOK, f, part, draft, nil)
}

func (s *Server) latestSelfAssessment(r *http.Request, c *call) (*alongside.SelfAssessment, error) {
	as, err := s.store.Development.SelfAssessments(r.Context(), c.user.ID)
	if err != nil || len(as) == 0 {
		return nil, err
	}
	return &as[len(as)-1], nil
}

// setRating puts an item's rating into the form as its fields hold it.
func setRating(f *Form, key string, rt alongside.ItemRating) {
	f.Values.Del("r-" + key)
	f.Values.Del("n-" + key)
	if rt.Rating > 0 {
		f.Set("r-"+key, strconv.Itoa(rt.Rating))
	}
	if rt.Need {
		f.Set("n-"+key, "yes")
	}
}

// ratingText is a rating as the page words it, for what another tab saved.
func ratingText(rt alongside.ItemRating) string {
	t := alongside.RatingLabel(rt.Rating)
	if t == "" {
		t = "not answered"
	}
	if rt.Need {
		t += ", marked to develop"
	}
	return t
}

// renderSelfAssessment shows a part; other, when a save clashed, is the
// draft as the other save left it.
func (s *Server) renderSelfAssessment(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form, part alongside.SelfAssessmentPart,
	draft, other *alongside.SelfAssessmentDraft) error {
	parts := practice().SelfAssessmentParts()
	d := &selfAssessmentData{Practitioner: c.user, Part: part, Parts: len(parts), Scale: alongside.RatingScale,
		Last: part.Number == len(parts), Conflict: other != nil, Draft: draft}
	for i, it := range part.Items {
		v := selfAssessmentItem{PracticeItem: it, Number: part.First + i}
		if other != nil {
			mine := alongside.ItemRating{Need: f.Get("n-"+it.Key) == "yes"}
			mine.Rating, _ = strconv.Atoi(f.Get("r-" + it.Key))
			if saved, ok := other.Ratings[it.Key]; ok && saved != mine {
				v.Saved = ratingText(saved)
			}
		}
		d.Items = append(d.Items, v)
	}
	for _, p := range parts {
		d.Steps = append(d.Steps, selfAssessmentStep{Number: p.Number, Title: p.Title(), Done: draft.PartDone(p), Current: p.Number == part.Number})
	}
	title := fmt.Sprintf("Self-assessment, part %d of %d", part.Number, len(parts))
	return s.render(w, r, c, status, "self_assessment", page{Title: title, Form: f, Data: d})
}

// saveSelfAssessment keeps one part in the draft and goes on ("next"),
// back ("back") or to My development ("later"). Going on needs every item
// of the part answered; going back or stopping keeps whatever is answered.
// The last part's "next" saves the whole self-assessment.
func (s *Server) saveSelfAssessment(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	f := newForm(r)
	pc := practice()
	parts := pc.SelfAssessmentParts()
	n, err := strconv.Atoi(f.Get("part"))
	if err != nil || n < 1 || n > len(parts) {
		return alongside.Errorf(alongside.EINVALID, "The self-assessment has changed since this page was opened. Go back, reload the page and try again.")
	}
	part := parts[n-1]
	move := f.Get("go")
	save := &alongside.SelfAssessmentPartSave{PractitionerID: c.user.ID, Part: part, Ratings: map[string]alongside.ItemRating{},
		Complete: move != "back" && move != "later", Finish: move != "back" && move != "later" && part.Number == len(parts)}
	save.Version, _ = strconv.Atoi(f.Get("version"))
	for _, it := range part.Items {
		rt := alongside.ItemRating{Need: f.Get("n-"+it.Key) == "yes"}
		if v := f.Get("r-" + it.Key); v != "" {
			if rt.Rating, err = strconv.Atoi(v); err != nil {
				rt.Rating = -1 // refused by Validate, beside the item
			}
		}
		save.Ratings[it.Key] = rt
	}
	done, err := s.store.Development.SaveSelfAssessmentPart(ctx, save, pc)
	switch alongside.ErrorCode(err) {
	case "":
	case alongside.ECONFLICT:
		// Show what the other tab saved beside each item that differs,
		// keep this page's answers, and go on from the version shown.
		cur, cerr := s.store.Development.SelfAssessmentDraft(ctx, c.user.ID)
		if cerr != nil {
			return cerr
		}
		f.OnConflict(err, cur.Version)
		msg := alongside.ErrorMessage(err)
		if cur.Version == 0 {
			msg = "Your self-assessment was finished in another window or tab while this page was open; it is saved. Saving this page starts a new one from your answers here."
		}
		f.Add("conflict", msg)
		return s.renderSelfAssessment(w, r, c, http.StatusConflict, f, part, cur, cur)
	case alongside.EINVALID:
		fields := alongside.FieldErrors(err)
		for _, it := range part.Items {
			if msg := fields[it.Key]; msg != "" {
				f.Add("r-"+it.Key, msg)
			}
		}
		if !f.HasErrors() {
			f.Add("r-"+part.Items[0].Key, alongside.ErrorMessage(err))
		}
		draft, derr := s.store.Development.SelfAssessmentDraft(ctx, c.user.ID)
		if derr != nil {
			return derr
		}
		return s.renderSelfAssessment(w, r, c, http.StatusUnprocessableEntity, f, part, draft, nil)
	default:
		return err
	}
	partPath := func(n int) string { return developmentPath(c.user.ID, fmt.Sprintf("self-assessment?part=%d", n)) }
	switch {
	case done != nil:
		return redirect(w, r, developmentPath(c.user.ID, "development"), "Self-assessment saved.")
	case move == "later":
		return redirect(w, r, developmentPath(c.user.ID, "development"), "Your answers so far are kept. Carry on from here whenever you are ready.")
	case move == "back":
		return redirect(w, r, partPath(max(1, n-1)), "")
	case n < len(parts):
		return redirect(w, r, partPath(n+1), fmt.Sprintf("Part %d saved.", n))
	}
	// The last part is answered but an earlier one is not (opened out of
	// turn): go to it, with its unanswered items marked.
	draft, err := s.store.Development.SelfAssessmentDraft(ctx, c.user.ID)
	if err != nil {
		return err
	}
	k := max(1, draft.NextPart(parts))
	setFlash(w, "warning", fmt.Sprintf("Your answers are kept. Part %d still has items to answer before the self-assessment can be saved.", k))
	http.Redirect(w, r, partPath(k)+"&check=1", http.StatusSeeOther)
	return nil
}

type objectiveView struct {
	alongside.DevelopmentObjective
	NeedItemText, ActivityKindText, StatusLabel, ActivityStatusLabel string
}

type developmentPlanData struct {
	Practitioner *alongside.User
	IsSelf       bool
	Plan         *alongside.DevelopmentPlan
	Objectives   []objectiveView
	CanComment   bool
	CanSignOff   bool
	Colleagues   []alongside.Colleague // to share with: the practitioner only
	Shared       map[int64]bool
	Supervisors  map[int64]bool
}

// developmentPlan shows the plan to the practitioner and to those they
// share it with; it prints for appraisal.
func (s *Server) developmentPlan(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.renderDevelopmentPlan(w, r, c, http.StatusOK, newForm(r))
}

func (s *Server) renderDevelopmentPlan(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	ctx := r.Context()
	pc := practice()
	plan, err := s.store.Development.DevelopmentPlan(ctx, c.user.ID)
	if err != nil {
		return err
	}
	d := &developmentPlanData{Practitioner: c.user, IsSelf: c.actor.User.ID == c.user.ID, Plan: plan,
		CanComment: authz.Can(c.actor, authz.ViewDevelopmentPlan, c.res), CanSignOff: authz.Can(c.actor, authz.SignOffDevelopmentPlan, c.res),
		Shared: map[int64]bool{}, Supervisors: map[int64]bool{}}
	for _, o := range plan.Objectives {
		v := objectiveView{DevelopmentObjective: o, StatusLabel: alongside.ChoiceLabel(alongside.ObjectiveStatuses, o.Status),
			ActivityStatusLabel: alongside.ChoiceLabel(alongside.ActivityStatuses, o.ActivityStatus)}
		if it, ok := pc.Item(o.NeedItem); ok {
			v.NeedItemText = it.Text
		}
		if it, ok := pc.Item(o.ActivityKind); ok {
			v.ActivityKindText = it.Text
		}
		d.Objectives = append(d.Objectives, v)
	}
	if d.IsSelf {
		if d.Colleagues, err = s.store.Development.Colleagues(ctx, c.user.ID); err != nil {
			return err
		}
		for _, sh := range plan.SharedWith {
			d.Shared[sh.ID] = true
		}
		for _, sv := range c.actor.SupervisedBy {
			d.Supervisors[sv.SupervisorID] = true
		}
	} else if err := s.store.Audit.Audit(ctx, "development.plan.view", "user", c.user.ID, 0, 0, ""); err != nil {
		return err
	}
	title := "My development plan"
	if !d.IsSelf {
		title = c.user.Name + "’s development plan"
	}
	return s.render(w, r, c, status, "development_plan", page{Title: title, Form: f, Data: d})
}

type objectiveFormData struct {
	Practitioner     *alongside.User
	Objective        *alongside.DevelopmentObjective // nil for a new one
	Conflict         bool                            // saved elsewhere since the form was opened: Objective is what is saved now
	Framework        []selfAssessmentGroup
	Activities       []alongside.PracticeItem
	Statuses         []alongside.Choice
	ActivityStatuses []alongside.Choice
}

func (s *Server) objectiveForm(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	if o := c.objective; o != nil {
		for k, v := range map[string]string{"need_item": o.NeedItem, "need": o.Need, "objective": o.Objective, "status": o.Status,
			"activity_kind": o.ActivityKind, "activity": o.Activity, "activity_status": o.ActivityStatus, "target_date": o.TargetDate,
			"evidence": o.Evidence, "links": strings.Join(o.Links, "\n"), "reflection": o.Reflection, "version": strconv.Itoa(o.Version)} {
			f.Set(k, v)
		}
	} else {
		f.Set("status", "planned")
		f.Set("activity_status", "planned")
		f.Set("need_item", r.URL.Query().Get("need"))
	}
	return s.renderObjective(w, r, c, http.StatusOK, f)
}

func (s *Server) renderObjective(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	pc := practice()
	d := &objectiveFormData{Practitioner: c.user, Objective: c.objective, Activities: pc.Activities, Conflict: f.Error("conflict") != "",
		Statuses: alongside.ObjectiveStatuses, ActivityStatuses: alongside.ActivityStatuses}
	for _, g := range alongside.FrameworkGroups {
		d.Framework = append(d.Framework, selfAssessmentGroup{g, pc.InGroup(g)})
	}
	title := "A new objective"
	if c.objective != nil {
		title = "Change an objective"
	}
	return s.render(w, r, c, status, "development_objective", page{Title: title, Form: f, Data: d})
}

// saveObjective adds an objective or changes one from the version shown.
func (s *Server) saveObjective(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	o := &alongside.DevelopmentObjective{PractitionerID: c.user.ID, NeedItem: f.Get("need_item"), Need: f.Get("need"),
		Objective: f.Get("objective"), Status: f.Get("status"), ActivityKind: f.Get("activity_kind"), Activity: f.Get("activity"),
		ActivityStatus: f.Get("activity_status"), TargetDate: f.Get("target_date"), Evidence: f.Get("evidence"),
		Links: strings.Split(f.Get("links"), "\n"), Reflection: f.Get("reflection")}
	if c.objective != nil {
		o.ID = c.objective.ID
		o.Version, _ = strconv.Atoi(f.Get("version"))
	}
	err := s.store.Development.SaveObjective(r.Context(), o, practice())
	if alongside.ErrorCode(err) == alongside.ECONFLICT {
		// Show what is saved now above the writer's own words, kept in the
		// form; saving again goes on from the version shown.
		cur, cerr := s.store.Development.Objective(r.Context(), o.ID)
		if cerr != nil {
			return cerr
		}
		c.objective = cur
		f.OnConflict(err, cur.Version)
		f.Add("conflict", alongside.ErrorMessage(err))
		return s.renderObjective(w, r, c, http.StatusConflict, f)
	}
	if f.Absorb(err, "need_item", "need", "objective", "status", "activity_kind", "activity", "activity_status", "target_date", "evidence", "links", "reflection") {
		return s.renderObjective(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	written := texts(f, "need", "The need", "objective", "Objective", "activity", "The learning activity", "evidence", "Evidence", "reflection", "Reflection")
	if c.objective != nil {
		for i, before := range []string{c.objective.Need, c.objective.Objective, c.objective.Activity, c.objective.Evidence, c.objective.Reflection} {
			written[i].Before = before
		}
	}
	return s.afterSave(w, r, c, developmentPath(c.user.ID, fmt.Sprintf("development-plan#objective-%d", o.ID)), "Objective saved.", written...)
}

// shareDevelopmentPlan sets who sees the plan, from the colleagues listed.
func (s *Server) shareDevelopmentPlan(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	var ids []int64
	for _, v := range f.Values["viewer"] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return alongside.Errorf(alongside.EINVALID, "That is not someone you can share with. Reload the page and try again.")
		}
		ids = append(ids, n)
	}
	if err := s.store.Development.ShareDevelopmentPlan(r.Context(), c.user.ID, ids); err != nil {
		return err
	}
	return redirect(w, r, developmentPath(c.user.ID, "development-plan#sharing"), "Sharing saved.")
}

func (s *Server) commentOnDevelopmentPlan(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	cm := &alongside.DevelopmentComment{PractitionerID: c.user.ID, AuthorID: c.actor.User.ID, Text: f.Get("comment")}
	if err := s.store.Development.AddDevelopmentComment(r.Context(), cm); f.Absorb(err, "comment") {
		return s.renderDevelopmentPlan(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return s.afterSave(w, r, c, developmentPath(c.user.ID, "development-plan#comments"), "Comment added.", texts(f, "comment", "Your comment")...)
}

func (s *Server) signOffDevelopmentPlan(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	d := &alongside.DevelopmentSignOff{PractitionerID: c.user.ID, SupervisorID: c.actor.User.ID, Note: f.Get("note")}
	if err := s.store.Development.SignOffDevelopmentPlan(r.Context(), d); f.Absorb(err, "note") {
		return s.renderDevelopmentPlan(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return s.afterSave(w, r, c, developmentPath(c.user.ID, "development-plan#sign-off"), "Signed off.", texts(f, "note", "Your note with the sign-off")...)
}

type reflectData struct {
	Practitioner *alongside.User
	Tips         []alongside.PracticeItem
	Answers      []alongside.Choice
}

// reflectForm is the after-session check: ten taps and an optional note,
// made for a phone.
func (s *Server) reflectForm(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.renderReflect(w, r, c, http.StatusOK, newForm(r))
}

func (s *Server) renderReflect(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	d := &reflectData{Practitioner: c.user, Tips: practice().Tips, Answers: alongside.ReflectionAnswers}
	return s.render(w, r, c, status, "reflect", page{Title: "After a session", Form: f, Data: d})
}

func (s *Server) saveReflection(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	pc := practice()
	ref := &alongside.Reflection{PractitionerID: c.user.ID, Answers: map[string]string{}, Note: f.Get("note")}
	for _, t := range pc.Tips {
		if v := f.Get(t.Key); v != "" {
			ref.Answers[t.Key] = v
		}
	}
	order := []string{"answers", "note"}
	if len(pc.Tips) > 0 {
		order[0] = pc.Tips[0].Key // the first question, for the summary's link
	}
	err := s.store.Development.SaveReflection(r.Context(), ref, pc)
	if fe := alongside.FieldErrors(err); fe["answers"] != "" {
		f.Add(order[0], fe["answers"])
	}
	if f.Absorb(err, "note") {
		return s.renderReflect(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return s.afterSave(w, r, c, developmentPath(c.user.ID, "reflections"), "Reflection saved. Thank you for taking the time.", texts(f, "note", "Your note")...)
}

type tipTrendView struct {
	Tip     alongside.PracticeItem
	Periods []tipPeriodView
}

type tipPeriodView struct {
	alongside.TipPeriod
	Label string
	BarW  int // the bar's length in pixels, of 60: the share of "yes"
}

type reflectionsData struct {
	Practitioner *alongside.User
	Trends       []tipTrendView
	Months       []string // the periods' names
	Weekly       bool
	Recent       []alongside.Reflection
	Count        int
}

// The trend page looks back six months, or eight weeks.
const (
	reflectionMonths = 6
	reflectionWeeks  = 8
)

// reflectionsPage shows, for each tip, how the practitioner answered month
// by month (or week by week), and their latest reflections.
func (s *Server) reflectionsPage(w http.ResponseWriter, r *http.Request, c *call) error {
	// Weeks and months start at midnight in the deployment's zone.
	now := s.now().In(s.zone.loc)
	weekly := r.URL.Query().Get("by") == "week"
	// Periods: their starts, oldest first, and the period a time falls in.
	var starts []time.Time
	var label func(time.Time) string
	if weekly {
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, s.zone.loc)
		monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
		for i := reflectionWeeks - 1; i >= 0; i-- {
			starts = append(starts, monday.AddDate(0, 0, -7*i))
		}
		label = func(t time.Time) string { return "Week of " + t.Format("2 January") }
	} else {
		first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, s.zone.loc)
		for i := reflectionMonths - 1; i >= 0; i-- {
			starts = append(starts, first.AddDate(0, -i, 0))
		}
		label = func(t time.Time) string { return t.Format("January 2006") }
	}
	period := func(t time.Time) int {
		for i := len(starts) - 1; i >= 0; i-- {
			if !t.Before(starts[i]) {
				return i
			}
		}
		return -1
	}
	refl, err := s.store.Development.Reflections(r.Context(), c.user.ID, starts[0])
	if err != nil {
		return err
	}
	pc := practice()
	d := &reflectionsData{Practitioner: c.user, Count: len(refl), Weekly: weekly}
	for _, st := range starts {
		d.Months = append(d.Months, label(st))
	}
	for _, t := range pc.Tips {
		tv := tipTrendView{Tip: t}
		for i, st := range starts {
			tv.Periods = append(tv.Periods, tipPeriodView{TipPeriod: alongside.TipPeriod{Start: st}, Label: d.Months[i]})
		}
		for _, ref := range refl {
			i := period(ref.TakenAt)
			if i < 0 {
				continue
			}
			switch ref.Answers[t.Key] {
			case "yes":
				tv.Periods[i].Yes++
			case "partly":
				tv.Periods[i].Partly++
			case "no":
				tv.Periods[i].No++
			}
		}
		for i := range tv.Periods {
			if n := tv.Periods[i].Total(); n > 0 {
				tv.Periods[i].BarW = 60 * tv.Periods[i].Yes / n
			}
		}
		d.Trends = append(d.Trends, tv)
	}
	if len(refl) > 5 {
		refl = refl[:5]
	}
	d.Recent = refl
	return s.render(w, r, c, http.StatusOK, "reflections", page{Title: "My reflections", Data: d})
}

type totalsRow struct {
	Item  alongside.PracticeItem
	Needs int
}

type totalsGroup struct {
	Kind  alongside.PracticeKind
	Needs int
	Rows  []totalsRow
}

type developmentTotalsData struct {
	Service *alongside.Service
	Totals  *alongside.DevelopmentTotals
	Groups  []totalsGroup
	Reviews []alongside.Review // reviews the totals can be attached to
	Min     int
}

func (s *Server) developmentTotalsData(r *http.Request, c *call) (*developmentTotalsData, error) {
	pc := practice()
	t, err := s.store.Development.DevelopmentTotals(r.Context(), c.service.ID)
	if err != nil {
		return nil, err
	}
	d := &developmentTotalsData{Service: c.service, Totals: t, Min: alongside.MinGroup}
	if !t.Shown() {
		return d, nil
	}
	for _, g := range alongside.FrameworkGroups {
		tg := totalsGroup{Kind: g, Needs: t.GroupNeeds(pc, g)}
		for _, it := range pc.InGroup(g) {
			tg.Rows = append(tg.Rows, totalsRow{it, t.Needs[it.Key]})
		}
		d.Groups = append(d.Groups, tg)
	}
	if d.Reviews, err = s.reviewsTakingEvidence(r.Context(), c, c.service.ID); err != nil {
		return nil, err
	}
	return d, nil
}

// developmentTotals shows the service's development needs in total, to
// plan training; nothing when fewer than MinGroup practitioners stand
// behind it.
func (s *Server) developmentTotals(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.renderDevelopmentTotals(w, r, c, http.StatusOK, newForm(r))
}

func (s *Server) renderDevelopmentTotals(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	d, err := s.developmentTotalsData(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, c, status, "development_totals", page{Title: "Development needs: " + c.service.Name, Form: f, Data: d})
}

// developmentTotalsTables are the totals as the page shows them: none, and
// the page's reason, under MinGroup practitioners.
func (s *Server) developmentTotalsTables(r *http.Request, c *call) (*tables, error) {
	d, err := s.developmentTotalsData(r, c)
	if err != nil {
		return nil, err
	}
	t := &tables{name: "development needs " + c.service.Name}
	if !d.Totals.Shown() {
		t.sheets = []xlsxSheet{{"Development needs", [][]string{{"Development needs"},
			{fmt.Sprintf("Totals are shown once at least %d practitioners of the service have done a self-assessment, so that nobody’s answers can be picked out.", alongside.MinGroup)}}, 60}}
		return t, nil
	}
	rows := [][]string{{"Framework area", "Item", "Practitioners marking it a development need", "Practitioners with a self-assessment", "Source"}}
	for _, g := range d.Groups {
		rows = append(rows, []string{g.Kind.Label(), "All " + strings.ToLower(g.Kind.Label()) + " items", strconv.Itoa(g.Needs), strconv.Itoa(d.Totals.Practitioners), ""})
		for _, row := range g.Rows {
			rows = append(rows, []string{g.Kind.Label(), row.Item.Text, strconv.Itoa(row.Needs), strconv.Itoa(d.Totals.Practitioners), row.Item.Source})
		}
	}
	t.sheets = []xlsxSheet{{"Development needs", rows, 30}}
	return t, nil
}

// attachDevelopmentTotals attaches the totals as they stand, with the
// reflection activity, to a review under "staff are supported and valued".
func (s *Server) attachDevelopmentTotals(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	f := newForm(r)
	d, err := s.developmentTotalsData(r, c)
	if err != nil {
		return err
	}
	if !d.Totals.Shown() {
		return alongside.Errorf(alongside.EINVALID, "There is nothing to attach until at least %d practitioners have done a self-assessment.", alongside.MinGroup)
	}
	review := chosenReview(d.Reviews, f)
	if review == nil {
		f.Add("review", "Choose a review under way.")
		return s.renderDevelopmentTotals(w, r, c, http.StatusUnprocessableEntity, f)
	}
	set, err := s.store.Reviews.ReviewStatementSet(ctx, review)
	if err != nil {
		return err
	}
	e := &alongside.AttachedEvidence{Kind: alongside.KindDevelopmentNeeds, Indicator: "staff-supported",
		Title: "Practitioners’ development needs and reflection", Link: fmt.Sprintf("/services/%d/development", c.service.ID),
		Text: "From practitioners’ latest self-assessments against the Realising Recovery framework, in total, and their Ten Top Tips reflections of the last 90 days.",
		Figures: []alongside.Figure{{Label: "Practitioners with a self-assessment", Value: strconv.Itoa(d.Totals.Practitioners)},
			{Label: "Reflections in the last 90 days", Value: strconv.Itoa(d.Totals.Reflections)},
			{Label: "Practitioners reflecting in the last 90 days", Value: strconv.Itoa(d.Totals.Reflecting)}}}
	for _, g := range d.Groups {
		e.Figures = append(e.Figures, alongside.Figure{Label: "Development needs marked: " + strings.ToLower(g.Kind.Label()), Value: strconv.Itoa(g.Needs)})
	}
	if err := s.store.Reviews.AttachEvidence(ctx, review, set, e); f.Absorb(err, "review") {
		return s.renderDevelopmentTotals(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/reviews/%d/results#ind-%s", review.ID, e.Indicator), "Attached to the review as evidence.")
}
