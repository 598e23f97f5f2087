package alongside

import (
	"net/mail"
	"strings"
	"time"
)

// Role is what someone does within a scope. Supervisor and supporter are not
// roles: they are relationships (see relationship.go), because access follows
// who works with whom, not membership alone.
type Role string

const (
	RoleSystemAdmin    Role = "system_admin"    // deployment: creates organisations
	RoleOrgAdmin       Role = "org_admin"       // organisation: users, services, settings
	RoleNetworkLead    Role = "network_lead"    // organisation: aggregates, never a person's records
	RoleServiceManager Role = "service_manager" // service
	RolePractitioner   Role = "practitioner"    // service
	RolePerson         Role = "person"          // service: someone using the service
)

// Roles lists every role in the order the interface shows them.
var Roles = []Role{RoleSystemAdmin, RoleOrgAdmin, RoleNetworkLead, RoleServiceManager, RolePractitioner, RolePerson}

// Scope says where a role applies.
func (r Role) Scope() string {
	switch r {
	case RoleSystemAdmin:
		return "deployment"
	case RoleOrgAdmin, RoleNetworkLead:
		return "organisation"
	default:
		return "service"
	}
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Staff reports whether the role is a staff role (an organisation may require
// a second factor for these).
func (r Role) Staff() bool { return r != RolePerson }

// Label is the role's name in plain English.
func (r Role) Label() string {
	switch r {
	case RoleSystemAdmin:
		return "System administrator"
	case RoleOrgAdmin:
		return "Organisation administrator"
	case RoleNetworkLead:
		return "Network lead"
	case RoleServiceManager:
		return "Service manager"
	case RolePractitioner:
		return "Practitioner"
	case RolePerson:
		return "Person using the service"
	}
	return string(r)
}

// User is anyone who can sign in: staff, people using services, supporters.
type User struct {
	ID           int64
	Email        string // the login, stored lower-case
	Name         string
	PasswordHash string // argon2id PHC string; empty until the user sets one
	Disabled     bool
	TOTPSecret   string
	TOTPEnabled  bool
	TOTPLastStep int64 // last accepted time step, to refuse a replayed code
	// LanguageSuggestions: someone using a service asked for language
	// suggestions in their own writing (staff and supporters always get them).
	LanguageSuggestions bool
	CreatedAt           time.Time
	Version             int
}

// HasPassword reports whether the user has finished setting up their account.
func (u *User) HasPassword() bool { return u.PasswordHash != "" }

// NormaliseEmail trims and lower-cases an email so that logins match however
// they are typed.
func NormaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks a user's name and email, returning per-field messages.
func (u *User) Validate() error {
	f := map[string]string{}
	u.Name = strings.TrimSpace(u.Name)
	keepable(f, "email", u.Email) // before lower-casing turns bad bytes into U+FFFD
	u.Email = NormaliseEmail(u.Email)
	if u.Name == "" {
		f["name"] = "Enter a name."
	} else if len(u.Name) > 200 {
		f["name"] = "Name must be 200 characters or fewer."
	}
	keepable(f, "name", u.Name)
	if msg := ValidateEmail(u.Email); msg != "" && f["email"] == "" {
		f["email"] = msg
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

// ValidateEmail returns a message when s is not a plain email address.
func ValidateEmail(s string) string {
	if s == "" {
		return "Enter an email address."
	}
	if msg := TextProblem(s); msg != "" {
		return msg
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") || len(s) > 254 {
		return "Enter an email address in the right format, like name@example.org."
	}
	return ""
}

// Membership gives a user a role in an organisation or service. A system
// administrator's membership has neither; a service role carries both the
// service and its organisation.
type Membership struct {
	ID        int64
	UserID    int64
	Role      Role
	OrgID     int64
	ServiceID int64
	CreatedAt time.Time

	// Filled in by queries that join.
	OrgRequiresMFA bool // the organisation requires staff to use a second factor
	OrgName        string
	ServiceName    string
	UserName       string
	UserEmail      string
}

// RoleRequest is a role offered to an account that had none in the
// organisation. It becomes a Membership only when the holder, signed in as
// themselves, accepts it, so that adding someone never reveals to the one
// adding them that the email already has an account elsewhere.
type RoleRequest struct {
	Membership       // the role offered; ID is the request's
	AllocateTo int64 // the practitioner who invited a person, allocated to them on acceptance
}
