package web

import (
	"net/http"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
)

// handlerFunc is a handler that returns its error for one place to render.
type handlerFunc func(w http.ResponseWriter, r *http.Request, c *call) error

// call is what the wrapper learnt about a request before the handler runs.
type call struct {
	actor   *alongside.Actor   // nil for an anonymous visitor
	session *alongside.Session // nil for an anonymous visitor
	res     authz.Resource

	// Loaded from path parameters by their loaders (loaders.go); each
	// field means the same on every route.
	org     *alongside.Organisation // {org}
	service *alongside.Service      // {service}
	person  *alongside.User         // {person}
	// personService is the service the person's records are audited
	// under: the first they use.
	personService int64
	member        *alongside.User                 // {user}: a user of the organisation
	membership    *alongside.Membership           // {membership}: a role of the member in the organisation
	allocation    *alongside.Allocation           // {allocation}, in the service
	supervision   *alongside.Supervision          // {supervision}, of a practitioner of the service
	review        *alongside.Review               // {review}
	action        *alongside.Action               // {action}: an action of the review's plan
	section       *alongside.PlanSection          // {section} of the person's plan
	survey        *alongside.Survey               // {survey}
	wave          *alongside.Wave                 // {wave} of the survey
	practitioner  *alongside.User                 // {practitioner} whose development the page is about
	objective     *alongside.DevelopmentObjective // {objective} of the practitioner's plan
	invitation    *alongside.SupporterLink        // {invitation} to support a person
	supporter     *alongside.SupporterLink        // {supporter}: one of the person's supporters, as the person sees them
	roleRequest   *alongside.RoleRequest          // {rolerequest}: a role offered to someone
}

// handle registers a route whose every request is authorised by authz
// before fn runs, and whose form, if it has a body, is read whole within
// the route's limit before fn runs: a handler never sees a form that
// could not be read as an empty one.
func (s *Server) handle(pattern string, action authz.Action, maxBody int64, fn handlerFunc) {
	s.routes = append(s.routes, Route{Pattern: pattern, Action: action, MaxBody: maxBody})
	ls := loadersFor(pattern)
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		// The one place a body's size is bounded; readForm reads it.
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		c := &call{}
		err := checkAddress(r)
		if err == nil {
			err = s.authenticate(w, r, c)
		}
		if err == nil && c.actor == nil && action != authz.Public {
			// Asked to sign in before any id is looked up: to an anonymous
			// visitor, a record that exists and one that does not answer
			// alike.
			err = authz.Check(nil, action, authz.Resource{})
		}
		if err == nil {
			err = s.resolve(r, c, ls)
			if alongside.ErrorCode(err) == alongside.ENOTFOUND {
				err = notFound() // one page, whatever was not found
			}
		}
		if err == nil {
			err = s.authorise(r, c, action)
			err = notSharedWith(r, c, action, err)
		}
		if err == nil && maxBody > noBody {
			err = readForm(r, maxBody)
		}
		if err == nil {
			err = fn(w, r, c)
		}
		if err != nil {
			s.fail(w, r, c, err)
		}
	})
}

// authorise asks authz. A refusal to someone with no relationship to the
// record (another service, another organisation) is a 404 identical to a
// record that does not exist; a 403 only where they know it exists.
func (s *Server) authorise(r *http.Request, c *call, action authz.Action) error {
	err := authz.Check(c.actor, action, c.res)
	if alongside.ErrorCode(err) != alongside.EFORBIDDEN {
		return err
	}
	res := c.res
	for _, id := range []int64{res.PersonID, res.PractitionerID, res.UserID} {
		if id == 0 {
			continue
		}
		ms, err := s.store.Accounts.MembershipsOf(r.Context(), id)
		if err != nil {
			return err
		}
		res.Belongs = append(res.Belongs, ms...)
	}
	if !authz.Knows(c.actor, res) {
		return notFound()
	}
	return err
}
