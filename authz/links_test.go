package authz_test

import (
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
)

// A link hands over the whole account: only someone whose authority covers
// every role it holds may make one, and nobody for an account with a
// password.
func TestMayMakeLinkFor(t *testing.T) {
	const org, other, svcA, svcB = 1, 2, 10, 20
	m := func(r alongside.Role, o, s int64) alongside.Membership {
		return alongside.Membership{Role: r, OrgID: o, ServiceID: s}
	}
	actor := func(id int64, ms ...alongside.Membership) *alongside.Actor {
		return &alongside.Actor{User: alongside.User{ID: id}, Memberships: ms, AllocatedPeople: map[int64]bool{}}
	}
	sysadmin := actor(1, m(alongside.RoleSystemAdmin, 0, 0))
	orgAdmin := actor(2, m(alongside.RoleOrgAdmin, org, 0))
	manager := actor(3, m(alongside.RoleServiceManager, org, svcA))
	prac := actor(4, m(alongside.RolePractitioner, org, svcA))
	prac.AllocatedPeople[100] = true

	person := []alongside.Membership{m(alongside.RolePerson, org, svcA)}
	cases := []struct {
		name  string
		actor *alongside.Actor
		acct  authz.Account
		want  bool
	}{
		{"org admin, staff of the org", orgAdmin, authz.Account{UserID: 100, Memberships: []alongside.Membership{m(alongside.RolePractitioner, org, svcB)}}, true},
		{"org admin, the system administrator", orgAdmin, authz.Account{UserID: 100, Memberships: []alongside.Membership{m(alongside.RoleSystemAdmin, 0, 0), m(alongside.RolePractitioner, org, svcA)}}, false},
		{"org admin, a role in another organisation too", orgAdmin, authz.Account{UserID: 100, Memberships: append(person, m(alongside.RoleNetworkLead, other, 0))}, false},
		{"org admin, an account with a password", orgAdmin, authz.Account{UserID: 100, HasPassword: true, Memberships: person}, false},
		{"org admin, an invited supporter", orgAdmin, authz.Account{UserID: 100, Memberships: person, Supporter: true}, false},
		{"org admin, no roles at all", orgAdmin, authz.Account{UserID: 100}, false},
		{"system administrator, no roles at all", sysadmin, authz.Account{UserID: 100}, true},
		{"manager, a person of the service", manager, authz.Account{UserID: 100, Memberships: person}, true},
		{"manager, a person of the service with a password", manager, authz.Account{UserID: 100, HasPassword: true, Memberships: person}, false},
		{"manager, a practitioner of the service", manager, authz.Account{UserID: 100, Memberships: []alongside.Membership{m(alongside.RolePractitioner, org, svcA)}}, false},
		{"manager, a person of two services", manager, authz.Account{UserID: 100, Memberships: append(person, m(alongside.RolePerson, org, svcB))}, false},
		{"practitioner, a person they work with", prac, authz.Account{UserID: 100, Memberships: person}, true},
		{"practitioner, a person they do not work with", prac, authz.Account{UserID: 101, Memberships: person}, false},
		{"anonymous", nil, authz.Account{UserID: 100, Memberships: person}, false},
	}
	for _, c := range cases {
		if got := authz.MayMakeLinkFor(c.actor, c.acct); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// A supporter sees their own view on a shared section, and another
// supporter's only when the person has opened their circle; the person
// sees every view.
func TestSeesSupporterView(t *testing.T) {
	const person, supporter, otherSupporter = 100, 200, 300
	res := authz.Resource{PersonID: person}
	self := &alongside.Actor{User: alongside.User{ID: person}, HasPlan: true}
	sup := &alongside.Actor{User: alongside.User{ID: supporter}}
	cases := []struct {
		name   string
		actor  *alongside.Actor
		writer int64
		open   bool
		want   bool
	}{
		{"the person, a supporter's view", self, otherSupporter, false, true},
		{"a supporter, their own view", sup, supporter, false, true},
		{"a supporter, another's view, circle closed", sup, otherSupporter, false, false},
		{"a supporter, another's view, circle open", sup, otherSupporter, true, true},
	}
	for _, tc := range cases {
		if got := authz.SeesSupporterView(tc.actor, res, tc.writer, tc.open); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
