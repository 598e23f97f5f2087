package sqlstore_test

import (
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

func TestAllocationsFollowRoles(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		// A practitioner of another service cannot be allocated here.
		err := s.Relationships.Allocate(ctx, &alongside.Allocation{ServiceID: w.svcA.ID, PractitionerID: w.otherPrac.ID, PersonID: w.person.ID})
		if alongside.FieldErrors(err)["practitioner"] == "" {
			t.Fatalf("cross-service allocation: %v", err)
		}
		al := &alongside.Allocation{ServiceID: w.svcA.ID, PractitionerID: w.prac.ID, PersonID: w.person.ID}
		if err := s.Relationships.Allocate(ctx, al); err != nil {
			t.Fatal(err)
		}
		actor, err := s.Sessions.Actor(ctx, w.prac.ID)
		if err != nil || !actor.AllocatedPeople[w.person.ID] {
			t.Fatalf("actor after allocation: %+v %v", actor, err)
		}
		if len(actor.Allocations) != 1 || actor.Allocations[0].PersonName != "Pat Person" || actor.Allocations[0].ServiceName != "Birchwood" {
			t.Fatalf("the practitioner's allocations: %+v", actor.Allocations)
		}
		person, _ := s.Sessions.Actor(ctx, w.person.ID)
		if len(person.Team) != 1 || person.Team[0].PractitionerName != "Priya Practitioner" {
			t.Fatalf("the person's team: %+v", person.Team)
		}
		// The person can see who works with them.
		seen, _ := s.Relationships.AllocationsOfPerson(ctx, w.person.ID)
		if len(seen) != 1 || seen[0].PractitionerName != "Priya Practitioner" {
			t.Fatalf("person's view of allocations: %+v", seen)
		}
		// Leaving the service ends the allocation.
		ms, _ := s.Accounts.MembershipsOf(ctx, w.prac.ID)
		if err := s.Accounts.RemoveMembership(ctx, ms[0].ID); err != nil {
			t.Fatal(err)
		}
		actor, _ = s.Sessions.Actor(ctx, w.prac.ID)
		if actor.AllocatedPeople[w.person.ID] {
			t.Fatal("allocation outlived the practitioner's role")
		}
	})
}

func TestSupervisionAndSupporters(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		if err := s.Relationships.AssignSupervisor(ctx, &alongside.Supervision{OrgID: w.org.ID, SupervisorID: w.prac.ID, PractitionerID: w.prac.ID}); code(err) != alongside.EINVALID {
			t.Fatalf("self-supervision: %v", err)
		}
		if err := s.Relationships.AssignSupervisor(ctx, &alongside.Supervision{OrgID: w.org.ID, SupervisorID: w.prac2.ID, PractitionerID: w.prac.ID}); err != nil {
			t.Fatal(err)
		}
		sup, _ := s.Sessions.Actor(ctx, w.prac2.ID)
		if !sup.Supervisees[w.prac.ID] || len(sup.Supervising) != 1 || sup.Supervising[0].PractitionerName != "Priya Practitioner" {
			t.Fatalf("supervisor's view: %+v", sup.Supervising)
		}
		if pr, _ := s.Sessions.Actor(ctx, w.prac.ID); len(pr.SupervisedBy) != 1 || pr.SupervisedBy[0].SupervisorName != "Sam Supervisor" {
			t.Fatalf("practitioner's supervisors: %+v", pr.SupervisedBy)
		}

		token, err := s.Links.InviteSupporter(ctx, w.person.ID, "Jo Carer", "jo@example.org", alongside.SupporterCarer)
		if err != nil {
			t.Fatal(err)
		}
		jo, _ := s.Accounts.UserByEmail(ctx, "jo@example.org")
		a, _ := s.Sessions.Actor(ctx, jo.ID)
		if a.SupportedPeople[w.person.ID] {
			t.Fatal("a supporter has access before accepting")
		}
		if _, err := s.Links.UseLink(ctx, token, "$argon2id$stub-for-test"); err != nil {
			t.Fatal(err)
		}
		a, _ = s.Sessions.Actor(ctx, jo.ID)
		if !a.SupportedPeople[w.person.ID] || len(a.Supporting) != 1 || a.Supporting[0].PersonName != "Pat Person" || a.Supporting[0].Relationship != alongside.SupporterCarer {
			t.Fatalf("accepted supporter is not linked: %+v", a.Supporting)
		}
		if _, err := s.Links.InviteSupporter(ctx, w.person.ID, "Jo Carer", "jo@example.org", alongside.SupporterCarer); alongside.FieldErrors(err)["email"] == "" {
			t.Fatalf("second invitation of the same supporter: %v", err)
		}
		if _, err := s.Links.InviteSupporter(ctx, w.person.ID, "Me", "pat@example.org", alongside.SupporterFriend); alongside.FieldErrors(err)["email"] == "" {
			t.Fatalf("inviting oneself: %v", err)
		}
		// Invited by a second person, Jo has access there only after
		// accepting that invitation: accepting one never accepts another.
		// Jo has an account, so the invitation comes with no link: it
		// waits for Jo to answer, signed in.
		second, err := s.Links.InviteSupporter(ctx, w.person2.ID, "Jo Carer", "jo@example.org", alongside.SupporterFamily)
		if err != nil || second != "" {
			t.Fatalf("invitation of an existing account: link %q, %v", second, err)
		}
		if a, _ = s.Sessions.Actor(ctx, jo.ID); a.SupportedPeople[w.person2.ID] {
			t.Fatal("a second invitation was accepted without the supporter's say")
		}
		reqs, err := s.Links.SupporterRequests(ctx, jo.ID)
		if err != nil || len(reqs) != 1 || reqs[0].PersonID != w.person2.ID {
			t.Fatalf("waiting invitations: %+v %v", reqs, err)
		}
		if err := s.Links.AnswerSupporterRequest(ctx, &reqs[0], true); err != nil {
			t.Fatal(err)
		}
		if err := s.Links.AnswerSupporterRequest(ctx, &reqs[0], false); code(err) != alongside.ECONFLICT {
			t.Fatalf("answering twice: %v", err)
		}
		if a, _ = s.Sessions.Actor(ctx, jo.ID); !a.SupportedPeople[w.person2.ID] {
			t.Fatal("the second invitation was not accepted")
		}
	})
}
