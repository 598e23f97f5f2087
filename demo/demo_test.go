package demo_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/demo"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

var ctx = context.Background()

// demoPassword is hashed once with the cheapest settings, as the command
// hashes once with real ones.
const demoPassword = "walk alongside the person"

var demoHash = func() string {
	h, err := auth.HashPassword(auth.TestParams, demoPassword)
	if err != nil {
		panic(err)
	}
	return h
}()

// seed fills s and logs how long it took, so a slow-down shows in -v output
// without making the test depend on the machine's speed.
func seed(t *testing.T, s *sqlstore.Store) []demo.Account {
	t.Helper()
	start := time.Now()
	accounts, err := demo.Seed(ctx, s, demoHash)
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	t.Logf("seeding on %s took %v", s.Engine(), time.Since(start).Round(time.Millisecond))
	return accounts
}

func onlyOrg(t *testing.T, s *sqlstore.Store) *alongside.Organisation {
	t.Helper()
	orgs, err := s.Organisations.Organisations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) != 1 || orgs[0].Name != demo.OrganisationName {
		t.Fatalf("organisations = %+v, want only %q", orgs, demo.OrganisationName)
	}
	return &orgs[0]
}

func actorByEmail(t *testing.T, s *sqlstore.Store, email string) *alongside.Actor {
	t.Helper()
	u, err := s.Accounts.UserByEmail(ctx, email)
	if err != nil {
		t.Fatalf("%s: %v", email, err)
	}
	a, err := s.Sessions.Actor(ctx, u.ID)
	if err != nil {
		t.Fatalf("actor %s: %v", email, err)
	}
	return a
}

func serviceByName(t *testing.T, s *sqlstore.Store, orgID int64, name string) *alongside.Service {
	t.Helper()
	svs, err := s.Organisations.Services(ctx, orgID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range svs {
		if svs[i].Name == name {
			return &svs[i]
		}
	}
	t.Fatalf("no service %q", name)
	return nil
}

func TestSeedAccounts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		accounts := seed(t, s)
		org := onlyOrg(t, s)
		wantRoles := []string{"admin", "lead", "manager", "supervisor", "practitioner", "person", "supporter"}
		var roles []string
		emails := map[string]bool{}
		for _, a := range accounts {
			roles = append(roles, a.Role)
			if emails[a.Email] {
				t.Errorf("email %s appears twice", a.Email)
			}
			emails[a.Email] = true
			if !strings.HasSuffix(a.Email, "@example.org") {
				t.Errorf("%s: %s is not in the reserved domain", a.Role, a.Email)
			}
			u, err := s.Accounts.UserByEmail(ctx, a.Email)
			if err != nil {
				t.Errorf("%s %s: %v", a.Role, a.Email, err)
				continue
			}
			if u.PasswordHash != demoHash || u.Disabled {
				t.Errorf("%s %s: password set %v, disabled %v; want a usable account", a.Role, a.Email, u.PasswordHash == demoHash, u.Disabled)
			}
			if ok, err := auth.VerifyPassword(u.PasswordHash, demoPassword); !ok || err != nil {
				t.Errorf("%s: the demo password does not verify: %v", a.Role, err)
			}
			switch a.Role {
			case "admin", "lead":
				if a.Service != org.Name {
					t.Errorf("%s: service %q, want the organisation %q", a.Role, a.Service, org.Name)
				}
			default:
				serviceByName(t, s, org.ID, a.Service)
			}
		}
		if !reflect.DeepEqual(roles, wantRoles) {
			t.Errorf("roles = %v, want %v", roles, wantRoles)
		}
	})
}

func TestSeedServices(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		seed(t, s)
		org := onlyOrg(t, s)
		counts, err := s.Organisations.ServiceCounts(ctx, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(counts) != 14 {
			t.Fatalf("%d services, want 14", len(counts))
		}
		shown, hidden := 0, 0
		for _, c := range counts {
			if c.People >= 5 {
				shown++
			} else {
				hidden++
			}
			if c.Practitioners < 3 || c.Practitioners > 5 {
				t.Errorf("%s: %d practitioners, want 3 to 5", c.Name, c.Practitioners)
			}
			if c.People < 3 || c.People > 9 {
				t.Errorf("%s: %d people, want 3 to 9", c.Name, c.People)
			}
			managers, err := s.Accounts.ServiceMembers(ctx, c.ID, alongside.RoleServiceManager)
			if err != nil {
				t.Fatal(err)
			}
			if len(managers) != 1 {
				t.Errorf("%s: %d managers, want 1", c.Name, len(managers))
			}
			// Every person works with one or two practitioners.
			allocs, err := s.Relationships.ServiceAllocations(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			per := map[int64]int{}
			for _, a := range allocs {
				per[a.PersonID]++
			}
			people, err := s.Accounts.ServiceMembers(ctx, c.ID, alongside.RolePerson)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range people {
				if n := per[p.UserID]; n < 1 || n > 2 {
					t.Errorf("%s: %s has %d practitioners, want 1 or 2", c.Name, p.UserName, n)
				}
			}
		}
		if hidden == 0 || shown < 10 {
			t.Errorf("%d services with 5 or more people and %d with fewer; want most shown and some held back", shown, hidden)
		}

		// Every practitioner has a supervisor.
		sups, err := s.Relationships.OrgSupervisions(ctx, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		supervised := map[int64]bool{}
		for _, sp := range sups {
			supervised[sp.PractitionerID] = true
		}
		ms, err := s.Accounts.OrgMemberships(ctx, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		invited := 0
		for _, m := range ms {
			if m.Role == alongside.RolePractitioner && !supervised[m.UserID] {
				t.Errorf("%s has no supervisor", m.UserEmail)
			}
			if m.Role == alongside.RolePerson {
				u, err := s.Accounts.User(ctx, m.UserID)
				if err != nil {
					t.Fatal(err)
				}
				if !u.HasPassword() {
					invited++
				}
			}
			if !strings.HasSuffix(m.UserEmail, "@example.org") {
				t.Errorf("%s is not in the reserved domain", m.UserEmail)
			}
		}
		if invited < 1 || invited > 2 {
			t.Errorf("%d people still invited, want 1 or 2", invited)
		}

		// The changes are logged as the demo set-up.
		events, _, err := s.Audit.AuditEvents(ctx, alongside.AuditFilter{ActorEmail: demo.AuditActor, Action: "user.create", Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(events) == 0 {
			t.Errorf("no audit events by %q", demo.AuditActor)
		}
	})
}

func TestSeedCanonicalRelationships(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		accounts := seed(t, s)
		org := onlyOrg(t, s)
		by := map[string]demo.Account{}
		for _, a := range accounts {
			by[a.Role] = a
		}
		svc := serviceByName(t, s, org.ID, by["manager"].Service)

		admin := actorByEmail(t, s, by["admin"].Email)
		if !admin.IsSystemAdmin() || !admin.Has(alongside.RoleOrgAdmin, org.ID, 0) {
			t.Errorf("admin memberships %+v: want system and organisation administrator", admin.Memberships)
		}
		if lead := actorByEmail(t, s, by["lead"].Email); !lead.Has(alongside.RoleNetworkLead, org.ID, 0) {
			t.Errorf("lead memberships %+v: want network lead", lead.Memberships)
		}
		if m := actorByEmail(t, s, by["manager"].Email); !m.Has(alongside.RoleServiceManager, 0, svc.ID) {
			t.Errorf("manager memberships %+v: want manager of %s", m.Memberships, svc.Name)
		}

		person := actorByEmail(t, s, by["person"].Email)
		if !person.Has(alongside.RolePerson, 0, svc.ID) {
			t.Errorf("person memberships %+v: want a person using %s", person.Memberships, svc.Name)
		}
		prac := actorByEmail(t, s, by["practitioner"].Email)
		if !prac.Has(alongside.RolePractitioner, 0, svc.ID) || !prac.AllocatedPeople[person.User.ID] {
			t.Errorf("practitioner: memberships %+v, allocated %v; want a practitioner of %s working with the person",
				prac.Memberships, prac.AllocatedPeople, svc.Name)
		}
		sup := actorByEmail(t, s, by["supervisor"].Email)
		if !sup.Has(alongside.RolePractitioner, 0, svc.ID) || !sup.Supervisees[prac.User.ID] {
			t.Errorf("supervisor: memberships %+v, supervisees %v; want a practitioner of %s supervising the practitioner",
				sup.Memberships, sup.Supervisees, svc.Name)
		}
		if len(sup.Supervisees) < 2 {
			t.Errorf("supervisor supervises %d, want at least 2", len(sup.Supervisees))
		}
		for id := range sup.Supervisees {
			if ms, err := s.Accounts.MembershipsOf(ctx, id); err != nil || len(ms) != 1 || ms[0].Role != alongside.RolePractitioner || ms[0].ServiceID != svc.ID {
				t.Errorf("supervisee %d: %+v %v; want a practitioner of %s", id, ms, err, svc.Name)
			}
		}

		supporter := actorByEmail(t, s, by["supporter"].Email)
		if !supporter.SupportedPeople[person.User.ID] || len(supporter.Memberships) != 0 {
			t.Errorf("supporter: supports %v, memberships %+v; want the person's supporter with no role", supporter.SupportedPeople, supporter.Memberships)
		}
		links, err := s.Links.Supporters(ctx, person.User.ID)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, l := range links {
			if l.SupporterID == supporter.User.ID {
				found = true
				if l.Relationship != alongside.SupporterCarer || l.AcceptedAt.IsZero() {
					t.Errorf("canonical supporter link %+v: want an accepted carer", l)
				}
			}
		}
		if !found {
			t.Errorf("the person's supporters %+v do not include the canonical supporter", links)
		}

		// Across the network: every kind of relationship, and at least one
		// invitation still waiting.
		people, err := s.Accounts.OrgMemberships(ctx, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[alongside.SupporterRelationship]bool{}
		pending := 0
		for _, m := range people {
			if m.Role != alongside.RolePerson {
				continue
			}
			links, err := s.Links.Supporters(ctx, m.UserID)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range links {
				kinds[l.Relationship] = true
				if l.AcceptedAt.IsZero() {
					pending++
				}
			}
		}
		for _, r := range alongside.SupporterRelationships {
			if !kinds[r] {
				t.Errorf("no supporter is a %s", r.Label())
			}
		}
		if pending == 0 {
			t.Error("no supporter invitation is still waiting")
		}
	})
}

// The command always seeds a fresh database; a second seed must say so
// rather than panic or add a second network.
func TestSeedTwiceFails(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		seed(t, s)
		if _, err := demo.Seed(ctx, s, demoHash); err == nil {
			t.Fatal("second seed succeeded, want an error")
		} else if alongside.ErrorCode(err) != alongside.ECONFLICT {
			t.Errorf("second seed: %v, want a conflict", err)
		}
		onlyOrg(t, s)
	})
}

func TestSeedNeedsPasswordHash(t *testing.T) {
	s := testdb.New(t, "sqlite")
	if _, err := demo.Seed(ctx, s, ""); err == nil {
		t.Fatal("seed without a password hash succeeded")
	}
	if orgs, _ := s.Organisations.Organisations(ctx); len(orgs) != 0 {
		t.Errorf("seed without a password hash left %d organisations", len(orgs))
	}
}

// Guides and bug reports name demo accounts, so two seeds make the same
// people with the same roles.
func TestSeedIsDeterministic(t *testing.T) {
	snapshot := func() ([]demo.Account, []string) {
		s := testdb.New(t, "sqlite")
		accounts := seed(t, s)
		ms, err := s.Accounts.OrgMemberships(ctx, onlyOrg(t, s).ID)
		if err != nil {
			t.Fatal(err)
		}
		var rows []string
		for _, m := range ms {
			rows = append(rows, m.UserName+" "+m.UserEmail+" "+string(m.Role)+" "+m.ServiceName)
		}
		return accounts, append(rows, reviewRows(t, s, onlyOrg(t, s).ID)...)
	}
	a1, r1 := snapshot()
	a2, r2 := snapshot()
	if !reflect.DeepEqual(a1, a2) {
		t.Errorf("two seeds differ:\n%v\n%v", a1, a2)
	}
	if len(r1) != len(r2) {
		t.Fatalf("two seeds differ: %d rows, then %d", len(r1), len(r2))
	}
	for i := range r1 {
		if r1[i] != r2[i] {
			t.Fatalf("two seeds differ at row %d:\n%s\n%s", i, r1[i], r2[i])
		}
	}
}
