package alongside

// Actor is the signed-in user with everything access decisions need: their
// memberships and their relationships to other people. It is loaded once per
// request, so the authorization module decides without querying, and pages
// that list these relationships need no query of their own.
type Actor struct {
	User        User
	Memberships []Membership

	// The relationships, with names, sorted by the other person's name.
	Allocations  []Allocation    // people this practitioner works with
	Team         []Allocation    // practitioners who work with this person
	Supervising  []Supervision   // practitioners this user supervises
	SupervisedBy []Supervision   // this practitioner's supervisors
	Supporting   []SupporterLink // people this user supports (accepted invitations)

	// The same, as sets of ids for access decisions.
	AllocatedPeople map[int64]bool // person id → this practitioner works with them
	Supervisees     map[int64]bool // practitioner id → this user supervises them
	SupportedPeople map[int64]bool // person id → this user is their supporter
	// PlanGrants are the sections of each supported person's plan this
	// supporter may see: person id → section key → may add their own view.
	PlanGrants map[int64]map[string]bool
	// Emergency holds the people whose crisis plan this practitioner opened
	// in an emergency, while that opening lasts.
	Emergency map[int64]bool
	// ServiceLimits are, for each allocated person who limits what one of
	// this practitioner's services sees, the sections shared with it:
	// person id → service id → section key. A service absent sees all.
	ServiceLimits map[int64]map[int64]map[string]bool
	// DevelopmentShared are the practitioners who share their development
	// plan with this user, by name; SharesDevelopment the same as a set.
	DevelopmentShared []Colleague
	SharesDevelopment map[int64]bool
	// HasPlan: the user has a recovery plan of their own. It stays theirs
	// after they leave every service.
	HasPlan bool
}

// Has reports whether the actor holds role in the given scope. For an
// organisation role pass the org id and 0; for a service role pass the
// service id (the org is implied).
func (a *Actor) Has(role Role, orgID, serviceID int64) bool {
	if a == nil {
		return false
	}
	for _, m := range a.Memberships {
		if m.Role != role {
			continue
		}
		switch role.Scope() {
		case "deployment":
			return true
		case "organisation":
			if m.OrgID == orgID {
				return true
			}
		default:
			if m.ServiceID == serviceID {
				return true
			}
		}
	}
	return false
}

// HasAnywhere reports whether the actor holds role in any scope.
func (a *Actor) HasAnywhere(role Role) bool {
	if a == nil {
		return false
	}
	for _, m := range a.Memberships {
		if m.Role == role {
			return true
		}
	}
	return false
}

// IsSystemAdmin reports whether the actor administers the deployment.
func (a *Actor) IsSystemAdmin() bool { return a.HasAnywhere(RoleSystemAdmin) }

// ScopesFor returns the memberships with the given role.
func (a *Actor) ScopesFor(role Role) []Membership {
	var out []Membership
	if a == nil {
		return nil
	}
	for _, m := range a.Memberships {
		if m.Role == role {
			out = append(out, m)
		}
	}
	return out
}

// SeesSection reports whether, through any of their allocations to the
// person, this practitioner's service sees the plan section shared under
// key: every section, unless the person limited that service.
func (a *Actor) SeesSection(personID int64, key string) bool {
	for _, al := range a.Allocations {
		if al.PersonID != personID {
			continue
		}
		limits, limited := a.ServiceLimits[personID][al.ServiceID]
		if !limited || limits[key] {
			return true
		}
	}
	return false
}
