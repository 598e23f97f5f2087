package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
	"github.com/alongside-recovery/alongside/sqlstore"
)

type reviewsData struct {
	Service       *alongside.Service
	Reviews       []alongside.Review
	CanStart      bool
	Href          map[int64]string       // where each review's title leads: the review, or its results, for who may open them
	Coordinators  []alongside.Membership // the manager and practitioners
	Practitioners []alongside.Membership
}

func (s *Server) reviewsPage(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	ctx := r.Context()
	d := reviewsData{Service: c.service, CanStart: authz.Can(c.actor, authz.ManageService, c.res)}
	var err error
	if d.Reviews, err = s.store.Reviews.ServiceReviews(ctx, c.service.ID); err != nil {
		return err
	}
	d.Href = map[int64]string{}
	for i := range d.Reviews {
		rv := &d.Reviews[i]
		switch res := (authz.Resource{Review: rv, ServiceID: rv.ServiceID, OrgID: rv.OrgID}); {
		case authz.Can(c.actor, authz.ViewReview, res):
			d.Href[rv.ID] = fmt.Sprintf("/reviews/%d", rv.ID)
		case authz.Can(c.actor, authz.ViewReviewResults, res):
			d.Href[rv.ID] = fmt.Sprintf("/reviews/%d/results", rv.ID)
		}
	}
	if d.CanStart {
		managers, err := s.store.Accounts.ServiceMembers(ctx, c.service.ID, alongside.RoleServiceManager)
		if err != nil {
			return err
		}
		if d.Practitioners, err = s.store.Accounts.ServiceMembers(ctx, c.service.ID, alongside.RolePractitioner); err != nil {
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
	if err := s.store.Reviews.StartReview(r.Context(), rv); f.Absorb(err, "title", "coordinator", "team") {
		return s.reviewsPage(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/reviews/%d", rv.ID), "Review started. Plan it with the team, then move it on to gathering evidence.")
}

type reviewData struct {
	Review     *alongside.Review
	Set        string
	Previous   *alongside.Review
	Stages     []alongside.Stage
	CanRun     bool
	Next       alongside.Stage
	Gathering  bool
	Sources    []reviewSource
	CanResults bool
	Invitable  []alongside.EvidenceSource // sources answered through invitation links
}

// reviewSource is one source of evidence on the review page: how many
// sheets it has, its invitation links, and whether this user may enter one.
type reviewSource struct {
	Source   alongside.EvidenceSource
	Sheets   int
	Paper    int // of the sheets, how many were entered from paper
	Links    sqlstore.InvitationCounts
	CanEnter bool
}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	return s.reviewPageWith(w, r, c, http.StatusOK, f)
}

// reviewPageWith shows the review; f is the invitation form, as sent when it
// comes back with a problem.
func (s *Server) reviewPageWith(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	ctx := r.Context()
	rv := c.review
	d := reviewData{Review: rv, Stages: alongside.Stages, CanRun: authz.Can(c.actor, authz.RunReview, c.res),
		Gathering: rv.Stage == alongside.StageGathering, CanResults: authz.Can(c.actor, authz.ViewReviewResults, c.res)}
	d.Next, _ = rv.Stage.Next()
	set, err := s.store.Reviews.ReviewStatementSet(r.Context(), rv)
	if err != nil {
		return err
	}
	d.Set = fmt.Sprintf("%s, version %d", set.Name, set.Version)
	if rv.PreviousID != 0 {
		if d.Previous, err = s.store.Reviews.Review(ctx, rv.PreviousID); err != nil {
			return err
		}
	}
	counts, err := s.store.Reviews.SheetCounts(ctx, rv.ID)
	if err != nil {
		return err
	}
	paper, err := s.store.Reviews.PaperSheets(ctx, rv.ID)
	if err != nil {
		return err
	}
	links, err := s.store.Links.Invitations(ctx, rv.ID)
	if err != nil {
		return err
	}
	for _, src := range alongside.EvidenceSources {
		res := c.res
		res.Source = src
		d.Sources = append(d.Sources, reviewSource{Source: src, Sheets: counts[src], Paper: paper[src], Links: links[src],
			CanEnter: d.Gathering && authz.Can(c.actor, authz.EnterSheet, res)})
		if !src.Document() {
			d.Invitable = append(d.Invitable, src)
		}
	}
	invitationDefaults(f)
	return s.render(w, r, c, status, "review", page{Title: rv.Title, Form: f, Data: d})
}

func (s *Server) advanceReview(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	c.review.Version, _ = strconv.Atoi(f.Get("version"))
	if err := s.store.Reviews.AdvanceReview(r.Context(), c.review); err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/reviews/%d", c.review.ID), "The review is now at: "+c.review.Stage.Label()+".")
}
