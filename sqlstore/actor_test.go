package sqlstore_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// SessionActor reads the session, its user and the actor in one query: for
// users with every kind of relationship it must give what SessionUser and
// Actor give separately, and nothing for a session that has ended.
func TestSessionActorIsSessionAndActor(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		clock := s.Clock.(*alongside.FixedClock)
		must(t, s.Relationships.Allocate(ctx, &alongside.Allocation{ServiceID: w.svcA.ID, PractitionerID: w.prac.ID, PersonID: w.person.ID}))
		must(t, s.Relationships.AssignSupervisor(ctx, &alongside.Supervision{OrgID: w.org.ID, SupervisorID: w.prac2.ID, PractitionerID: w.prac.ID}))
		must(t, s.Development.ShareDevelopmentPlan(ctx, w.prac.ID, []int64{w.prac2.ID}))
		must(t, s.Sessions.EnableTOTP(ctx, w.prac.ID, "SECRET", 100, []string{"aaaa-bbbb-cccc"}))
		hopes, _ := alongside.PlanSectionByKey("hopes")
		_, err := s.Plans.SaveSection(ctx, w.person.ID, hopes, 0, alongside.SectionText{"hopes": "a garden"}, w.person.ID, w.svcA.ID)
		must(t, err)
		token, err := s.Links.InviteSupporter(ctx, w.person.ID, "Jo Carer", "jo@example.org", alongside.SupporterCarer)
		must(t, err)
		_, err = s.Links.UseLink(ctx, token, "$argon2id$stub-for-test")
		must(t, err)
		jo, err := s.Accounts.UserByEmail(ctx, "jo@example.org")
		must(t, err)
		links, err := s.Links.Supporters(ctx, w.person.ID)
		must(t, err)
		must(t, s.Plans.SetPlanSharing(ctx, w.person.ID, alongside.PlanSharing{links[0].ID: {"hopes": true}}, w.svcA.ID))
		must(t, s.Accounts.OpenCrisisPlanInEmergency(ctx, &alongside.BreakGlass{PersonID: w.person2.ID, PractitionerID: w.otherPrac.ID, ServiceID: w.svcB.ID,
			Reason: "Robin's sister rang: Robin is in crisis and their practitioner is away."}))

		p := alongside.DefaultSessionPolicy
		for _, u := range []*alongside.User{w.prac, w.prac2, w.otherPrac, w.person, w.manager, jo} {
			tok, err := s.Sessions.CreateSession(ctx, u.ID, true, "192.0.2.1", "test agent", p)
			must(t, err)
			ss, a, err := s.Sessions.SessionActor(ctx, tok, p)
			must(t, err)
			wantSS, wantU, err := s.Sessions.SessionUser(ctx, tok, p)
			must(t, err)
			want, err := s.Sessions.ActorFor(ctx, wantU)
			must(t, err)
			if !reflect.DeepEqual(ss, wantSS) {
				t.Errorf("%s: session\n%+v, want\n%+v", u.Name, ss, wantSS)
			}
			if !reflect.DeepEqual(a, want) {
				t.Errorf("%s: actor\n%+v, want\n%+v", u.Name, a, want)
			}
		}
		// The relationships above are all there to compare.
		_, a, err := s.Sessions.SessionActor(ctx, mustSession(t, s, w.prac.ID, true), p)
		must(t, err)
		if secret, _ := s.Accounts.TOTPSecret(&a.User); !a.User.TOTPEnabled || secret != "SECRET" || len(a.Allocations) != 1 || len(a.SupervisedBy) != 1 || len(a.Memberships) != 1 ||
			a.Allocations[0].PractitionerName != w.prac.Name || a.Memberships[0].UserEmail != w.prac.Email {
			t.Fatalf("practitioner: %+v", a)
		}
		_, a, err = s.Sessions.SessionActor(ctx, mustSession(t, s, jo.ID, true), p)
		must(t, err)
		if !a.PlanGrants[w.person.ID]["hopes"] || len(a.Supporting) != 1 || a.Supporting[0].SupporterName != "Jo Carer" {
			t.Fatalf("supporter: %+v", a)
		}
		_, a, err = s.Sessions.SessionActor(ctx, mustSession(t, s, w.otherPrac.ID, true), p)
		must(t, err)
		if !a.Emergency[w.person2.ID] {
			t.Fatalf("break glass: %+v", a.Emergency)
		}

		// A session waiting for its second factor still comes back, marked so.
		half := mustSession(t, s, w.prac.ID, false)
		if ss, _, err := s.Sessions.SessionActor(ctx, half, p); err != nil || ss.MFADone {
			t.Fatalf("session before the second factor: %+v, %v", ss, err)
		}
		// No session, or one that has ended: not found.
		if _, _, err := s.Sessions.SessionActor(ctx, "no-such-token", p); code(err) != alongside.ENOTFOUND {
			t.Fatalf("unknown token: %v", err)
		}
		clock.Advance(p.Idle + time.Minute)
		if _, _, err := s.Sessions.SessionActor(ctx, half, p); code(err) != alongside.ENOTFOUND {
			t.Fatalf("idle session: %v", err)
		}
	})
}

func mustSession(t *testing.T, s *sqlstore.Store, userID int64, mfaDone bool) string {
	t.Helper()
	tok, err := s.Sessions.CreateSession(ctx, userID, mfaDone, "192.0.2.1", "test agent", alongside.DefaultSessionPolicy)
	must(t, err)
	return tok
}
