package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

var ctx = context.Background()

// world is a small organisation: two services, staff and people.
type world struct {
	org                             *alongside.Organisation
	svcA, svcB                      *alongside.Service
	manager, prac, prac2, otherPrac *alongside.User
	person, person2                 *alongside.User
}

func mustUser(t *testing.T, s *sqlstore.Store, name, email string, roles ...alongside.Membership) *alongside.User {
	t.Helper()
	u := &alongside.User{Name: name, Email: email}
	if err := s.Accounts.CreateUser(ctx, u, roles...); err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

func newWorld(t *testing.T, s *sqlstore.Store) *world {
	t.Helper()
	w := &world{org: &alongside.Organisation{Name: "Harbour Network"}}
	if err := s.Organisations.CreateOrganisation(ctx, w.org); err != nil {
		t.Fatal(err)
	}
	w.svcA = &alongside.Service{OrgID: w.org.ID, Name: "Birchwood"}
	w.svcB = &alongside.Service{OrgID: w.org.ID, Name: "Cedar Court"}
	for _, sv := range []*alongside.Service{w.svcA, w.svcB} {
		if err := s.Organisations.CreateService(ctx, sv); err != nil {
			t.Fatal(err)
		}
	}
	in := func(r alongside.Role, sv *alongside.Service) alongside.Membership {
		return alongside.Membership{Role: r, ServiceID: sv.ID}
	}
	w.manager = mustUser(t, s, "Morag Manager", "morag@example.org", in(alongside.RoleServiceManager, w.svcA))
	w.prac = mustUser(t, s, "Priya Practitioner", "priya@example.org", in(alongside.RolePractitioner, w.svcA))
	w.prac2 = mustUser(t, s, "Sam Supervisor", "sam@example.org", in(alongside.RolePractitioner, w.svcA))
	w.otherPrac = mustUser(t, s, "Olu Other", "olu@example.org", in(alongside.RolePractitioner, w.svcB))
	w.person = mustUser(t, s, "Pat Person", "pat@example.org", in(alongside.RolePerson, w.svcA))
	w.person2 = mustUser(t, s, "Robin Person", "robin@example.org", in(alongside.RolePerson, w.svcB))
	return w
}

func code(err error) string { return alongside.ErrorCode(err) }

func TestMigrateTwiceAndRefuseNewer(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		n, err := s.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second migrate applied %d, err %v; want 0, nil", n, err)
		}
		newer := s.SchemaVersion() + 1
		if _, err := s.DB().Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future', 0)", newer); err != nil {
			t.Fatal(err)
		}
		_, err = s.Migrate(ctx)
		if err == nil || !strings.Contains(err.Error(), "newer version of Alongside") {
			t.Fatalf("migrate on a newer database: %v; want a refusal naming the newer version", err)
		}
	})
}

func TestUsersAndRoles(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)

		// Emails match however they are typed, and are unique.
		u, err := s.Accounts.UserByEmail(ctx, "  PRIYA@Example.org ")
		if err != nil || u.ID != w.prac.ID {
			t.Fatalf("UserByEmail: %v %v", u, err)
		}
		dup := &alongside.User{Name: "Another Priya", Email: "Priya@example.org"}
		err = s.Accounts.CreateUser(ctx, dup, alongside.Membership{Role: alongside.RolePractitioner, ServiceID: w.svcA.ID})
		if fe := alongside.FieldErrors(err); fe["email"] == "" {
			t.Fatalf("duplicate email: %v; want a message on the email field", err)
		}

		// A bad role leaves no half-made user behind.
		half := &alongside.User{Name: "Half Made", Email: "half@example.org"}
		if err := s.Accounts.CreateUser(ctx, half, alongside.Membership{Role: alongside.RolePractitioner}); code(err) != alongside.EINVALID {
			t.Fatalf("role without service: %v", err)
		}
		if _, err := s.Accounts.UserByEmail(ctx, "half@example.org"); code(err) != alongside.ENOTFOUND {
			t.Fatalf("user was half-written: %v", err)
		}

		// A service role carries its organisation.
		ms, err := s.Accounts.MembershipsOf(ctx, w.prac.ID)
		if err != nil || len(ms) != 1 || ms[0].OrgID != w.org.ID || ms[0].ServiceName != "Birchwood" {
			t.Fatalf("memberships: %+v %v", ms, err)
		}

		// A stale edit is refused, not silently applied.
		a, _ := s.Accounts.User(ctx, w.prac.ID)
		b, _ := s.Accounts.User(ctx, w.prac.ID)
		a.Name = "Priya P."
		if err := s.Accounts.UpdateUser(ctx, a); err != nil {
			t.Fatal(err)
		}
		b.Name = "Priya Q."
		if err := s.Accounts.UpdateUser(ctx, b); code(err) != alongside.ECONFLICT {
			t.Fatalf("stale update: %v; want conflict", err)
		}
		if got, _ := s.Accounts.User(ctx, w.prac.ID); got.Name != "Priya P." {
			t.Fatalf("name = %q after conflict", got.Name)
		}

		users, err := s.Accounts.OrgUsers(ctx, w.org.ID, "pat")
		if err != nil || len(users) != 1 || users[0].Email != "pat@example.org" {
			t.Fatalf("OrgUsers search: %+v %v", users, err)
		}
	})
}

func TestSessions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		clock := s.Clock.(*alongside.FixedClock)
		p := alongside.SessionPolicy{Idle: 30 * time.Minute, Absolute: 2 * time.Hour}
		tok, err := s.Sessions.CreateSession(ctx, w.prac.ID, true, "192.0.2.1", "test", p)
		if err != nil {
			t.Fatal(err)
		}
		other, _ := s.Sessions.CreateSession(ctx, w.prac.ID, true, "192.0.2.2", "test", p)
		// Active use keeps a session alive past the idle limit...
		for i := 0; i < 3; i++ {
			clock.Advance(20 * time.Minute)
			ss, err := s.Sessions.Session(ctx, tok, p)
			if err != nil {
				t.Fatalf("session after %d×20 min of use: %v", i+1, err)
			}
			s.Sessions.TouchSession(ctx, ss)
		}
		// ...but not the idle one, and not past the absolute limit.
		if _, err := s.Sessions.Session(ctx, other, p); code(err) != alongside.ENOTFOUND {
			t.Fatalf("idle session still live: %v", err)
		}
		clock.Advance(61 * time.Minute)
		if _, err := s.Sessions.Session(ctx, tok, p); code(err) != alongside.ENOTFOUND {
			t.Fatalf("session past absolute expiry: %v", err)
		}
		a, _ := s.Sessions.CreateSession(ctx, w.prac.ID, true, "", "", p)
		b, _ := s.Sessions.CreateSession(ctx, w.prac.ID, true, "", "", p)
		if err := s.Sessions.EndAllSessions(ctx, w.prac.ID); err != nil {
			t.Fatal(err)
		}
		for _, tk := range []string{a, b} {
			if _, err := s.Sessions.Session(ctx, tk, p); code(err) != alongside.ENOTFOUND {
				t.Fatalf("session survived log out everywhere: %v", err)
			}
		}
	})
}

func TestThrottleAndTOTPReplay(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		clock := s.Clock.(*alongside.FixedClock)
		th := sqlstore.Throttle{Window: 15 * time.Minute, PerAccount: 3, PerAddress: 5}
		for i := 0; i < 3; i++ {
			if err := s.Sessions.SignInFailed(ctx, "Nobody@example.org", "198.51.100.7", "unknown"); err != nil {
				t.Fatal(err)
			}
		}
		if ok, _ := s.Sessions.Throttled(ctx, th, "nobody@example.org", "203.0.113.9"); !ok {
			t.Fatal("account not throttled after 3 failures")
		}
		if ok, _ := s.Sessions.Throttled(ctx, th, "pat@example.org", "203.0.113.9"); ok {
			t.Fatal("another account throttled")
		}
		for i := 0; i < 2; i++ {
			s.Sessions.SignInFailed(ctx, "x"+itoa(i)+"@example.org", "198.51.100.7", "unknown")
		}
		if ok, _ := s.Sessions.Throttled(ctx, th, "pat@example.org", "198.51.100.7"); !ok {
			t.Fatal("address not throttled after 5 failures")
		}
		clock.Advance(16 * time.Minute)
		if ok, _ := s.Sessions.Throttled(ctx, th, "nobody@example.org", "198.51.100.7"); ok {
			t.Fatal("throttle did not lift after the window")
		}

		if err := s.Sessions.EnableTOTP(ctx, w.prac.ID, "SECRET", 100, []string{"aaaa-bbbb-cccc"}); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.Sessions.UseTOTPStep(ctx, w.prac.ID, 100); ok {
			t.Fatal("the step used to confirm set-up was accepted again")
		}
		if ok, _ := s.Sessions.UseTOTPStep(ctx, w.prac.ID, 101); !ok {
			t.Fatal("a new step was refused")
		}
		if ok, _ := s.Sessions.UseRecoveryCode(ctx, w.prac.ID, "AAAA BBBB CCCC"); !ok {
			t.Fatal("recovery code refused")
		}
		if ok, _ := s.Sessions.UseRecoveryCode(ctx, w.prac.ID, "aaaa-bbbb-cccc"); ok {
			t.Fatal("recovery code accepted twice")
		}
	})
}

func itoa(i int) string { return string(rune('0' + i)) }
