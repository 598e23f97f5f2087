package sqlstore_test

import (
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/internal/testdb"
)

// An organisation shows the shipped numbers until its administrator saves
// its own; a stale save is a conflict and writes nothing; a bad list is
// refused whole; each save is audited.
func TestHelpNowList(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			s := testdb.Open(t, testdb.DSN(t, engine))
			org := &alongside.Organisation{Name: "Lochside"}
			if err := s.Organisations.CreateOrganisation(ctx, org); err != nil {
				t.Fatal(err)
			}
			admin := &alongside.User{Name: "Ola Admin", Email: "ola@example.org"}
			if err := s.Accounts.CreateUser(ctx, admin, alongside.Membership{Role: alongside.RoleOrgAdmin, OrgID: org.ID}); err != nil {
				t.Fatal(err)
			}
			l, err := s.Organisations.HelpNow(ctx, org.ID)
			if err != nil || l.Version != 0 || len(l.Lines) != len(content.DefaultHelpNow()) || l.Body != content.DefaultHelpNowText() {
				t.Fatalf("before any save: %+v, %v", l, err)
			}
			own := "Highland crisis team | 01463 704000 | Day or night.\n"
			if err := s.Organisations.SaveHelpNow(ctx, org.ID, 0, own, admin.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.Organisations.SaveHelpNow(ctx, org.ID, 0, "Samaritans | 116 123 | Any time.", admin.ID); alongside.ErrorCode(err) != alongside.ECONFLICT {
				t.Fatalf("a second first save: %v, want a conflict", err)
			}
			if err := s.Organisations.SaveHelpNow(ctx, org.ID, 1, "Nobody | 12 | Never.", admin.ID); err == nil {
				t.Fatal("a list with no real number was saved")
			}
			l, err = s.Organisations.HelpNow(ctx, org.ID)
			if err != nil || l.Version != 1 || len(l.Lines) != 1 || l.Lines[0].Tel != "+441463704000" || l.UpdatedByName != "Ola Admin" {
				t.Fatalf("after saves: %+v, %v", l, err)
			}
			events, _, err := s.Audit.AuditEvents(ctx, alongside.AuditFilter{OrgID: org.ID, Action: "helpnow.save", Limit: 10})
			if err != nil || len(events) != 1 {
				t.Fatalf("audit: %d events, %v", len(events), err)
			}
		})
	}
}
