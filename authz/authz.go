// Package authz is the one place that answers "may this actor do this to
// that?". Every route names an Action; the web layer resolves the Resource
// from the request and asks Check before the handler runs. Nothing else
// decides access.
//
// Access to a person's records follows relationships (an allocated
// practitioner, an accepted supporter, the person themselves), never
// membership of a service alone. Managers and network leads see services and
// aggregates, not people's records.
package authz

import "github.com/alongside-recovery/alongside"

// Action is something an actor may try to do.
type Action string

const (
	// Public: anyone, signed in or not (sign-in page, health checks).
	Public Action = "public"
	// SignedIn: any signed-in user (home page, own account).
	SignedIn Action = "signed_in"

	// Deployment.
	ManageDeployment Action = "deployment.manage" // list and create organisations

	// Organisation.
	ManageOrganisation Action = "organisation.manage" // users, services, roles, settings
	ViewAuditLog       Action = "organisation.audit"
	ViewNetwork        Action = "organisation.network" // services side by side, aggregates only

	// Service.
	ManageService Action = "service.manage" // the service's page: staff, allocations and supervision; starting a review
	InvitePerson  Action = "service.invite_person"
	ListReviews   Action = "service.reviews" // the service's review cycles, by title and stage

	// A review of a service.
	ViewReview         Action = "review.view"        // its manager, coordinator and team: sheets as a list, never as anyone's
	RunReview          Action = "review.run"         // its coordinator or the service's manager: stages, invitations
	ContributeToReview Action = "review.contribute"  // its manager, coordinator and team: records and paper sheets, the action plan
	ViewReviewResults  Action = "review.results"     // as ViewReview, and the organisation's network leads: results and action plan
	EnterSheet         Action = "review.enter_sheet" // a records or service-information sheet: the team; a paper sheet from staff, people or carers: as RunReview

	// A person.
	ViewPerson          Action = "person.view"         // a person's own records
	ViewPersonCircle    Action = "person.circle"       // who works with and supports the person
	ReissuePersonLink   Action = "person.reissue_link" // a fresh sign-in link when they forget their password
	ManageOwnSupporters Action = "person.manage_supporters"
	// AnswerSupporterRequest: someone a person asked to be their supporter
	// accepts or declines, signed in as themselves (Resource.SupporterID).
	AnswerSupporterRequest Action = "supporter.answer"
	// AnswerRoleRequest: the account a role was offered to (an account
	// with none in that organisation) accepts or declines it, signed in as
	// themselves (Resource.AddresseeID).
	AnswerRoleRequest Action = "role.answer"

	// A person's recovery plan. It is theirs: they write every section but
	// the statutory needs, and the practitioners allocated to them co-write
	// it. Managers and network leads never see a plan.
	ViewPlan        Action = "plan.view"         // the plan page: the person and their allocated practitioners
	ViewPlanSection Action = "plan.section.view" // one section (Resource.Section), with its history
	// ViewCrisisPlan is the crisis plan as a page to read, with the help-now
	// numbers: the person, their allocated practitioners, their accepted
	// supporters (told kindly when the crisis part is not shared with them:
	// ViewPlanSection decides what it shows) and a practitioner who opened
	// it in an emergency.
	ViewCrisisPlan   Action = "plan.crisis.view"
	EditPlanSection  Action = "plan.section.edit" // the person (not the statutory needs) and their allocated practitioners
	SignOffPlan      Action = "plan.sign_off"     // the person alone
	ViewPlanActivity Action = "plan.activity"     // who has looked at or changed the plan: the person alone
	SharePlan        Action = "plan.share"        // choose what each supporter sees: the person alone
	// ViewProgress: the person's progress ratings, seen as the "progress"
	// section of the plan is; RateProgress: the person alone rates.
	ViewProgress Action = "progress.view"
	RateProgress Action = "progress.rate"
	// CloseOwnAccount: a person closes their account; their records are
	// erased after the organisation's retention period.
	CloseOwnAccount Action = "person.close"
	// DownloadOwnData: a person's copy of everything held about them.
	DownloadOwnData Action = "person.download"
	// ViewCaseload: a practitioner's list of the people they work alongside.
	ViewCaseload Action = "plan.caseload"
	// OpenCrisisPlanInEmergency: a practitioner of the service may open the
	// crisis plan of a person of the service they are not allocated to, by
	// giving a reason ("break glass"), shown to the person and the manager.
	OpenCrisisPlanInEmergency Action = "plan.break_glass"
	AddSupporterView          Action = "plan.supporter_view" // a supporter's own view on a section the person lets them add to

	// A practitioner's development: their self-assessments, reflections
	// and development plan are their own (Resource.PractitionerID).
	OwnDevelopment Action = "development.own" // the practitioner alone: self-assessment, reflection, writing the plan, sharing it
	// ViewDevelopmentPlan: the practitioner and those they share it with,
	// who may also comment on it.
	ViewDevelopmentPlan Action = "development.plan.view"
	// SignOffDevelopmentPlan: a supervisor of the practitioner, when the
	// plan is shared with them.
	SignOffDevelopmentPlan Action = "development.plan.sign_off"
	// ViewDevelopmentTotals: a service's manager sees its practitioners'
	// development needs and reflections in total only (Resource.ServiceID).
	ViewDevelopmentTotals Action = "service.development"

	// Surveys. RunSurveys: start and list surveys of a service (its manager,
	// Resource.ServiceID) or of a whole network (its leads and
	// administrators, Resource.OrgID alone). ManageSurvey: one survey
	// (Resource.Survey): its waves, links, paper entry, results and
	// exports, for whoever may run surveys where it runs, and a network
	// survey's results for the managers of its services too.
	RunSurveys       Action = "survey.run"
	ManageSurvey     Action = "survey.manage"
	ViewSurveyResult Action = "survey.results"
	// AddQuestionnaire: an organisation's administrators add questionnaires.
	AddQuestionnaire Action = "organisation.questionnaires"

	// Language suggestions. EditLanguageList: an organisation's
	// administrators edit its suggestions list. ViewWritingTotals: a
	// service's manager sees its staff's writing in total (suggestions per
	// 1,000 words) and attaches it to a review. Checking a text and setting
	// a suggestion aside are the writer's own, for anyone signed in.
	EditLanguageList  Action = "organisation.language"
	ViewWritingTotals Action = "service.language"
)

// Resource is what an action is done to. Callers fill what applies: the
// organisation and service it sits in, and the person it concerns.
type Resource struct {
	OrgID     int64
	ServiceID int64
	PersonID  int64 // the person whose records these are
	UserID    int64 // a user being administered
	Review    *alongside.Review
	Source    alongside.EvidenceSource // the source of evidence of a sheet
	Section   *alongside.PlanSection   // a section of the person's plan
	// PractitionerID is the practitioner whose development records these are.
	PractitionerID int64
	Survey         *alongside.Survey
	// SupporterID is the account a supporter invitation is addressed to.
	SupporterID int64
	// AddresseeID is the account a role request is addressed to.
	AddresseeID int64
	// Belongs are the roles of the person, practitioner or user concerned:
	// where they sit. Read only when an action is refused, for Knows.
	Belongs []alongside.Membership
}

// Account is what decides who may make a one-time sign-in link for an
// account: whether it has a password and every role it holds.
type Account struct {
	UserID      int64
	HasPassword bool
	Memberships []alongside.Membership
	// Supporter: someone has invited the account to support them. Only
	// that person could vouch for it, so no one else covers it.
	Supporter bool
}

// MayMakeLinkFor reports whether the actor may make a one-time link that
// sets the account's password. A link hands over the whole account, so the
// actor's authority must cover every role the account holds, and nobody but
// its holder (through a reset to their own email) replaces a password that
// is already set. Every route that makes or shows such a link asks this.
func MayMakeLinkFor(a *alongside.Actor, acct Account) bool {
	if a == nil || a.User.Disabled || acct.HasPassword || acct.Supporter || acct.UserID == a.User.ID {
		return false
	}
	if len(acct.Memberships) == 0 {
		return a.IsSystemAdmin()
	}
	for _, m := range acct.Memberships {
		if !coversRole(a, acct.UserID, m) {
			return false
		}
	}
	return true
}

// coversRole: the actor could have given this role themselves.
func coversRole(a *alongside.Actor, userID int64, m alongside.Membership) bool {
	if a.IsSystemAdmin() {
		return true
	}
	switch m.Role.Scope() {
	case "deployment":
		return false
	case "organisation":
		return a.Has(alongside.RoleOrgAdmin, m.OrgID, 0)
	}
	if m.OrgID != 0 && a.Has(alongside.RoleOrgAdmin, m.OrgID, 0) {
		return true
	}
	// Someone using a service: its manager, or a practitioner of the
	// service who works with them, invites them.
	return m.Role == alongside.RolePerson && (a.Has(alongside.RoleServiceManager, 0, m.ServiceID) ||
		(a.AllocatedPeople[userID] && a.Has(alongside.RolePractitioner, 0, m.ServiceID)))
}

// Can reports whether the actor may do the action to the resource. A nil
// actor is an anonymous visitor.
func Can(a *alongside.Actor, act Action, r Resource) bool {
	if act == Public {
		return true
	}
	if a == nil || a.User.Disabled {
		return false
	}
	switch act {
	case SignedIn:
		return true
	case ManageDeployment:
		return a.IsSystemAdmin()
	case ManageOrganisation, ViewAuditLog:
		return r.OrgID != 0 && (a.IsSystemAdmin() || a.Has(alongside.RoleOrgAdmin, r.OrgID, 0))
	case ViewNetwork:
		return r.OrgID != 0 && (a.Has(alongside.RoleNetworkLead, r.OrgID, 0) || a.Has(alongside.RoleOrgAdmin, r.OrgID, 0))
	case ManageService:
		return r.ServiceID != 0 && (orgAdmin(a, r) || a.Has(alongside.RoleServiceManager, 0, r.ServiceID))
	case ListReviews:
		return r.ServiceID != 0 && (orgAdmin(a, r) ||
			a.Has(alongside.RoleServiceManager, 0, r.ServiceID) || a.Has(alongside.RolePractitioner, 0, r.ServiceID))
	case ViewReview:
		return r.Review != nil && (a.Has(alongside.RoleServiceManager, 0, r.Review.ServiceID) || r.Review.InTeam(a.User.ID))
	case RunReview:
		return r.Review != nil && (a.Has(alongside.RoleServiceManager, 0, r.Review.ServiceID) || r.Review.CoordinatorID == a.User.ID)
	case ContributeToReview:
		return Can(a, ViewReview, r)
	case EnterSheet:
		if r.Source.Document() {
			return Can(a, ContributeToReview, r)
		}
		return r.Source.Valid() && Can(a, RunReview, r)
	case ViewReviewResults:
		return r.Review != nil && (Can(a, ViewReview, r) || Can(a, ViewNetwork, Resource{OrgID: r.Review.OrgID}))
	case InvitePerson:
		return r.ServiceID != 0 && (a.Has(alongside.RoleServiceManager, 0, r.ServiceID) || a.Has(alongside.RolePractitioner, 0, r.ServiceID))
	case ViewPerson:
		return r.PersonID != 0 && (a.User.ID == r.PersonID || a.AllocatedPeople[r.PersonID] || a.SupportedPeople[r.PersonID])
	case ViewPersonCircle:
		// A supporter sees only what the person chooses to share with them.
		return r.PersonID != 0 && (a.User.ID == r.PersonID || a.AllocatedPeople[r.PersonID])
	case ReissuePersonLink:
		return r.PersonID != 0 && r.ServiceID != 0 &&
			(a.AllocatedPeople[r.PersonID] || a.Has(alongside.RoleServiceManager, 0, r.ServiceID) || orgAdmin(a, r))
	case ManageOwnSupporters:
		return r.PersonID != 0 && a.User.ID == r.PersonID && a.HasAnywhere(alongside.RolePerson)
	case AnswerSupporterRequest:
		return r.SupporterID != 0 && r.SupporterID == a.User.ID
	case AnswerRoleRequest:
		return r.AddresseeID != 0 && r.AddresseeID == a.User.ID
	case ViewPlan:
		// A supporter sees the plan only if the person has granted them a
		// section of it.
		return r.PersonID != 0 && (ownPlan(a, r) || a.AllocatedPeople[r.PersonID] || len(a.PlanGrants[r.PersonID]) > 0)
	case ViewCrisisPlan:
		p := r.PersonID
		return p != 0 && (ownPlan(a, r) || a.AllocatedPeople[p] || a.SupportedPeople[p] || len(a.PlanGrants[p]) > 0 || a.Emergency[p])
	case ViewPlanSection:
		if r.Section == nil || r.PersonID == 0 {
			return false
		}
		_, granted := a.PlanGrants[r.PersonID][r.Section.ShareKey()]
		emergency := r.Section.Key == alongside.SectionCrisis && a.Emergency[r.PersonID]
		allocated := a.AllocatedPeople[r.PersonID] && a.SeesSection(r.PersonID, r.Section.ShareKey())
		return ownPlan(a, r) || allocated || granted || emergency
	case ViewProgress:
		sec, _ := alongside.PlanSectionByKey(alongside.SectionProgress)
		r.Section = &sec
		return Can(a, ViewPlanSection, r)
	case ViewCaseload:
		return a.HasAnywhere(alongside.RolePractitioner)
	case OpenCrisisPlanInEmergency:
		return r.ServiceID != 0 && a.Has(alongside.RolePractitioner, 0, r.ServiceID)
	case AddSupporterView:
		return r.Section != nil && r.PersonID != 0 && a.PlanGrants[r.PersonID][r.Section.ShareKey()]
	case EditPlanSection:
		if r.Section == nil || r.PersonID == 0 {
			return false
		}
		return (a.AllocatedPeople[r.PersonID] && a.SeesSection(r.PersonID, r.Section.ShareKey())) || (ownPlan(a, r) && !r.Section.Statutory)
	case OwnDevelopment:
		return r.PractitionerID != 0 && r.PractitionerID == a.User.ID && a.HasAnywhere(alongside.RolePractitioner)
	case ViewDevelopmentPlan:
		return Can(a, OwnDevelopment, r) || (r.PractitionerID != 0 && a.SharesDevelopment[r.PractitionerID])
	case SignOffDevelopmentPlan:
		return r.PractitionerID != 0 && a.SharesDevelopment[r.PractitionerID] && a.Supervisees[r.PractitionerID]
	case ViewDevelopmentTotals:
		return r.ServiceID != 0 && a.Has(alongside.RoleServiceManager, 0, r.ServiceID)
	case RunSurveys:
		if r.ServiceID != 0 {
			return a.Has(alongside.RoleServiceManager, 0, r.ServiceID)
		}
		return r.OrgID != 0 && (a.Has(alongside.RoleNetworkLead, r.OrgID, 0) || a.Has(alongside.RoleOrgAdmin, r.OrgID, 0))
	case ManageSurvey:
		return r.Survey != nil && Can(a, RunSurveys, Resource{OrgID: r.Survey.OrgID, ServiceID: r.Survey.ServiceID})
	case ViewSurveyResult:
		if r.Survey == nil {
			return false
		}
		if Can(a, ManageSurvey, r) {
			return true
		}
		// A network survey's results: the managers of its services too.
		for _, m := range a.Memberships {
			if r.Survey.ServiceID == 0 && m.Role == alongside.RoleServiceManager && m.OrgID == r.Survey.OrgID {
				return true
			}
		}
		return false
	case AddQuestionnaire, EditLanguageList:
		return Can(a, ManageOrganisation, r)
	case ViewWritingTotals:
		return Can(a, ViewDevelopmentTotals, r)
	case SignOffPlan, ViewPlanActivity, SharePlan, DownloadOwnData, RateProgress, CloseOwnAccount:
		return r.PersonID != 0 && ownPlan(a, r)
	}
	return false
}

// ownPlan: the actor is the person the plan belongs to: someone using a
// service, or who has a plan from a service they have left.
func ownPlan(a *alongside.Actor, r Resource) bool {
	return a.User.ID == r.PersonID && (a.HasAnywhere(alongside.RolePerson) || a.HasPlan)
}

func orgAdmin(a *alongside.Actor, r Resource) bool {
	return r.OrgID != 0 && a.Has(alongside.RoleOrgAdmin, r.OrgID, 0)
}

// SeesSupporterView reports whether the actor, who may see a section of the
// person's plan (r), also sees the view a supporter (writerID) added to it:
// those who see the person's circle see every view; a supporter sees their
// own, and the others' only when the person has opened their circle to
// their supporters (circleOpen).
func SeesSupporterView(a *alongside.Actor, r Resource, writerID int64, circleOpen bool) bool {
	return Can(a, ViewPersonCircle, r) || circleOpen || (a != nil && a.User.ID == writerID)
}

// Knows reports whether the actor has a relationship to the resource, so
// may learn that it exists: the person or practitioner it concerns, someone
// allocated to, supporting, supervising or shown it by them, a role in its
// service or across its organisation (or, for something of the
// organisation as a whole, any role in it), or the system administrator.
// To anyone else a record they may not see is answered as one that does
// not exist, so that ids reveal nothing.
func Knows(a *alongside.Actor, r Resource) bool {
	if a == nil {
		return false
	}
	if a.IsSystemAdmin() || (r.OrgID == 0 && r.ServiceID == 0 && r.PersonID == 0 && r.UserID == 0 && r.PractitionerID == 0 &&
		r.Review == nil && r.Survey == nil) {
		return true // a page of no record in particular: nothing to hide
	}
	for _, id := range []int64{r.PersonID, r.PractitionerID, r.UserID} {
		if id != 0 && id == a.User.ID {
			return true
		}
	}
	if p := r.PersonID; p != 0 && (a.AllocatedPeople[p] || a.SupportedPeople[p] || len(a.PlanGrants[p]) > 0 || a.Emergency[p]) {
		return true
	}
	if p := r.PractitionerID; p != 0 && (a.SharesDevelopment[p] || a.Supervisees[p]) {
		return true
	}
	services, orgs := map[int64]bool{}, map[int64]bool{}
	add := func(org, service int64) {
		if service != 0 {
			services[service] = true
		}
		if org != 0 {
			orgs[org] = true
		}
	}
	add(r.OrgID, r.ServiceID)
	if r.Review != nil {
		add(r.Review.OrgID, r.Review.ServiceID)
	}
	if r.Survey != nil {
		add(r.Survey.OrgID, r.Survey.ServiceID)
	}
	for _, m := range r.Belongs {
		add(m.OrgID, m.ServiceID)
	}
	for _, m := range a.Memberships {
		if services[m.ServiceID] || (m.ServiceID == 0 && orgs[m.OrgID]) || (len(services) == 0 && orgs[m.OrgID]) {
			return true
		}
	}
	return false
}

// Check is Can as an error: EUNAUTH for an anonymous visitor, EFORBIDDEN
// for a signed-in one.
func Check(a *alongside.Actor, act Action, r Resource) error {
	if Can(a, act, r) {
		return nil
	}
	if a == nil {
		return alongside.Errorf(alongside.EUNAUTH, "Please sign in to see this page.")
	}
	return alongside.Errorf(alongside.EFORBIDDEN, "You do not have access to this page.")
}
