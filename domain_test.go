package alongside_test

import (
	"testing"

	"github.com/alongside-recovery/alongside"
)

func TestValidateEmail(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"pat@example.org", true},
		{"pat.o'neill+plan@example.org", true},
		{"", false},
		{"pat", false},
		{"pat@localhost", false},
		{"Pat <pat@example.org>", false},
		{"pat@example.org\nBcc: x@example.org", false},
	} {
		if got := alongside.ValidateEmail(tc.in) == ""; got != tc.ok {
			t.Errorf("ValidateEmail(%q) ok = %v, want %v", tc.in, got, tc.ok)
		}
	}
}

func TestUserValidateNormalises(t *testing.T) {
	u := &alongside.User{Name: "  Pat  ", Email: " PAT@Example.ORG "}
	if err := u.Validate(); err != nil {
		t.Fatal(err)
	}
	if u.Name != "Pat" || u.Email != "pat@example.org" {
		t.Fatalf("got %q %q", u.Name, u.Email)
	}
	err := (&alongside.User{}).Validate()
	if f := alongside.FieldErrors(err); f["name"] == "" || f["email"] == "" {
		t.Fatalf("empty user: %v", f)
	}
}

func TestActorRolesHaveScopes(t *testing.T) {
	a := &alongside.Actor{Memberships: []alongside.Membership{
		{Role: alongside.RoleOrgAdmin, OrgID: 1},
		{Role: alongside.RolePractitioner, OrgID: 1, ServiceID: 10},
	}}
	checks := []struct {
		role     alongside.Role
		org, svc int64
		want     bool
	}{
		{alongside.RoleOrgAdmin, 1, 0, true},
		{alongside.RoleOrgAdmin, 2, 0, false},
		{alongside.RolePractitioner, 0, 10, true},
		{alongside.RolePractitioner, 0, 11, false},
		{alongside.RoleServiceManager, 0, 10, false},
	}
	for _, c := range checks {
		if got := a.Has(c.role, c.org, c.svc); got != c.want {
			t.Errorf("Has(%s, %d, %d) = %v", c.role, c.org, c.svc, got)
		}
	}
	if a.IsSystemAdmin() || !a.HasAnywhere(alongside.RolePractitioner) {
		t.Error("IsSystemAdmin / HasAnywhere wrong")
	}
	var anon *alongside.Actor
	if anon.Has(alongside.RolePerson, 0, 10) {
		t.Error("a nil actor has a role")
	}
}

func TestErrorsNeverLeakInternals(t *testing.T) {
	if msg := alongside.ErrorMessage(errString("sql: connection refused at 10.0.0.3")); msg == "" || msg == "sql: connection refused at 10.0.0.3" {
		t.Fatalf("internal error shown to the user: %q", msg)
	}
	if alongside.ErrorCode(alongside.Errorf(alongside.ECONFLICT, "x")) != alongside.ECONFLICT {
		t.Fatal("code lost")
	}
}

type errString string

func (e errString) Error() string { return string(e) }
