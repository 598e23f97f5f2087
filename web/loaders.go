package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// A loader reads the record one path parameter names into the call,
// checks that it belongs to the records loaded before it (its parents in
// the path), and fills what authz judges. A record that does not belong to
// its parent is a 404: ids from one organisation never open another's.
type loader func(s *Server, r *http.Request, c *call, v string) error

// paramLoader is the loader of one path parameter. parent, when set, is a
// parameter every pattern naming this one must name too: the loader checks
// the record against it.
type paramLoader struct {
	param  string
	parent string
	load   loader
}

// loaders run in this order, parents first. A pattern naming a parameter
// that is not here panics at start-up, so no route skips its check.
var loaders = []paramLoader{
	{"org", "", byID((*Server).loadOrg)},
	{"service", "", byID((*Server).loadService)}, // under an organisation, or on its own
	{"review", "", byID((*Server).loadReview)},
	{"source", "", (*Server).loadSource},
	{"action", "review", byID((*Server).loadAction)},
	{"person", "", byID((*Server).loadPerson)}, // in a service, or on their own
	{"supporter", "person", byID((*Server).loadSupporter)},
	{"section", "", (*Server).loadSection},
	{"user", "org", byID((*Server).loadMember)},
	{"invitation", "", byID((*Server).loadInvitation)},
	{"rolerequest", "", byID((*Server).loadRoleRequest)},
	{"survey", "", byID((*Server).loadSurvey)},
	{"wave", "survey", byID((*Server).loadWave)},
	{"practitioner", "", byID((*Server).loadPractitioner)},
	{"objective", "practitioner", byID((*Server).loadObjective)},
	{"membership", "user", byID((*Server).loadMembership)},
	{"allocation", "service", byID((*Server).loadAllocation)},
	{"supervision", "service", byID((*Server).loadSupervision)},
	{"token", "", (*Server).loadToken},
}

// loadersFor gives the loaders a pattern's parameters need, in the table's
// order; it panics on a parameter with no loader or without its parent.
func loadersFor(pattern string) []paramLoader {
	params := patternParams(pattern)
	var ls []paramLoader
	for _, l := range loaders {
		if !slices.Contains(params, l.param) {
			continue
		}
		if l.parent != "" && !slices.Contains(params, l.parent) {
			panic(fmt.Sprintf("web: route %q names {%s} without its parent {%s}", pattern, l.param, l.parent))
		}
		ls = append(ls, l)
	}
	for _, name := range params {
		if !slices.ContainsFunc(ls, func(l paramLoader) bool { return l.param == name }) {
			panic(fmt.Sprintf("web: route %q names {%s}, which has no loader", pattern, name))
		}
	}
	return ls
}

// patternParams are the names of a pattern's wildcards, leaving out {$}.
func patternParams(pattern string) []string {
	var names []string
	for rest := pattern; ; {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			return names
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return names
		}
		name := strings.TrimSuffix(rest[open+1:open+end], "...")
		if name != "$" {
			names = append(names, name)
		}
		rest = rest[open+end+1:]
	}
}

// resolve runs the route's loaders on the request's path.
func (s *Server) resolve(r *http.Request, c *call, ls []paramLoader) error {
	for _, l := range ls {
		if v := r.PathValue(l.param); v != "" {
			if err := l.load(s, r, c, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// byID makes the loader of a parameter that is a record's id: anything
// but a positive number is a page that does not exist.
func byID(load func(s *Server, r *http.Request, c *call, id int64) error) loader {
	return func(s *Server, r *http.Request, c *call, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return notFound()
		}
		return load(s, r, c, n)
	}
}

func (s *Server) loadOrg(r *http.Request, c *call, n int64) (err error) {
	if c.org, err = s.store.Organisations.Organisation(r.Context(), n); err != nil {
		return err
	}
	c.res.OrgID = n
	return nil
}

func (s *Server) loadService(r *http.Request, c *call, n int64) (err error) {
	if c.service, err = s.store.Organisations.Service(r.Context(), n); err != nil {
		return err
	}
	if c.org != nil && c.service.OrgID != c.org.ID {
		return notFound()
	}
	c.res.ServiceID, c.res.OrgID = n, c.service.OrgID
	return nil
}

func (s *Server) loadReview(r *http.Request, c *call, n int64) (err error) {
	if c.review, err = s.store.Reviews.Review(r.Context(), n); err != nil {
		return err
	}
	c.res.Review, c.res.ServiceID, c.res.OrgID = c.review, c.review.ServiceID, c.review.OrgID
	return nil
}

func (s *Server) loadSource(r *http.Request, c *call, v string) error {
	c.res.Source = alongside.EvidenceSource(v)
	if !c.res.Source.Valid() {
		return notFound()
	}
	return nil
}

// loadAction reads an action of the review's plan.
func (s *Server) loadAction(r *http.Request, c *call, n int64) (err error) {
	if c.action, err = s.store.ActionPlans.PlanAction(r.Context(), n); err != nil {
		return err
	}
	if c.action.ReviewID != c.review.ID {
		return notFound()
	}
	return nil
}

// loadPerson reads the person whose records the page is about; under a
// service, they must use it.
func (s *Server) loadPerson(r *http.Request, c *call, n int64) (err error) {
	if c.actor != nil && c.actor.User.ID == n {
		// One's own pages (a person's plan, say): the actor, read with
		// the session, already holds all Person would read.
		c.person, c.personService = sqlstore.SelfAsPerson(c.actor)
	} else if c.person, c.personService, err = s.store.Accounts.Person(r.Context(), n); err != nil {
		return err
	}
	if c.service != nil {
		if ok, err := s.inService(r, n, alongside.RolePerson, c.service.ID); err != nil || !ok {
			return orNotFound(err)
		}
	}
	c.res.PersonID = n
	return nil
}

// loadSupporter reads one of the person's own supporters: another
// person's link is not found here.
func (s *Server) loadSupporter(r *http.Request, c *call, n int64) (err error) {
	if c.supporter, err = s.store.Links.SupporterRequest(r.Context(), n); err != nil {
		return err
	}
	if c.supporter.PersonID != c.person.ID {
		return notFound()
	}
	return nil
}

func (s *Server) loadSection(r *http.Request, c *call, v string) error {
	sec, ok := alongside.PlanSectionByKey(v)
	if !ok {
		return notFound()
	}
	c.section, c.res.Section = &sec, &sec
	return nil
}

// loadMember reads a user of the organisation in the path.
func (s *Server) loadMember(r *http.Request, c *call, n int64) (err error) {
	ctx := r.Context()
	if c.member, err = s.store.Accounts.User(ctx, n); err != nil {
		return err
	}
	ms, err := s.store.Accounts.MembershipsOf(ctx, n)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(ms, func(m alongside.Membership) bool { return m.OrgID == c.org.ID }) {
		return notFound()
	}
	c.res.UserID = n
	return nil
}

// loadInvitation reads an invitation to support a person; authz decides
// whether it is the actor's to answer.
func (s *Server) loadInvitation(r *http.Request, c *call, n int64) (err error) {
	if c.invitation, err = s.store.Links.SupporterRequest(r.Context(), n); err != nil {
		return err
	}
	c.res.SupporterID = c.invitation.SupporterID
	return nil
}

// loadRoleRequest reads a role offered to someone; authz decides whether
// it is the actor's to answer.
func (s *Server) loadRoleRequest(r *http.Request, c *call, n int64) (err error) {
	if c.roleRequest, err = s.store.Accounts.RoleRequest(r.Context(), n); err != nil {
		return err
	}
	c.res.AddresseeID = c.roleRequest.UserID
	return nil
}

func (s *Server) loadSurvey(r *http.Request, c *call, n int64) (err error) {
	if c.survey, err = s.store.Surveys.Survey(r.Context(), n); err != nil {
		return err
	}
	c.res.Survey, c.res.OrgID, c.res.ServiceID = c.survey, c.survey.OrgID, c.survey.ServiceID
	return nil
}

// loadWave finds a wave among the survey's.
func (s *Server) loadWave(r *http.Request, c *call, n int64) error {
	for i := range c.survey.Waves {
		if c.survey.Waves[i].ID == n {
			c.wave = &c.survey.Waves[i]
		}
	}
	if c.wave == nil {
		return notFound()
	}
	return nil
}

// loadPractitioner reads the practitioner whose development the page is
// about.
func (s *Server) loadPractitioner(r *http.Request, c *call, n int64) (err error) {
	if c.practitioner, err = s.store.Accounts.User(r.Context(), n); err != nil {
		return err
	}
	c.res.PractitionerID = n
	return nil
}

// loadObjective reads an objective of the practitioner's plan.
func (s *Server) loadObjective(r *http.Request, c *call, n int64) (err error) {
	if c.objective, err = s.store.Development.Objective(r.Context(), n); err != nil {
		return err
	}
	if c.objective.PractitionerID != c.practitioner.ID {
		return notFound()
	}
	return nil
}

// loadMembership reads a role of the user, in the organisation.
func (s *Server) loadMembership(r *http.Request, c *call, n int64) (err error) {
	if c.membership, err = s.store.Accounts.Membership(r.Context(), n); err != nil {
		return err
	}
	if c.membership.UserID != c.member.ID || c.membership.OrgID != c.org.ID {
		return notFound()
	}
	return nil
}

// loadAllocation reads an allocation in the service.
func (s *Server) loadAllocation(r *http.Request, c *call, n int64) (err error) {
	if c.allocation, err = s.store.Relationships.Allocation(r.Context(), n); err != nil {
		return err
	}
	if c.allocation.ServiceID != c.service.ID {
		return notFound()
	}
	return nil
}

// loadSupervision reads a supervision whose practitioner works in the
// service.
func (s *Server) loadSupervision(r *http.Request, c *call, n int64) (err error) {
	if c.supervision, err = s.store.Relationships.Supervision(r.Context(), n); err != nil {
		return err
	}
	if ok, err := s.inService(r, c.supervision.PractitionerID, alongside.RolePractitioner, c.service.ID); err != nil || !ok {
		return orNotFound(err)
	}
	return nil
}

// loadToken leaves a link's token to the handler, which looks it up
// itself and answers a used or unknown one with its own page; the token
// opens no record authz judges.
func (s *Server) loadToken(*http.Request, *call, string) error { return nil }

func (s *Server) inService(r *http.Request, userID int64, role alongside.Role, serviceID int64) (bool, error) {
	ms, err := s.store.Accounts.MembershipsOf(r.Context(), userID)
	if err != nil {
		return false, err
	}
	for _, m := range ms {
		if m.Role == role && m.ServiceID == serviceID {
			return true, nil
		}
	}
	return false, nil
}

func orNotFound(err error) error {
	if err != nil {
		return err
	}
	return notFound()
}
