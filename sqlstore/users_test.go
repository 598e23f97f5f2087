package sqlstore_test

import (
	"reflect"
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// SelfAsPerson gives what Person reads, from the actor alone: the user and
// the service of their first membership as a person, through memberships
// added and removed.
func TestSelfAsPersonIsPerson(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		check := func(when string, users ...*alongside.User) {
			t.Helper()
			for _, u := range users {
				a, err := s.Sessions.Actor(ctx, u.ID)
				must(t, err)
				got, gotService := sqlstore.SelfAsPerson(a)
				want, wantService, err := s.Accounts.Person(ctx, u.ID)
				must(t, err)
				if !reflect.DeepEqual(got, want) || gotService != wantService {
					t.Errorf("%s, %s: SelfAsPerson = %+v, %d; Person = %+v, %d", when, u.Name, got, gotService, want, wantService)
				}
			}
		}
		check("at first", w.person, w.prac, w.manager)
		// A person who moves on to a second service, then leaves the first.
		must(t, s.Accounts.AddMembership(ctx, &alongside.Membership{UserID: w.person.ID, Role: alongside.RolePerson, ServiceID: w.svcB.ID}))
		must(t, s.Accounts.AddMembership(ctx, &alongside.Membership{UserID: w.prac.ID, Role: alongside.RolePerson, ServiceID: w.svcB.ID}))
		check("in two services", w.person, w.prac)
		ms, err := s.Accounts.MembershipsOf(ctx, w.person.ID)
		must(t, err)
		must(t, s.Accounts.RemoveMembership(ctx, ms[0].ID))
		check("after leaving the first", w.person)
		if _, service := sqlstore.SelfAsPerson(mustActor(t, s, w.person.ID)); service != w.svcB.ID {
			t.Fatalf("after leaving the first service: %d, want %d", service, w.svcB.ID)
		}
	})
}

func mustActor(t *testing.T, s *sqlstore.Store, id int64) *alongside.Actor {
	t.Helper()
	a, err := s.Sessions.Actor(ctx, id)
	must(t, err)
	return a
}
