package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
)

type reviewsData struct {
	Service       *alongside.Service
	Reviews       []alongside.Review
	CanStart      bool
	Coordinators  []alongside.Membership // the manager and practitioners
	Practitioners []alongside.Membership
}

func (s *Server) reviewsPage(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	ctx := r.Context()
	d := reviewsData{Service: c.service, CanStart: authz.Can(c.actor, authz.ManageService, c.res)}
	var err error
	if d.Reviews, err = s.store.ServiceReviews(ctx, c.service.ID); err != nil {
		return err
	}
	if d.CanStart {
		managers, err := s.store.ServiceMembers(ctx, c.service.ID, alongside.RoleServiceManager)
		if err != nil {
			return err
		}
		if d.Practitioners, err = s.store.ServiceMembers(ctx, c.service.ID, alongside.RolePractitioner); err != nil {
			return err
		}
		d.Coordinators = append(managers, d.Practitioners...)
		if f.Get("coordinator") == "" {
			f.Set("coordinator", strconv.FormatInt(c.actor.User.ID, 10))
		}
	}
	return s.render(w, r, c, status, "reviews", page{Title: "Service reviews", Form: f, Data: d})
}

func (s *Server) reviews(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.reviewsPage(w, r, c, http.StatusOK, newForm(r))
}

// startReview starts the service's next review cycle with its coordinator
// and team.
func (s *Server) startReview(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	rv := &alongside.Review{ServiceID: c.service.ID, Title: f.Get("title"), CoordinatorID: formID(f, "coordinator")}
	for _, v := range f.Values["team"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			rv.Team = append(rv.Team, id)
		}
	}
	if err := s.store.StartReview(r.Context(), rv); f.Absorb(err, "title", "coordinator", "team") {
		return s.reviewsPage(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/reviews/%d", rv.ID), "Review started. Plan it with the team, then move it on to gathering evidence.")
}

type reviewData struct {
	Review   *alongside.Review
	Set      string
	Previous *alongside.Review
	Stages   []alongside.Stage
	CanRun   bool
	Next     alongside.Stage
}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	d := reviewData{Review: c.review, Stages: alongside.Stages, CanRun: authz.Can(c.actor, authz.RunReview, c.res)}
	d.Next, _ = c.review.Stage.Next()
	sets, err := s.store.StatementSets(ctx, c.review.OrgID)
	if err != nil {
		return err
	}
	for _, l := range sets {
		if l.ID == c.review.StatementSetID {
			d.Set = fmt.Sprintf("%s, version %d", l.Set.Name, l.Set.Version)
		}
	}
	if c.review.PreviousID != 0 {
		if d.Previous, err = s.store.Review(ctx, c.review.PreviousID); err != nil {
			return err
		}
	}
	return s.render(w, r, c, http.StatusOK, "review", page{Title: c.review.Title, Data: d})
}

func (s *Server) advanceReview(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	c.review.Version, _ = strconv.Atoi(f.Get("version"))
	if err := s.store.AdvanceReview(r.Context(), c.review); err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/reviews/%d", c.review.ID), "The review is now at: "+c.review.Stage.Label()+".")
}
