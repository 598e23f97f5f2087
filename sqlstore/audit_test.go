package sqlstore_test

import (
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

func TestAuditIsAppendOnlyAndFilterable(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		octx := alongside.WithOrigin(ctx, alongside.Origin{ActorID: w.manager.ID, ActorEmail: w.manager.Email, IP: "192.0.2.10", RequestID: "req-1"})
		if err := s.Relationships.Allocate(octx, &alongside.Allocation{ServiceID: w.svcA.ID, PractitionerID: w.prac.ID, PersonID: w.person.ID}); err != nil {
			t.Fatal(err)
		}
		evs, _, err := s.Audit.AuditEvents(ctx, alongside.AuditFilter{OrgID: w.org.ID, ActorEmail: "MORAG@example.org"})
		if err != nil || len(evs) != 1 {
			t.Fatalf("filter by actor: %+v %v", evs, err)
		}
		e := evs[0]
		if e.Action != "allocation.add" || e.TargetID != w.person.ID || e.IP != "192.0.2.10" || e.RequestID != "req-1" || e.ServiceID != w.svcA.ID {
			t.Fatalf("event = %+v", e)
		}
		if _, err := s.DB().Exec("UPDATE audit_events SET detail = 'edited'"); err == nil {
			t.Fatal("audit events could be changed")
		}
		if _, err := s.DB().Exec("DELETE FROM audit_events"); err == nil {
			t.Fatal("audit events could be deleted")
		}
		all, _, _ := s.Audit.AuditEvents(ctx, alongside.AuditFilter{Action: "user.create"})
		if len(all) != 6 {
			t.Fatalf("user.create events = %d, want 6", len(all))
		}
		page, more, _ := s.Audit.AuditEvents(ctx, alongside.AuditFilter{Action: "user.create", Limit: 4})
		if len(page) != 4 || !more {
			t.Fatalf("paging: %d more=%v", len(page), more)
		}
	})
}
