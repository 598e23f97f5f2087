package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// Route is one entry of the route table: a pattern, the action it performs
// and its handler. Every route names its action, and the wrapper asks authz
// before the handler runs; the authorization test walks this table.
type Route struct {
	Pattern string
	Action  authz.Action
	From    string // for a download, the page it comes from (exportFrom)
	MaxBody int64  // the most a request may send, in bytes
}

// handlerFunc is a handler that returns its error for one place to render.
type handlerFunc func(w http.ResponseWriter, r *http.Request, c *call) error

// call is what the wrapper learnt about a request before the handler runs.
type call struct {
	actor   *alongside.Actor   // nil for an anonymous visitor
	session *alongside.Session // nil for an anonymous visitor
	res     authz.Resource

	// Loaded from path parameters by resolve.
	org     *alongside.Organisation
	service *alongside.Service
	person  *alongside.User
	// personService is the service the person's records are audited
	// under: the first they use.
	personService int64
	user          *alongside.User
	membership    *alongside.Membership
	allocation    *alongside.Allocation
	supervise     *alongside.Supervision
	review        *alongside.Review
	action        *alongside.Action // an action of the review's plan
	section       *alongside.PlanSection
	survey        *alongside.Survey
	wave          *alongside.Wave                 // of the survey
	objective     *alongside.DevelopmentObjective // of the practitioner (user)
	invitation    *alongside.SupporterLink        // to support a person
	supporter     *alongside.SupporterLink        // one of the person's supporters, as the person sees them
	roleRequest   *alongside.RoleRequest          // a role offered to the actor
}

func (s *Server) registerRoutes() {
	s.mux.Handle("GET /static/", staticHandler())
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.Handle("GET /metrics", s.metricsHandler())
	s.routes = append(s.routes,
		Route{Pattern: "GET /static/", Action: authz.Public}, Route{Pattern: "GET /healthz", Action: authz.Public},
		Route{Pattern: "GET /readyz", Action: authz.Public}, Route{Pattern: "GET /metrics", Action: authz.Public})

	s.handle("GET /{$}", authz.Public, noBody, s.root)
	s.handle("/", authz.Public, noBody, func(http.ResponseWriter, *http.Request, *call) error { return notFound() })
	s.handle("GET /login", authz.Public, noBody, s.loginForm)
	s.handle("POST /login", authz.Public, formBody, s.login)
	s.handle("GET /login/code", authz.Public, noBody, s.codeForm)
	s.handle("POST /login/code", authz.Public, formBody, s.code)
	s.handle("POST /logout", authz.Public, formBody, s.logout)
	s.handle("GET /login/forgot", authz.Public, noBody, s.forgotForm)
	s.handle("POST /login/forgot", authz.Public, formBody, s.forgot)
	s.handle("GET /links/{token}", authz.Public, noBody, s.spent(signInLink, s.linkForm))
	s.handle("POST /links/{token}", authz.Public, formBody, s.spent(signInLink, s.useLink))

	s.handle("GET /home", authz.SignedIn, noBody, s.home)
	s.handle("GET /account", authz.SignedIn, noBody, s.account)
	s.handle("POST /account/password", authz.SignedIn, formBody, s.changePassword)
	s.handle("POST /account/email", authz.SignedIn, formBody, s.changeEmail)
	s.handle("POST /account/signout-everywhere", authz.SignedIn, formBody, s.signOutEverywhere)
	s.handle("GET /account/two-factor", authz.SignedIn, noBody, s.twoFactorForm)
	s.handle("POST /account/two-factor", authz.SignedIn, formBody, s.enableTwoFactor)
	s.handle("POST /account/two-factor/disable", authz.SignedIn, formBody, s.disableTwoFactor)

	s.handle("GET /admin/organisations", authz.ManageDeployment, noBody, s.organisations)
	s.handle("POST /admin/organisations", authz.ManageDeployment, formBody, s.createOrganisation)
	s.handle("GET /admin/audit", authz.ManageDeployment, noBody, s.auditLog)

	s.handle("GET /orgs/{org}", authz.ManageOrganisation, noBody, s.orgOverview)
	s.handle("POST /orgs/{org}/services", authz.ManageOrganisation, formBody, s.createService)
	s.handle("GET /orgs/{org}/services/{service}", authz.ManageOrganisation, noBody, s.serviceEditForm)
	s.handle("POST /orgs/{org}/services/{service}", authz.ManageOrganisation, formBody, s.updateService)
	s.handle("GET /orgs/{org}/users", authz.ManageOrganisation, noBody, s.orgUsers)
	s.handle("GET /orgs/{org}/users/new", authz.ManageOrganisation, noBody, s.newUserForm)
	s.handle("POST /orgs/{org}/users", authz.ManageOrganisation, formBody, s.createUser)
	s.handle("GET /orgs/{org}/users/{user}", authz.ManageOrganisation, noBody, s.orgUser)
	s.handle("POST /orgs/{org}/users/{user}", authz.ManageOrganisation, formBody, s.updateUser)
	s.handle("POST /orgs/{org}/users/{user}/roles", authz.ManageOrganisation, formBody, s.addRole)
	s.handle("POST /orgs/{org}/users/{user}/roles/{membership}/remove", authz.ManageOrganisation, formBody, s.removeRole)
	s.handle("POST /orgs/{org}/users/{user}/reset-link", authz.ManageOrganisation, formBody, s.issueResetLink)
	s.handle("POST /orgs/{org}/users/{user}/disable", authz.ManageOrganisation, formBody, s.disableUser)
	s.handle("POST /orgs/{org}/users/{user}/enable", authz.ManageOrganisation, formBody, s.enableUser)
	s.handle("GET /orgs/{org}/settings", authz.ManageOrganisation, noBody, s.orgSettings)
	s.handle("POST /orgs/{org}/settings", authz.ManageOrganisation, formBody, s.saveOrgSettings)
	s.handle("GET /orgs/{org}/help-now", authz.ManageOrganisation, noBody, s.helpNowPage)
	s.handle("POST /orgs/{org}/help-now", authz.ManageOrganisation, formBody, s.saveHelpNow)
	s.handle("GET /orgs/{org}/statements", authz.ManageOrganisation, noBody, s.statementSets)
	s.handle("POST /orgs/{org}/statements", authz.ManageOrganisation, uploadBody, s.loadStatementSet)
	s.handle("GET /orgs/{org}/audit", authz.ViewAuditLog, noBody, s.auditLog)
	s.handle("GET /orgs/{org}/network", authz.ViewNetwork, noBody, s.network)
	s.exportFrom("GET /orgs/{org}/network.csv", authz.ViewNetwork, "GET /orgs/{org}/network", download(s.networkTables))

	s.handle("GET /services/{service}", authz.ManageService, noBody, s.servicePage)
	s.handle("POST /services/{service}/allocations", authz.ManageService, formBody, s.allocate)
	s.handle("POST /services/{service}/allocations/{allocation}/remove", authz.ManageService, formBody, s.deallocate)
	s.handle("POST /services/{service}/supervision", authz.ManageService, formBody, s.assignSupervisor)
	s.handle("POST /services/{service}/supervision/{supervision}/remove", authz.ManageService, formBody, s.endSupervision)
	s.handle("GET /services/{service}/invite", authz.InvitePerson, noBody, s.invitePersonForm)
	s.handle("POST /services/{service}/invite", authz.InvitePerson, formBody, s.invitePerson)
	s.handle("POST /services/{service}/people/{person}/link", authz.ReissuePersonLink, formBody, s.reissuePersonLink)

	s.handle("GET /services/{service}/reviews", authz.ListReviews, noBody, s.reviews)
	s.handle("POST /services/{service}/reviews", authz.ManageService, formBody, s.startReview)
	s.handle("GET /reviews/{review}", authz.ViewReview, noBody, s.reviewPage)
	s.handle("POST /reviews/{review}/stage", authz.RunReview, formBody, s.advanceReview)
	s.handle("GET /reviews/{review}/sheets/{source}", authz.EnterSheet, noBody, s.sheetForm)
	s.handle("POST /reviews/{review}/sheets/{source}", authz.EnterSheet, longForm, s.enterSheet)
	s.exportFrom("GET /reviews/{review}/sheets/{source}/print", authz.ViewReview, "GET /reviews/{review}/sheets/{source}", s.printSheet)
	s.handle("POST /reviews/{review}/invitations", authz.RunReview, formBody, s.issueInvitations)
	s.handle("GET /reviews/{review}/results", authz.ViewReviewResults, noBody, s.resultsPage)
	s.handle("POST /reviews/{review}/evidence", authz.ContributeToReview, formBody, s.attachNote)
	s.handle("GET /answer/{token}", authz.Public, noBody, s.spent(answerLink, s.answerForm))
	s.handle("POST /answer/{token}", authz.Public, longForm, s.spent(answerLink, s.answer))
	s.handle("GET /reviews/{review}/plan", authz.ViewReviewResults, noBody, s.actionPlan)
	s.exportFrom("GET /reviews/{review}/plan.csv", authz.ViewReviewResults, "GET /reviews/{review}/plan", download(s.planTables))
	s.exportFrom("GET /reviews/{review}/plan.xlsx", authz.ViewReviewResults, "GET /reviews/{review}/plan", download(s.planTables))
	s.handle("POST /reviews/{review}/plan/findings", authz.ContributeToReview, longForm, s.saveFinding)
	s.handle("POST /reviews/{review}/plan/actions", authz.ContributeToReview, formBody, s.addAction)
	s.handle("POST /reviews/{review}/plan/actions/{action}", authz.ContributeToReview, formBody, s.updateAction)
	s.handle("POST /reviews/{review}/plan/actions/{action}/notes", authz.ContributeToReview, formBody, s.addProgressNote)
	s.handle("POST /reviews/{review}/plan/actions/{action}/examples", authz.ContributeToReview, formBody, s.addChangeExample)

	s.handle("GET /people/{person}", authz.ViewPerson, noBody, s.personPage)
	s.handle("GET /people/{person}/supporters/new", authz.ManageOwnSupporters, noBody, s.inviteSupporterForm)
	s.handle("POST /people/{person}/supporters", authz.ManageOwnSupporters, formBody, s.inviteSupporter)
	s.handle("POST /supporting/{invitation}/accept", authz.AnswerSupporterRequest, formBody, s.answerSupporterRequest(true))
	s.handle("POST /supporting/{invitation}/decline", authz.AnswerSupporterRequest, formBody, s.answerSupporterRequest(false))
	s.handle("POST /role-requests/{rolerequest}/accept", authz.AnswerRoleRequest, formBody, s.answerRoleRequest(true))
	s.handle("POST /role-requests/{rolerequest}/decline", authz.AnswerRoleRequest, formBody, s.answerRoleRequest(false))

	s.handle("GET /alongside", authz.ViewCaseload, noBody, s.caseload)
	s.handle("GET /services/{service}/emergency", authz.OpenCrisisPlanInEmergency, noBody, s.emergencyForm)
	s.handle("POST /services/{service}/emergency", authz.OpenCrisisPlanInEmergency, formBody, s.openInEmergency)
	s.handle("GET /people/{person}/plan", authz.ViewPlan, noBody, s.recoveryPlan)
	s.exportFrom("GET /people/{person}/plan/print", authz.ViewPlan, "GET /people/{person}/plan", s.printPlan)
	s.handle("GET /people/{person}/crisis", authz.ViewCrisisPlan, noBody, s.crisisPlan)
	s.exportFrom("GET /people/{person}/crisis/print", authz.ViewCrisisPlan, "GET /people/{person}/crisis", s.printCrisisPlan)
	s.exportFrom("GET /people/{person}/crisis/card", authz.ViewCrisisPlan, "GET /people/{person}/crisis", s.crisisCard)
	s.handle("GET /people/{person}/progress", authz.ViewProgress, noBody, s.progressPage)
	s.handle("POST /people/{person}/progress", authz.RateProgress, formBody, s.rateProgress)
	s.handle("POST /people/{person}/progress/areas", authz.RateProgress, formBody, s.addProgressArea)
	s.handle("GET /people/{person}/close", authz.CloseOwnAccount, noBody, s.closeAccountForm)
	s.handle("POST /people/{person}/close", authz.CloseOwnAccount, formBody, s.closeAccount)
	s.exportFrom("GET /people/{person}/my-data.json", authz.DownloadOwnData, "GET /people/{person}/plan", s.myDataJSON)
	s.exportFrom("GET /people/{person}/my-data.html", authz.DownloadOwnData, "GET /people/{person}/plan", s.myDataHTML)
	s.handle("POST /people/{person}/plan/sign-off", authz.SignOffPlan, formBody, s.signOffPlan)
	s.handle("GET /people/{person}/plan/activity", authz.ViewPlanActivity, noBody, s.planActivity)
	s.handle("GET /people/{person}/plan/sections/{section}", authz.ViewPlanSection, noBody, s.planSectionPage)
	s.handle("POST /people/{person}/plan/sections/{section}", authz.EditPlanSection, longForm, s.savePlanSection)
	s.handle("GET /people/{person}/plan/sections/{section}/history", authz.ViewPlanSection, noBody, s.planSectionHistory)
	s.handle("POST /people/{person}/plan/sections/{section}/views", authz.AddSupporterView, formBody, s.addSupporterView)
	s.handle("GET /people/{person}/plan/sharing", authz.SharePlan, noBody, s.planSharing)
	s.handle("POST /people/{person}/plan/sharing", authz.SharePlan, formBody, s.savePlanSharing)
	s.handle("GET /people/{person}/plan/sharing/{supporter}", authz.SharePlan, noBody, s.supporterSharing)
	s.handle("POST /people/{person}/plan/sharing/{supporter}", authz.SharePlan, formBody, s.saveSupporterSharing)

	s.handle("GET /practitioners/{practitioner}/development", authz.OwnDevelopment, noBody, s.developmentHome)
	s.handle("GET /practitioners/{practitioner}/self-assessment", authz.OwnDevelopment, noBody, s.selfAssessmentForm)
	s.handle("POST /practitioners/{practitioner}/self-assessment", authz.OwnDevelopment, formBody, s.saveSelfAssessment)
	s.handle("GET /practitioners/{practitioner}/development-plan", authz.ViewDevelopmentPlan, noBody, s.developmentPlan)
	s.handle("GET /practitioners/{practitioner}/development-plan/objectives/new", authz.OwnDevelopment, noBody, s.objectiveForm)
	s.handle("POST /practitioners/{practitioner}/development-plan/objectives", authz.OwnDevelopment, formBody, s.saveObjective)
	s.handle("GET /practitioners/{practitioner}/development-plan/objectives/{objective}", authz.OwnDevelopment, noBody, s.objectiveForm)
	s.handle("POST /practitioners/{practitioner}/development-plan/objectives/{objective}", authz.OwnDevelopment, formBody, s.saveObjective)
	s.handle("POST /practitioners/{practitioner}/development-plan/sharing", authz.OwnDevelopment, formBody, s.shareDevelopmentPlan)
	s.handle("POST /practitioners/{practitioner}/development-plan/comments", authz.ViewDevelopmentPlan, formBody, s.commentOnDevelopmentPlan)
	s.handle("POST /practitioners/{practitioner}/development-plan/sign-off", authz.SignOffDevelopmentPlan, formBody, s.signOffDevelopmentPlan)
	s.handle("GET /practitioners/{practitioner}/reflect", authz.OwnDevelopment, noBody, s.reflectForm)
	s.handle("POST /practitioners/{practitioner}/reflect", authz.OwnDevelopment, formBody, s.saveReflection)
	s.handle("GET /practitioners/{practitioner}/reflections", authz.OwnDevelopment, noBody, s.reflectionsPage)
	s.handle("GET /services/{service}/development", authz.ViewDevelopmentTotals, noBody, s.developmentTotals)
	s.exportFrom("GET /services/{service}/development.csv", authz.ViewDevelopmentTotals, "GET /services/{service}/development", download(s.developmentTotalsTables))
	s.handle("POST /services/{service}/development/attach", authz.ViewDevelopmentTotals, formBody, s.attachDevelopmentTotals)

	s.handle("POST /language/check", authz.SignedIn, formBody, s.checkLanguage)
	s.handle("POST /language/dismiss", authz.SignedIn, formBody, s.dismissSuggestion)
	s.handle("POST /account/language", authz.SignedIn, formBody, s.saveLanguageChoice)
	s.handle("GET /orgs/{org}/language", authz.EditLanguageList, noBody, s.languageListPage)
	s.handle("POST /orgs/{org}/language", authz.EditLanguageList, uploadBody, s.saveLanguageList)
	s.handle("GET /services/{service}/language", authz.ViewWritingTotals, noBody, s.writingTotals)
	s.handle("POST /services/{service}/language/attach", authz.ViewWritingTotals, formBody, s.attachWritingTotals)

	s.handle("GET /orgs/{org}/questionnaires", authz.AddQuestionnaire, noBody, s.questionnairesPage)
	s.handle("POST /orgs/{org}/questionnaires", authz.AddQuestionnaire, uploadBody, s.addQuestionnaire)
	s.handle("GET /orgs/{org}/surveys", authz.RunSurveys, noBody, s.surveysPage)
	s.handle("POST /orgs/{org}/surveys", authz.RunSurveys, formBody, s.startSurvey)
	s.handle("GET /services/{service}/surveys", authz.RunSurveys, noBody, s.surveysPage)
	s.handle("POST /services/{service}/surveys", authz.RunSurveys, formBody, s.startSurvey)
	s.handle("GET /surveys/{survey}", authz.ManageSurvey, noBody, s.surveyPage)
	s.handle("POST /surveys/{survey}/waves", authz.ManageSurvey, formBody, s.addWave)
	s.handle("POST /surveys/{survey}/waves/{wave}", authz.ManageSurvey, formBody, s.updateWave)
	s.handle("POST /surveys/{survey}/rate-limit", authz.ManageSurvey, formBody, s.setRateLimit)
	s.exportFrom("GET /surveys/{survey}/waves/{wave}/qr.svg", authz.ManageSurvey, "GET /surveys/{survey}", s.waveQR)
	s.handle("GET /surveys/{survey}/waves/{wave}/paper", authz.ManageSurvey, noBody, s.paperForm)
	s.handle("POST /surveys/{survey}/waves/{wave}/paper", authz.ManageSurvey, formBody, s.enterPaper)
	s.exportFrom("GET /surveys/{survey}/print", authz.ManageSurvey, "GET /surveys/{survey}", s.printSurvey)
	s.handle("GET /surveys/{survey}/results", authz.ViewSurveyResult, noBody, s.surveyResults)
	s.handle("POST /surveys/{survey}/evidence", authz.ViewSurveyResult, formBody, s.attachSurvey)
	s.exportFrom("GET /surveys/{survey}/responses.csv", authz.ManageSurvey, "GET /surveys/{survey}/results", download(s.surveyTables))
	s.exportFrom("GET /surveys/{survey}/responses.xlsx", authz.ManageSurvey, "GET /surveys/{survey}/results", download(s.surveyTables))
	s.handle("GET /s/{token}", authz.Public, noBody, s.surveyForm)
	s.handle("POST /s/{token}", authz.Public, formBody, s.answerSurvey)
}

// handle registers a route whose every request is authorised by authz
// before fn runs.
// Body limits, one of which every route declares. A form's texts are sent
// percent-encoded, up to nine bytes for a character, hence the margins.
const (
	noBody     int64 = 0         // a page that is only read
	formBody   int64 = 256 << 10 // an ordinary form
	longForm   int64 = 2 << 20   // a form of long texts: a plan section, an evidence sheet, findings
	uploadBody int64 = 4 << 20   // a content file (at most 1 MB) typed or uploaded, and its form
)

// handle registers a route whose every request is authorised by authz
// before fn runs, and whose form, if it has a body, is read whole within
// the route's limit before fn runs: a handler never sees a form that
// could not be read as an empty one.
func (s *Server) handle(pattern string, action authz.Action, maxBody int64, fn handlerFunc) {
	s.routes = append(s.routes, Route{Pattern: pattern, Action: action, MaxBody: maxBody})
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
			err = s.resolve(r, c)
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

// errMFASetup sends staff of an organisation that requires a second factor
// to set one up before anything else.
var errMFASetup = errors.New("second factor required")

// fail turns a handler's error into the right page: the sign-in page for an
// anonymous visitor, a helpful 403/404/409/500 otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, c *call, err error) {
	if errors.Is(err, errMFASetup) {
		http.Redirect(w, r, "/account/two-factor", http.StatusSeeOther)
		return
	}
	var ns *notShared
	if errors.As(err, &ns) {
		s.renderNotShared(w, r, c, ns)
		return
	}
	var fe *formError
	if errors.As(err, &fe) {
		s.renderErrorFor(w, r, c, fe.status, fe.msg)
		return
	}
	switch alongside.ErrorCode(err) {
	case alongside.EUNAUTH:
		if r.Method == http.MethodGet {
			http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		s.renderError(w, r, http.StatusUnauthorized, "Your session has ended. Please sign in again.")
	case alongside.EFORBIDDEN:
		s.renderErrorFor(w, r, c, http.StatusForbidden, alongside.ErrorMessage(err))
	case alongside.ENOTFOUND:
		s.renderErrorFor(w, r, c, http.StatusNotFound, alongside.ErrorMessage(err))
	case alongside.ECONFLICT, alongside.EINVALID:
		s.renderErrorFor(w, r, c, http.StatusConflict, alongside.ErrorMessage(err))
	case alongside.ETHROTTLED:
		s.renderErrorFor(w, r, c, http.StatusTooManyRequests, alongside.ErrorMessage(err))
	case alongside.ENOSPACE:
		// The operator must hear of it; the writer gets their text back.
		s.logError(r, err)
		w.Header().Set("Retry-After", "300")
		s.renderKept(w, r, c, alongside.ErrorMessage(err))
	default:
		s.logError(r, err)
		s.renderErrorFor(w, r, c, http.StatusInternalServerError, "")
	}
}

// resolve loads the records named in the path and fills the resource that
// authz judges. A child record must belong to its parent in the path, or
// the request is a 404: ids from one organisation never open another's.
func (s *Server) resolve(r *http.Request, c *call) error {
	ctx := r.Context()
	id := func(name string) (int64, bool, error) {
		v := r.PathValue(name)
		if v == "" {
			return 0, false, nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return 0, true, alongside.Errorf(alongside.ENOTFOUND, "We could not find that page.")
		}
		return n, true, nil
	}
	if n, ok, err := id("org"); err != nil {
		return err
	} else if ok {
		if c.org, err = s.store.Organisations.Organisation(ctx, n); err != nil {
			return err
		}
		c.res.OrgID = n
	}
	if n, ok, err := id("service"); err != nil {
		return err
	} else if ok {
		if c.service, err = s.store.Organisations.Service(ctx, n); err != nil {
			return err
		}
		if c.org != nil && c.service.OrgID != c.org.ID {
			return notFound()
		}
		c.res.ServiceID, c.res.OrgID = n, c.service.OrgID
	}
	if n, ok, err := id("review"); err != nil {
		return err
	} else if ok {
		if c.review, err = s.store.Reviews.Review(ctx, n); err != nil {
			return err
		}
		c.res.Review, c.res.ServiceID, c.res.OrgID = c.review, c.review.ServiceID, c.review.OrgID
	}
	if v := r.PathValue("source"); v != "" {
		c.res.Source = alongside.EvidenceSource(v)
		if !c.res.Source.Valid() {
			return notFound()
		}
	}
	if n, ok, err := id("action"); err != nil {
		return err
	} else if ok {
		if c.action, err = s.store.ActionPlans.PlanAction(ctx, n); err != nil {
			return err
		}
		if c.review == nil || c.action.ReviewID != c.review.ID {
			return notFound()
		}
	}
	if n, ok, err := id("person"); err != nil {
		return err
	} else if ok {
		if c.actor != nil && c.actor.User.ID == n {
			// One's own pages (a person's plan, say): the actor, read
			// with the session, already holds all Person would read.
			c.person, c.personService = sqlstore.SelfAsPerson(c.actor)
		} else if c.person, c.personService, err = s.store.Accounts.Person(ctx, n); err != nil {
			return err
		}
		if c.service != nil {
			if ok, err := s.inService(r, n, alongside.RolePerson, c.service.ID); err != nil || !ok {
				return orNotFound(err)
			}
		}
		c.res.PersonID = n
	}
	if n, ok, err := id("supporter"); err != nil {
		return err
	} else if ok {
		// One of the person's own supporters: another person's link is
		// not found here.
		if c.supporter, err = s.store.Links.SupporterRequest(ctx, n); err != nil {
			return err
		}
		if c.person == nil || c.supporter.PersonID != c.person.ID {
			return notFound()
		}
	}
	if key := r.PathValue("section"); key != "" {
		sec, ok := alongside.PlanSectionByKey(key)
		if !ok {
			return notFound()
		}
		c.section, c.res.Section = &sec, &sec
	}
	if n, ok, err := id("user"); err != nil {
		return err
	} else if ok {
		if c.user, err = s.store.Accounts.User(ctx, n); err != nil {
			return err
		}
		ms, err := s.store.Accounts.MembershipsOf(ctx, n)
		if err != nil {
			return err
		}
		inOrg := false
		for _, m := range ms {
			inOrg = inOrg || (c.org != nil && m.OrgID == c.org.ID)
		}
		if !inOrg {
			return notFound()
		}
		c.res.UserID = n
	}
	if n, ok, err := id("invitation"); err != nil {
		return err
	} else if ok {
		if c.invitation, err = s.store.Links.SupporterRequest(ctx, n); err != nil {
			return err
		}
		c.res.SupporterID = c.invitation.SupporterID
	}
	if n, ok, err := id("rolerequest"); err != nil {
		return err
	} else if ok {
		if c.roleRequest, err = s.store.Accounts.RoleRequest(ctx, n); err != nil {
			return err
		}
		c.res.AddresseeID = c.roleRequest.UserID
	}
	if n, ok, err := id("survey"); err != nil {
		return err
	} else if ok {
		if c.survey, err = s.store.Surveys.Survey(ctx, n); err != nil {
			return err
		}
		c.res.Survey, c.res.OrgID, c.res.ServiceID = c.survey, c.survey.OrgID, c.survey.ServiceID
	}
	if n, ok, err := id("wave"); err != nil {
		return err
	} else if ok {
		for i := range c.survey.Waves {
			if c.survey.Waves[i].ID == n {
				c.wave = &c.survey.Waves[i]
			}
		}
		if c.wave == nil {
			return notFound()
		}
	}
	if n, ok, err := id("practitioner"); err != nil {
		return err
	} else if ok {
		if c.user, err = s.store.Accounts.User(ctx, n); err != nil {
			return err
		}
		c.res.PractitionerID = n
	}
	if n, ok, err := id("objective"); err != nil {
		return err
	} else if ok {
		if c.objective, err = s.store.Development.Objective(ctx, n); err != nil {
			return err
		}
		if c.objective.PractitionerID != c.res.PractitionerID {
			return notFound()
		}
	}
	if n, ok, err := id("membership"); err != nil {
		return err
	} else if ok {
		if c.membership, err = s.store.Accounts.Membership(ctx, n); err != nil {
			return err
		}
		if c.user == nil || c.membership.UserID != c.user.ID || c.membership.OrgID != c.org.ID {
			return notFound()
		}
	}
	if n, ok, err := id("allocation"); err != nil {
		return err
	} else if ok {
		if c.allocation, err = s.store.Relationships.Allocation(ctx, n); err != nil {
			return err
		}
		if c.service == nil || c.allocation.ServiceID != c.service.ID {
			return notFound()
		}
	}
	if n, ok, err := id("supervision"); err != nil {
		return err
	} else if ok {
		if c.supervise, err = s.store.Relationships.Supervision(ctx, n); err != nil {
			return err
		}
		if c.service == nil {
			return notFound()
		}
		if ok, err := s.inService(r, c.supervise.PractitionerID, alongside.RolePractitioner, c.service.ID); err != nil || !ok {
			return orNotFound(err)
		}
	}
	return nil
}

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

func notFound() error { return alongside.Errorf(alongside.ENOTFOUND, "We could not find that page.") }

func orNotFound(err error) error {
	if err != nil {
		return err
	}
	return notFound()
}
