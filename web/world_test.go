package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
	"github.com/alongside-recovery/alongside/web"
)

var ctx = context.Background()

const testPassword = "correct horse battery"

// adminTOTPSecret is the administrators' authenticator key in the world.
const adminTOTPSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// world is a small deployment with someone in every role, plus staff of
// another service to check that a service does not see past its own walls.
type world struct {
	t      testing.TB
	dsn    string // the database, for a second app server
	store  *sqlstore.Store
	server *web.Server
	ts     *httptest.Server

	org, otherOrg *alongside.Organisation
	svcA, svcB    *alongside.Service
	users         map[string]*alongside.User // by role name used in tests
	allocation    *alongside.Allocation      // practitioner ↔ person
	supervision   *alongside.Supervision     // supervisor → practitioner
	review        *alongside.Review          // service A's, coordinated by the practitioner
	gathering     *alongside.Review          // service B's, gathering evidence; made on first use
	survey        *alongside.Survey          // service A's staff survey, its baseline open today
}

// gatheringReview returns a review of service B that is gathering
// evidence, coordinated by the other manager.
func (w *world) gatheringReview() *alongside.Review {
	if w.gathering == nil {
		w.gathering = &alongside.Review{ServiceID: w.svcB.ID, CoordinatorID: w.users["otherManager"].ID, Title: "Cedar Court review"}
		must(w.t, w.store.Reviews.StartReview(ctx, w.gathering))
		must(w.t, w.store.Reviews.AdvanceReview(ctx, w.gathering))
	}
	return w.gathering
}

func newWorld(t testing.TB, engine string, opts ...func(*web.Config)) *world {
	t.Helper()
	dsn := testdb.DSN(t, engine)
	s := testdb.Open(t, dsn)
	w := &world{t: t, dsn: dsn, store: s, users: map[string]*alongside.User{}}
	w.org = &alongside.Organisation{Name: "Lochside Network"}
	w.otherOrg = &alongside.Organisation{Name: "Elsewhere Trust"}
	for _, o := range []*alongside.Organisation{w.org, w.otherOrg} {
		must(t, s.Organisations.CreateOrganisation(ctx, o))
	}
	w.svcA = &alongside.Service{OrgID: w.org.ID, Name: "Birchwood"}
	w.svcB = &alongside.Service{OrgID: w.org.ID, Name: "Cedar Court"}
	must(t, s.Organisations.CreateService(ctx, w.svcA))
	must(t, s.Organisations.CreateService(ctx, w.svcB))
	hash, err := auth.HashPassword(auth.TestParams, testPassword)
	must(t, err)
	add := func(key, name string, roles ...alongside.Membership) {
		u := &alongside.User{Name: name, Email: key + "@example.org", PasswordHash: hash}
		must(t, s.Accounts.CreateUser(ctx, u, roles...))
		w.users[key] = u
	}
	svc := func(r alongside.Role, sv *alongside.Service) alongside.Membership {
		return alongside.Membership{Role: r, ServiceID: sv.ID}
	}
	add("sysadmin", "Sol Sysadmin", alongside.Membership{Role: alongside.RoleSystemAdmin})
	add("orgadmin", "Ola Orgadmin", alongside.Membership{Role: alongside.RoleOrgAdmin, OrgID: w.org.ID})
	add("lead", "Lee Lead", alongside.Membership{Role: alongside.RoleNetworkLead, OrgID: w.org.ID})
	add("manager", "Morag Manager", svc(alongside.RoleServiceManager, w.svcA))
	add("practitioner", "Priya Practitioner", svc(alongside.RolePractitioner, w.svcA))
	add("supervisor", "Sam Supervisor", svc(alongside.RolePractitioner, w.svcA))
	add("person", "Pat Person", svc(alongside.RolePerson, w.svcA))
	add("otherManager", "Odo Othermanager", svc(alongside.RoleServiceManager, w.svcB))
	add("otherPractitioner", "Oona Otherpractitioner", svc(alongside.RolePractitioner, w.svcB))
	add("otherPerson", "Robin Otherperson", svc(alongside.RolePerson, w.svcB))
	add("otherOrgAdmin", "Eve Elsewhere", alongside.Membership{Role: alongside.RoleOrgAdmin, OrgID: w.otherOrg.ID})
	// Administrators always have two-step sign-in on.
	for _, key := range []string{"sysadmin", "orgadmin", "otherOrgAdmin"} {
		must(t, s.Sessions.EnableTOTP(ctx, w.users[key].ID, adminTOTPSecret, 0, nil))
		u, err := s.Accounts.User(ctx, w.users[key].ID)
		must(t, err)
		w.users[key] = u
	}

	w.allocation = &alongside.Allocation{ServiceID: w.svcA.ID, PractitionerID: w.users["practitioner"].ID, PersonID: w.users["person"].ID}
	must(t, s.Relationships.Allocate(ctx, w.allocation))
	must(t, s.Relationships.Allocate(ctx, &alongside.Allocation{ServiceID: w.svcB.ID, PractitionerID: w.users["otherPractitioner"].ID, PersonID: w.users["otherPerson"].ID}))
	w.supervision = &alongside.Supervision{OrgID: w.org.ID, SupervisorID: w.users["supervisor"].ID, PractitionerID: w.users["practitioner"].ID}
	must(t, s.Relationships.AssignSupervisor(ctx, w.supervision))
	w.review = &alongside.Review{ServiceID: w.svcA.ID, CoordinatorID: w.users["practitioner"].ID, Title: "Spring review", Team: []int64{w.users["supervisor"].ID}}
	must(t, s.Reviews.StartReview(ctx, w.review))
	token, err := s.Links.InviteSupporter(ctx, w.users["person"].ID, "Jo Supporter", "supporter@example.org", alongside.SupporterCarer)
	must(t, err)
	_, err = s.Links.UseLink(ctx, token, hash)
	must(t, err)
	w.users["supporter"], err = s.Accounts.UserByEmail(ctx, "supporter@example.org")
	must(t, err)
	// The person shares one section of their plan with their supporter,
	// who may add their view to it; nothing else.
	links, err := s.Links.Supporters(ctx, w.users["person"].ID)
	must(t, err)
	must(t, s.Plans.SetPlanSharing(ctx, w.users["person"].ID, alongside.PlanSharing{links[0].ID: {"hopes": true}}, w.svcA.ID))
	// The practitioner shares their development plan with their supervisor
	// alone.
	must(t, s.Development.ShareDevelopmentPlan(ctx, w.users["practitioner"].ID, []int64{w.users["supervisor"].ID}))
	today := s.Clock.Now().UTC().Format("2006-01-02")
	w.survey = &alongside.Survey{OrgID: w.org.ID, ServiceID: w.svcA.ID, Title: "Staff survey", Questionnaire: content.DefaultQuestionnaires()[0],
		Body: content.DefaultQuestionnaireFiles()[0], RateLimit: alongside.DefaultSurveyRateLimit, CreatedBy: w.users["manager"].ID}
	must(t, s.Surveys.CreateSurvey(ctx, w.survey, &alongside.Wave{Label: "Baseline", OpensOn: today, ClosesOn: today}))

	w.server, w.ts = serve(t, s, opts...)
	return w
}

// serve starts an app server on the store.
func serve(t testing.TB, s *sqlstore.Store, opts ...func(*web.Config)) (*web.Server, *httptest.Server) {
	t.Helper()
	cfg := web.Config{Password: auth.TestParams, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, o := range opts {
		o(&cfg)
	}
	server, err := web.New(s, cfg)
	must(t, err)
	ts := httptest.NewServer(server)
	t.Cleanup(ts.Close)
	return server, ts
}

// otherServer is the same world served by a second app server, with a
// store of its own on the same database and the same clock.
func (w *world) otherServer() *world {
	other := *w
	other.store = testdb.Open(w.t, w.dsn)
	other.store.Clock = w.store.Clock
	other.server, other.ts = serve(w.t, other.store)
	return &other
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// client is a browser-like client: it keeps cookies, does not follow
// redirects (tests look at them), and sends same-origin headers on POST as
// a browser does.
type client struct {
	w   *world
	jar http.CookieJar
	hc  *http.Client
}

func (w *world) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{w: w, jar: jar, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// as returns a client signed in as the named user, with a fresh session.
func (w *world) as(key string) *client {
	c := w.client()
	if key == "anon" {
		return c
	}
	u := w.users[key]
	if u == nil {
		w.t.Fatalf("no test user %q", key)
	}
	token, err := w.store.Sessions.CreateSession(ctx, u.ID, true, "127.0.0.1", "test", alongside.DefaultSessionPolicy)
	must(w.t, err)
	base, _ := url.Parse(w.ts.URL)
	c.jar.SetCookies(base, []*http.Cookie{{Name: "alongside_session", Value: token, Path: "/"}})
	return c
}

type response struct {
	Status   int
	Body     string
	Location string
	Header   http.Header
}

func (c *client) do(method, path string, form url.Values) response {
	c.w.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.w.ts.URL+path, body)
	must(c.w.t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if method == http.MethodPost {
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Origin", c.w.ts.URL)
	}
	res, err := c.hc.Do(req)
	must(c.w.t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		if shown := machineTime(string(b)); shown != "" {
			c.w.t.Errorf("%s %s shows people %q: dates are written as “2 December 2026”, in the deployment’s zone, without a zone name", method, path, shown)
		}
	}
	return response{Status: res.StatusCode, Body: string(b), Location: res.Header.Get("Location"), Header: res.Header}
}

func (c *client) get(path string) response { c.w.t.Helper(); return c.do(http.MethodGet, path, nil) }
func (c *client) post(path string, form url.Values) response {
	c.w.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	return c.do(http.MethodPost, path, form)
}

// TestMain checks, after every test, that each page template rendered at
// least once: a template no test renders is an untested page.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && !testing.Short() {
		s, err := web.New(nil, web.Config{})
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		var missing []string
		for _, name := range s.PageNames() {
			if !web.RenderedPage(name) {
				missing = append(missing, name)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 && testsRanAll() {
			fmt.Printf("FAIL: page templates never rendered by the tests: %s\n", strings.Join(missing, ", "))
			code = 1
		}
	}
	os.Exit(code)
}

// testsRanAll reports whether the whole suite ran (not a -run subset).
func testsRanAll() bool {
	for _, a := range os.Args {
		if strings.HasPrefix(a, "-test.run") {
			return false
		}
	}
	return true
}
