package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/internal/testdb"
)

// actors are everyone the route table is checked for.
var actors = []string{"anon", "sysadmin", "orgadmin", "lead", "manager", "supervisor", "practitioner", "person", "supporter",
	"otherManager", "otherPractitioner", "otherOrgAdmin"}

var (
	everyone  = actors
	signedIn  = actors[1:]
	orgAdmins = []string{"sysadmin", "orgadmin"}
)

// routeCase says where a route is tried and who may use it. path builds the
// concrete path, making throwaway records for routes that remove things, so
// that every check starts from the same world.
type routeCase struct {
	path  func(w *world) string
	allow []string
}

func fixed(p string) func(*world) string { return func(*world) string { return p } }

func routeTable() map[string]routeCase {
	org := func(suffix string) func(*world) string {
		return func(w *world) string { return fmt.Sprintf("/orgs/%d%s", w.org.ID, suffix) }
	}
	svcA := func(suffix string) func(*world) string {
		return func(w *world) string { return fmt.Sprintf("/services/%d%s", w.svcA.ID, suffix) }
	}
	// A throwaway user in the organisation, for routes that change a user.
	throwaway := func(suffix string) func(*world) string {
		return func(w *world) string {
			return fmt.Sprintf("/orgs/%d/users/%d%s", w.org.ID, tempPractitioner(w), suffix)
		}
	}
	link := func(w *world) string {
		token, err := w.store.Links.IssueLink(ctx, alongside.LinkInvite, tempPractitioner(w))
		must(w.t, err)
		return "/links/" + token
	}
	review := func(suffix string) func(*world) string {
		return func(w *world) string { return fmt.Sprintf("/reviews/%d%s", w.review.ID, suffix) }
	}
	reviewTeam := []string{"manager", "practitioner", "supervisor"}
	supporterSharing := func(w *world) string {
		links, err := w.store.Links.Supporters(ctx, w.users["person"].ID)
		must(w.t, err)
		return fmt.Sprintf("/people/%d/plan/sharing/%d", w.users["person"].ID, links[0].ID)
	}
	personPlan := func(suffix string) func(*world) string {
		return func(w *world) string { return fmt.Sprintf("/people/%d/plan%s", w.users["person"].ID, suffix) }
	}
	ownPlan := []string{"person", "practitioner"}
	personCrisis := func(suffix string) func(*world) string {
		return func(w *world) string { return fmt.Sprintf("/people/%d/crisis%s", w.users["person"].ID, suffix) }
	}
	// A fresh invitation to a review of service B that is gathering evidence.
	answerLink := func(w *world) string {
		tokens, err := w.store.Links.IssueInvitations(ctx, w.gatheringReview(), alongside.SourceStaff, 1, 7)
		must(w.t, err)
		return "/answer/" + tokens[0]
	}
	dev := func(suffix string) func(*world) string {
		return func(w *world) string {
			if suffix == "" {
				suffix = "/development"
			}
			return fmt.Sprintf("/practitioners/%d%s", w.users["practitioner"].ID, suffix)
		}
	}
	devPlan := func(suffix string) func(*world) string { return dev("/development-plan" + suffix) }
	// The same, shared again with the supervisor first, as the sharing
	// route may have been tried (by the practitioner, sharing with nobody).
	devShared := func(suffix string) func(*world) string {
		return func(w *world) string {
			must(w.t, w.store.Development.ShareDevelopmentPlan(ctx, w.users["practitioner"].ID, []int64{w.users["supervisor"].ID}))
			return devPlan(suffix)(w)
		}
	}
	own := []string{"practitioner"}
	survey := func(suffix string) func(*world) string {
		return func(w *world) string { return fmt.Sprintf("/surveys/%d%s", w.survey.ID, suffix) }
	}
	wave := func(suffix string) func(*world) string {
		return func(w *world) string {
			return fmt.Sprintf("/surveys/%d/waves/%d%s", w.survey.ID, w.survey.Waves[0].ID, suffix)
		}
	}
	surveyLink := func(w *world) string { return "/s/" + w.survey.Waves[0].Token }
	// A throwaway objective of the practitioner's plan.
	objective := func(w *world) string {
		o := &alongside.DevelopmentObjective{PractitionerID: w.users["practitioner"].ID, Need: "Listening", Objective: "Listen first",
			Status: "planned", ActivityStatus: "planned"}
		must(w.t, w.store.Development.SaveObjective(ctx, o, content.DefaultPractice()))
		return fmt.Sprintf("/practitioners/%d/development-plan/objectives/%d", o.PractitionerID, o.ID)
	}
	return map[string]routeCase{
		"GET /static/":        {fixed("/static/style.css"), everyone},
		"GET /healthz":        {fixed("/healthz"), everyone},
		"GET /readyz":         {fixed("/readyz"), everyone},
		"GET /metrics":        {fixed("/metrics"), everyone},
		"GET /{$}":            {fixed("/"), everyone},
		"/":                   {fixed("/no-such-page"), everyone},
		"GET /login":          {fixed("/login"), everyone},
		"POST /login":         {fixed("/login"), everyone},
		"GET /login/code":     {fixed("/login/code"), everyone},
		"POST /login/code":    {fixed("/login/code"), everyone},
		"POST /logout":        {fixed("/logout"), everyone},
		"GET /login/forgot":   {fixed("/login/forgot"), everyone},
		"POST /login/forgot":  {fixed("/login/forgot"), everyone},
		"GET /links/{token}":  {link, everyone},
		"POST /links/{token}": {link, everyone},

		"GET /home":                        {fixed("/home"), signedIn},
		"GET /account":                     {fixed("/account"), signedIn},
		"POST /account/password":           {fixed("/account/password"), signedIn},
		"POST /account/email":              {fixed("/account/email"), signedIn},
		"POST /account/signout-everywhere": {fixed("/account/signout-everywhere"), signedIn},
		"GET /account/two-factor":          {fixed("/account/two-factor"), signedIn},
		"POST /account/two-factor":         {fixed("/account/two-factor"), signedIn},
		"POST /account/two-factor/disable": {fixed("/account/two-factor/disable"), signedIn},

		"GET /admin/organisations":  {fixed("/admin/organisations"), []string{"sysadmin"}},
		"POST /admin/organisations": {fixed("/admin/organisations"), []string{"sysadmin"}},
		"GET /admin/audit":          {fixed("/admin/audit"), []string{"sysadmin"}},

		"GET /orgs/{org}":                     {org(""), orgAdmins},
		"POST /orgs/{org}/services":           {org("/services"), orgAdmins},
		"GET /orgs/{org}/services/{service}":  {func(w *world) string { return fmt.Sprintf("/orgs/%d/services/%d", w.org.ID, w.svcA.ID) }, orgAdmins},
		"POST /orgs/{org}/services/{service}": {func(w *world) string { return fmt.Sprintf("/orgs/%d/services/%d", w.org.ID, w.svcA.ID) }, orgAdmins},
		"GET /orgs/{org}/users":               {org("/users"), orgAdmins},
		"GET /orgs/{org}/users/new":           {org("/users/new"), orgAdmins},
		"POST /orgs/{org}/users":              {org("/users"), orgAdmins},
		"GET /orgs/{org}/users/{user}":        {throwaway(""), orgAdmins},
		"POST /orgs/{org}/users/{user}":       {throwaway(""), orgAdmins},
		"POST /orgs/{org}/users/{user}/roles": {throwaway("/roles"), orgAdmins},
		"POST /orgs/{org}/users/{user}/roles/{membership}/remove": {func(w *world) string {
			p := throwaway("")(w)
			var id int64
			fmt.Sscanf(p[strings.LastIndex(p, "/")+1:], "%d", &id)
			ms, err := w.store.Accounts.MembershipsOf(ctx, id)
			must(w.t, err)
			return fmt.Sprintf("%s/roles/%d/remove", p, ms[0].ID)
		}, orgAdmins},
		"POST /orgs/{org}/users/{user}/reset-link": {throwaway("/reset-link"), orgAdmins},
		"POST /orgs/{org}/users/{user}/disable":    {throwaway("/disable"), orgAdmins},
		"POST /orgs/{org}/users/{user}/enable":     {throwaway("/enable"), orgAdmins},
		"GET /orgs/{org}/settings":                 {org("/settings"), orgAdmins},
		"POST /orgs/{org}/settings":                {org("/settings"), orgAdmins},
		"GET /orgs/{org}/help-now":                 {org("/help-now"), orgAdmins},
		"POST /orgs/{org}/help-now":                {org("/help-now"), orgAdmins},
		"GET /orgs/{org}/statements":               {org("/statements"), orgAdmins},
		"POST /orgs/{org}/statements":              {org("/statements"), orgAdmins},
		"GET /orgs/{org}/audit":                    {org("/audit"), orgAdmins},
		"GET /orgs/{org}/network":                  {org("/network"), []string{"orgadmin", "lead"}},
		"GET /orgs/{org}/network.csv":              {org("/network.csv"), []string{"orgadmin", "lead"}},

		"GET /services/{service}":              {svcA(""), []string{"orgadmin", "manager"}},
		"POST /services/{service}/allocations": {svcA("/allocations"), []string{"orgadmin", "manager"}},
		"POST /services/{service}/allocations/{allocation}/remove": {func(w *world) string {
			a := &alongside.Allocation{ServiceID: w.svcA.ID, PractitionerID: tempPractitioner(w), PersonID: w.users["person"].ID}
			must(w.t, w.store.Relationships.Allocate(ctx, a))
			return fmt.Sprintf("/services/%d/allocations/%d/remove", w.svcA.ID, a.ID)
		}, []string{"orgadmin", "manager"}},
		"POST /services/{service}/supervision": {svcA("/supervision"), []string{"orgadmin", "manager"}},
		"POST /services/{service}/supervision/{supervision}/remove": {func(w *world) string {
			sp := &alongside.Supervision{OrgID: w.org.ID, SupervisorID: w.users["supervisor"].ID, PractitionerID: tempPractitioner(w)}
			must(w.t, w.store.Relationships.AssignSupervisor(ctx, sp))
			return fmt.Sprintf("/services/%d/supervision/%d/remove", w.svcA.ID, sp.ID)
		}, []string{"orgadmin", "manager"}},
		"GET /services/{service}/invite":  {svcA("/invite"), []string{"manager", "practitioner", "supervisor"}},
		"POST /services/{service}/invite": {svcA("/invite"), []string{"manager", "practitioner", "supervisor"}},
		// A person who has not set a password yet: a link for one who has
		// is refused to everyone.
		"POST /services/{service}/people/{person}/link": {func(w *world) string {
			u := &alongside.User{Name: "Alex Invited", Email: fmt.Sprintf("invited%d@example.org", nextID())}
			_, err := w.store.Links.InviteUser(ctx, u, alongside.Membership{Role: alongside.RolePerson, ServiceID: w.svcA.ID}, w.users["practitioner"].ID)
			must(w.t, err)
			return fmt.Sprintf("/services/%d/people/%d/link", w.svcA.ID, u.ID)
		}, []string{"orgadmin", "manager", "practitioner"}},

		"GET /services/{service}/reviews":  {svcA("/reviews"), []string{"orgadmin", "manager", "practitioner", "supervisor"}},
		"POST /services/{service}/reviews": {svcA("/reviews"), []string{"orgadmin", "manager"}},
		"GET /reviews/{review}":            {func(w *world) string { return fmt.Sprintf("/reviews/%d", w.review.ID) }, []string{"manager", "practitioner", "supervisor"}},
		"POST /reviews/{review}/stage":     {func(w *world) string { return fmt.Sprintf("/reviews/%d/stage", w.review.ID) }, []string{"manager", "practitioner"}},
		// A records sheet is the team's to enter; a paper sheet from carers, the coordinator's or manager's.
		"GET /reviews/{review}/sheets/{source}":       {review("/sheets/assessments"), reviewTeam},
		"POST /reviews/{review}/sheets/{source}":      {review("/sheets/carers"), []string{"manager", "practitioner"}},
		"GET /reviews/{review}/sheets/{source}/print": {review("/sheets/people/print"), reviewTeam},
		"POST /reviews/{review}/invitations":          {review("/invitations"), []string{"manager", "practitioner"}},
		"GET /reviews/{review}/results":               {review("/results"), []string{"orgadmin", "lead", "manager", "practitioner", "supervisor"}},
		"POST /reviews/{review}/evidence":             {review("/evidence"), reviewTeam},
		"GET /answer/{token}":                         {answerLink, everyone},
		"POST /answer/{token}":                        {answerLink, everyone},
		// The plan is read by the review's people and the organisation's
		// network leads and administrators; written by the review's people.
		"GET /reviews/{review}/plan":                            {planPath(""), planReaders},
		"GET /reviews/{review}/plan.csv":                        {planPath(".csv"), planReaders},
		"GET /reviews/{review}/plan.xlsx":                       {planPath(".xlsx"), planReaders},
		"POST /reviews/{review}/plan/findings":                  {planPath("/findings"), planWriters},
		"POST /reviews/{review}/plan/actions":                   {planPath("/actions"), planWriters},
		"POST /reviews/{review}/plan/actions/{action}":          {planAction(""), planWriters},
		"POST /reviews/{review}/plan/actions/{action}/notes":    {planAction("/notes"), planWriters},
		"POST /reviews/{review}/plan/actions/{action}/examples": {planAction("/examples"), planWriters},

		"GET /people/{person}": {func(w *world) string { return fmt.Sprintf("/people/%d", w.users["person"].ID) },
			[]string{"person", "practitioner", "supporter"}},
		"GET /people/{person}/supporters/new": {func(w *world) string { return fmt.Sprintf("/people/%d/supporters/new", w.users["person"].ID) }, []string{"person"}},
		"POST /people/{person}/supporters":    {func(w *world) string { return fmt.Sprintf("/people/%d/supporters", w.users["person"].ID) }, []string{"person"}},
		// An invitation waiting for the supporter's answer: theirs alone.
		"POST /supporting/{invitation}/accept":  {supporterRequest("/accept"), []string{"supporter"}},
		"POST /supporting/{invitation}/decline": {supporterRequest("/decline"), []string{"supporter"}},
		// A role offered to the supporter's account: theirs alone to answer.
		"POST /role-requests/{rolerequest}/accept":  {roleRequest("/accept"), []string{"supporter"}},
		"POST /role-requests/{rolerequest}/decline": {roleRequest("/decline"), []string{"supporter"}},

		// The plan: the person and their allocated practitioner; not a
		// practitioner of the same service who is not allocated (the
		// supervisor), a supporter only in what was shared, not managers.
		"GET /alongside": {fixed("/alongside"), []string{"practitioner", "supervisor", "otherPractitioner"}},
		// Break glass: practitioners of the person's service (the
		// supervisor is one, not allocated to the person).
		"GET /services/{service}/emergency":    {svcA("/emergency"), []string{"practitioner", "supervisor"}},
		"POST /services/{service}/emergency":   {svcA("/emergency"), []string{"practitioner", "supervisor"}},
		"GET /people/{person}/plan":            {personPlan(""), []string{"person", "practitioner", "supporter"}},
		"POST /people/{person}/plan/sign-off":  {personPlan("/sign-off"), []string{"person"}},
		"GET /people/{person}/progress":        {func(w *world) string { return fmt.Sprintf("/people/%d/progress", w.users["person"].ID) }, ownPlan},
		"POST /people/{person}/progress":       {func(w *world) string { return fmt.Sprintf("/people/%d/progress", w.users["person"].ID) }, []string{"person"}},
		"POST /people/{person}/progress/areas": {func(w *world) string { return fmt.Sprintf("/people/%d/progress/areas", w.users["person"].ID) }, []string{"person"}},
		"GET /people/{person}/plan/print":      {personPlan("/print"), []string{"person", "practitioner", "supporter"}},
		// The supporter opens the crisis page (told kindly that it is not
		// shared with them), but not its print page or card.
		"GET /people/{person}/crisis":                          {personCrisis(""), []string{"person", "practitioner", "supporter"}},
		"GET /people/{person}/crisis/print":                    {personCrisis("/print"), ownPlan},
		"GET /people/{person}/crisis/card":                     {personCrisis("/card"), ownPlan},
		"GET /people/{person}/close":                           {func(w *world) string { return fmt.Sprintf("/people/%d/close", w.users["person"].ID) }, []string{"person"}},
		"POST /people/{person}/close":                          {func(w *world) string { return fmt.Sprintf("/people/%d/close", w.users["person"].ID) }, []string{"person"}},
		"GET /people/{person}/my-data.json":                    {func(w *world) string { return fmt.Sprintf("/people/%d/my-data.json", w.users["person"].ID) }, []string{"person"}},
		"GET /people/{person}/my-data.html":                    {func(w *world) string { return fmt.Sprintf("/people/%d/my-data.html", w.users["person"].ID) }, []string{"person"}},
		"GET /people/{person}/plan/activity":                   {personPlan("/activity"), []string{"person"}},
		"GET /people/{person}/plan/sections/{section}":         {personPlan("/sections/crisis"), ownPlan},
		"POST /people/{person}/plan/sections/{section}":        {personPlan("/sections/strengths"), ownPlan},
		"GET /people/{person}/plan/sections/{section}/history": {personPlan("/sections/strengths/history"), ownPlan},
		// The supporter was granted "hopes", with their own view, and nothing else.
		"POST /people/{person}/plan/sections/{section}/views": {personPlan("/sections/hopes/views"), []string{"supporter"}},
		"GET /people/{person}/plan/sharing":                   {personPlan("/sharing"), []string{"person"}},
		"POST /people/{person}/plan/sharing":                  {personPlan("/sharing"), []string{"person"}},
		// One supporter's page: the person alone (their own supporter, Jo).
		"GET /people/{person}/plan/sharing/{supporter}":  {supporterSharing, []string{"person"}},
		"POST /people/{person}/plan/sharing/{supporter}": {supporterSharing, []string{"person"}},

		// Development is the practitioner's own; their plan is shared with
		// their supervisor, who may comment and sign it off. The manager
		// sees totals only.
		"GET /practitioners/{practitioner}/development":                              {dev(""), own},
		"GET /practitioners/{practitioner}/self-assessment":                          {dev("/self-assessment"), own},
		"POST /practitioners/{practitioner}/self-assessment":                         {dev("/self-assessment"), own},
		"GET /practitioners/{practitioner}/development-plan":                         {devShared(""), []string{"practitioner", "supervisor"}},
		"GET /practitioners/{practitioner}/development-plan/objectives/new":          {devPlan("/objectives/new"), own},
		"POST /practitioners/{practitioner}/development-plan/objectives":             {devPlan("/objectives"), own},
		"GET /practitioners/{practitioner}/development-plan/objectives/{objective}":  {objective, own},
		"POST /practitioners/{practitioner}/development-plan/objectives/{objective}": {objective, own},
		"POST /practitioners/{practitioner}/development-plan/sharing":                {devPlan("/sharing"), own},
		"POST /practitioners/{practitioner}/development-plan/comments":               {devShared("/comments"), []string{"practitioner", "supervisor"}},
		"POST /practitioners/{practitioner}/development-plan/sign-off":               {devShared("/sign-off"), []string{"supervisor"}},
		"GET /practitioners/{practitioner}/reflect":                                  {dev("/reflect"), own},
		"POST /practitioners/{practitioner}/reflect":                                 {dev("/reflect"), own},
		"GET /practitioners/{practitioner}/reflections":                              {dev("/reflections"), own},
		"GET /services/{service}/development":                                        {svcA("/development"), []string{"manager"}},
		"GET /services/{service}/development.csv":                                    {svcA("/development.csv"), []string{"manager"}},
		"POST /services/{service}/development/attach":                                {svcA("/development/attach"), []string{"manager"}},
		"POST /language/check":                                                       {fixed("/language/check"), signedIn},
		"POST /language/dismiss":                                                     {fixed("/language/dismiss"), signedIn},
		"POST /account/language":                                                     {fixed("/account/language"), signedIn},
		"GET /orgs/{org}/language":                                                   {org("/language"), orgAdmins},
		"POST /orgs/{org}/language":                                                  {org("/language"), orgAdmins},
		"GET /services/{service}/language":                                           {svcA("/language"), []string{"manager"}},
		"POST /services/{service}/language/attach":                                   {svcA("/language/attach"), []string{"manager"}},

		// Surveys: a service's are its manager's; a network's, its leads'
		// and administrators'. Anyone with a wave's link may answer.
		"GET /orgs/{org}/questionnaires":            {org("/questionnaires"), orgAdmins},
		"POST /orgs/{org}/questionnaires":           {org("/questionnaires"), orgAdmins},
		"GET /orgs/{org}/surveys":                   {org("/surveys"), []string{"orgadmin", "lead"}},
		"POST /orgs/{org}/surveys":                  {org("/surveys"), []string{"orgadmin", "lead"}},
		"GET /services/{service}/surveys":           {svcA("/surveys"), []string{"manager"}},
		"POST /services/{service}/surveys":          {svcA("/surveys"), []string{"manager"}},
		"GET /surveys/{survey}":                     {survey(""), []string{"manager"}},
		"POST /surveys/{survey}/waves":              {survey("/waves"), []string{"manager"}},
		"POST /surveys/{survey}/waves/{wave}":       {wave(""), []string{"manager"}},
		"POST /surveys/{survey}/rate-limit":         {survey("/rate-limit"), []string{"manager"}},
		"GET /surveys/{survey}/waves/{wave}/qr.svg": {wave("/qr.svg"), []string{"manager"}},
		"GET /surveys/{survey}/waves/{wave}/paper":  {wave("/paper"), []string{"manager"}},
		"POST /surveys/{survey}/waves/{wave}/paper": {wave("/paper"), []string{"manager"}},
		"GET /surveys/{survey}/print":               {survey("/print"), []string{"manager"}},
		"GET /surveys/{survey}/results":             {survey("/results"), []string{"manager"}},
		"POST /surveys/{survey}/evidence":           {survey("/evidence"), []string{"manager"}},
		"GET /surveys/{survey}/responses.csv":       {survey("/responses.csv"), []string{"manager"}},
		"GET /surveys/{survey}/responses.xlsx":      {survey("/responses.xlsx"), []string{"manager"}},
		"GET /s/{token}":                            {surveyLink, everyone},
		"POST /s/{token}":                           {surveyLink, everyone},
	}
}

var (
	planReaders = []string{"orgadmin", "lead", "manager", "practitioner", "supervisor"}
	planWriters = []string{"manager", "practitioner", "supervisor"}
)

func planPath(suffix string) func(*world) string {
	return func(w *world) string { return fmt.Sprintf("/reviews/%d/plan%s", w.review.ID, suffix) }
}

// planAction moves the world's review on to action planning, if it is not
// there yet, and adds a throwaway action to its plan.
func planAction(suffix string) func(*world) string {
	return func(w *world) string {
		for !w.review.PlanOpen() {
			must(w.t, w.store.Reviews.AdvanceReview(ctx, w.review))
		}
		l, err := w.store.Reviews.ReviewStatementSet(ctx, w.review)
		must(w.t, err)
		a := &alongside.Action{What: "Throwaway action"}
		must(w.t, w.store.ActionPlans.AddAction(ctx, w.review, l, a))
		return fmt.Sprintf("/reviews/%d/plan/actions/%d%s", w.review.ID, a.ID, suffix)
	}
}

var idSeq int64

// tempPractitioner adds a throwaway practitioner to service A.
func nextID() int64 { idSeq++; return idSeq }

// supporterRequest is the path of a fresh invitation to the world's
// supporter, from a new person of service B, waiting for an answer.
func supporterRequest(suffix string) func(*world) string {
	return func(w *world) string {
		p := &alongside.User{Name: "Asking Person", Email: fmt.Sprintf("asking%d@example.org", nextID())}
		must(w.t, w.store.Accounts.CreateUser(ctx, p, alongside.Membership{Role: alongside.RolePerson, ServiceID: w.svcB.ID}))
		_, err := w.store.Links.InviteSupporter(ctx, p.ID, "Jo Supporter", "supporter@example.org", alongside.SupporterFriend)
		must(w.t, err)
		reqs, err := w.store.Links.SupporterRequests(ctx, w.users["supporter"].ID)
		must(w.t, err)
		return fmt.Sprintf("/supporting/%d%s", reqs[len(reqs)-1].ID, suffix)
	}
}

// roleRequest is the path of a fresh role offered to the world's
// supporter, who has no role in the new organisation offering it.
func roleRequest(suffix string) func(*world) string {
	return func(w *world) string {
		o := &alongside.Organisation{Name: fmt.Sprintf("Offering %d", nextID())}
		must(w.t, w.store.Organisations.CreateOrganisation(ctx, o))
		u := &alongside.User{Name: "Jo", Email: "supporter@example.org"}
		_, err := w.store.Links.InviteUser(ctx, u, alongside.Membership{Role: alongside.RoleNetworkLead, OrgID: o.ID}, 0)
		must(w.t, err)
		reqs, err := w.store.Accounts.RoleRequests(ctx, w.users["supporter"].ID)
		must(w.t, err)
		return fmt.Sprintf("/role-requests/%d%s", reqs[len(reqs)-1].ID, suffix)
	}
}

func tempPractitioner(w *world) int64 {
	idSeq++
	u := &alongside.User{Name: "Temp", Email: fmt.Sprintf("temp%d@example.org", idSeq)}
	must(w.t, w.store.Accounts.CreateUser(ctx, u, alongside.Membership{Role: alongside.RolePractitioner, ServiceID: w.svcA.ID}))
	return u.ID
}

// denied reports whether a response refuses the actor: a 403, a 404 (to
// someone with no relationship to the record), or for an anonymous visitor
// a 401 or a redirect to the sign-in page.
func denied(r response) bool {
	return r.Status == http.StatusForbidden || r.Status == http.StatusUnauthorized || r.Status == http.StatusNotFound ||
		(r.Status == http.StatusSeeOther && strings.HasPrefix(r.Location, "/login?next="))
}

// TestEveryRouteForEveryRole walks the server's own route table: a route
// missing from the expectations fails, and each route is tried as every
// kind of actor, including staff of another service and an anonymous
// visitor.
func TestEveryRouteForEveryRole(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			table := routeTable()
			for _, rt := range w.server.Routes() {
				tc, ok := table[rt.Pattern]
				if !ok {
					t.Errorf("route %q has no row in the authorization table", rt.Pattern)
					continue
				}
				method, _, _ := strings.Cut(rt.Pattern, " ")
				allowed := map[string]bool{}
				for _, a := range tc.allow {
					allowed[a] = true
				}
				for _, actor := range actors {
					c := w.as(actor)
					path := tc.path(w)
					var res response
					if method == http.MethodPost {
						res = c.post(path, nil)
					} else {
						res = c.get(path)
					}
					// The catch-all's helpful 404 is what everyone may see.
					if got := !denied(res) || rt.Pattern == "/"; got != allowed[actor] {
						t.Errorf("%s as %s (%s): status %d location %q; want allowed=%v", rt.Pattern, actor, path, res.Status, res.Location, allowed[actor])
					}
					if res.Status >= 500 {
						t.Errorf("%s as %s: server error %d", rt.Pattern, actor, res.Status)
					}
				}
				delete(table, rt.Pattern)
			}
			for pattern := range table {
				t.Errorf("the authorization table lists %q, which the server does not serve", pattern)
			}
		})
	}
}

// TestAccessFollowsRelationships checks that being in the same service is
// not enough to see a person's records, and that ids from another service or
// organisation do not open anything.
func TestAccessFollowsRelationships(t *testing.T) {
	w := newWorld(t, "sqlite")
	person := fmt.Sprintf("/people/%d", w.users["person"].ID)
	cases := []struct {
		actor, path string
		want        int
	}{
		{"supervisor", person, http.StatusForbidden}, // same service, not allocated
		{"manager", person, http.StatusForbidden},    // manages the service, not the person's records
		{"lead", person, http.StatusForbidden},       // network lead sees aggregates only
		{"orgadmin", person, http.StatusForbidden},   // administers accounts, not records
		// Staff of another service have no relationship with the person:
		// their record is not found, as if it did not exist.
		{"otherPractitioner", person, http.StatusNotFound},
		{"practitioner", fmt.Sprintf("/people/%d", w.users["otherPerson"].ID), http.StatusNotFound},
		// A manager's service id in another organisation's path is not found.
		{"otherOrgAdmin", fmt.Sprintf("/orgs/%d/services/%d", w.otherOrg.ID, w.svcA.ID), http.StatusNotFound},
		{"orgadmin", fmt.Sprintf("/orgs/%d/users/%d", w.org.ID, w.users["otherOrgAdmin"].ID), http.StatusNotFound},
		// Re-issuing a link for a person through the wrong service is not found.
		{"otherManager", fmt.Sprintf("/services/%d/people/%d/link", w.svcB.ID, w.users["person"].ID), http.StatusNotFound},
	}
	for _, tc := range cases {
		c := w.as(tc.actor)
		var res response
		if strings.HasSuffix(tc.path, "/link") {
			res = c.post(tc.path, nil)
		} else {
			res = c.get(tc.path)
		}
		if res.Status != tc.want {
			t.Errorf("%s GET %s = %d, want %d", tc.actor, tc.path, res.Status, tc.want)
		}
	}
	// Withdrawing a relationship takes effect on the next request.
	c := w.as("practitioner")
	if r := c.get(person); r.Status != http.StatusOK {
		t.Fatalf("allocated practitioner: %d", r.Status)
	}
	must(t, w.store.Relationships.Deallocate(ctx, w.allocation.ID))
	if r := c.get(person); r.Status != http.StatusForbidden {
		t.Fatalf("after the allocation ended: %d, want 403", r.Status)
	}
}
