package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
)

// The practitioner's development plan: its objectives, whom it is shared
// with, and their comments and sign-off.

// developmentPlan shows the plan to the practitioner and to those they
// share it with; it prints for appraisal.
func (s *Server) developmentPlan(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.renderDevelopmentPlan(w, r, c, http.StatusOK, newForm(r))
}

func (s *Server) renderDevelopmentPlan(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	ctx := r.Context()
	pc := practice()
	plan, err := s.store.Development.DevelopmentPlan(ctx, c.practitioner.ID)
	if err != nil {
		return err
	}
	d := &developmentPlanData{Practitioner: c.practitioner, IsSelf: c.actor.User.ID == c.practitioner.ID, Plan: plan,
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
		if d.Colleagues, err = s.store.Development.Colleagues(ctx, c.practitioner.ID); err != nil {
			return err
		}
		for _, sh := range plan.SharedWith {
			d.Shared[sh.ID] = true
		}
		for _, sv := range c.actor.SupervisedBy {
			d.Supervisors[sv.SupervisorID] = true
		}
	} else if err := s.store.Audit.Audit(ctx, "development.plan.view", "user", c.practitioner.ID, 0, 0, ""); err != nil {
		return err
	}
	title := "My development plan"
	if !d.IsSelf {
		title = c.practitioner.Name + "’s development plan"
	}
	return s.render(w, r, c, status, "development_plan", page{Title: title, Form: f, Data: d})
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
	d := &objectiveFormData{Practitioner: c.practitioner, Objective: c.objective, Activities: pc.Activities, Conflict: f.Error("conflict") != "",
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
	o := &alongside.DevelopmentObjective{PractitionerID: c.practitioner.ID, NeedItem: f.Get("need_item"), Need: f.Get("need"),
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
	return s.afterSave(w, r, c, developmentPath(c.practitioner.ID, fmt.Sprintf("development-plan#objective-%d", o.ID)), "Objective saved.", written...)
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
	if err := s.store.Development.ShareDevelopmentPlan(r.Context(), c.practitioner.ID, ids); err != nil {
		return err
	}
	return redirect(w, r, developmentPath(c.practitioner.ID, "development-plan#sharing"), "Sharing saved.")
}

func (s *Server) commentOnDevelopmentPlan(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	cm := &alongside.DevelopmentComment{PractitionerID: c.practitioner.ID, AuthorID: c.actor.User.ID, Text: f.Get("comment")}
	if err := s.store.Development.AddDevelopmentComment(r.Context(), cm); f.Absorb(err, "comment") {
		return s.renderDevelopmentPlan(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return s.afterSave(w, r, c, developmentPath(c.practitioner.ID, "development-plan#comments"), "Comment added.", texts(f, "comment", "Your comment")...)
}

func (s *Server) signOffDevelopmentPlan(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	d := &alongside.DevelopmentSignOff{PractitionerID: c.practitioner.ID, SupervisorID: c.actor.User.ID, Note: f.Get("note")}
	if err := s.store.Development.SignOffDevelopmentPlan(r.Context(), d); f.Absorb(err, "note") {
		return s.renderDevelopmentPlan(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return s.afterSave(w, r, c, developmentPath(c.practitioner.ID, "development-plan#sign-off"), "Signed off.", texts(f, "note", "Your note with the sign-off")...)
}
