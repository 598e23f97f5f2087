package sqlstore_test

import (
	"testing"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/internal/testdb"
	"github.com/alongside-recovery/alongside/sqlstore"
)

// A zero byte or bytes that are not UTF-8 are refused on both engines as a
// mistake in what was entered, with the field named, never as a fault of
// ours: PostgreSQL would refuse them with an error, SQLite would keep them.
func TestTextsNoEngineCanKeepAreRefused(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *sqlstore.Store) {
		w := newWorld(t, s)
		strengths, _ := alongside.PlanSectionByKey("strengths")
		r := &alongside.Review{ServiceID: w.svcA.ID, CoordinatorID: w.prac.ID, Title: "Spring review"}
		must(t, s.Reviews.StartReview(ctx, r))
		must(t, s.Reviews.AdvanceReview(ctx, r))
		set, err := s.Reviews.ReviewStatementSet(ctx, r)
		must(t, err)
		for _, bad := range []string{"nul \x00 here", "caf\xe9"} {
			cases := []struct {
				what, field string
				err         error
			}{
				{"plan save", "strengths", func() error {
					_, err := s.Plans.SaveSection(ctx, w.person.ID, strengths, 0, alongside.SectionText{"strengths": bad}, w.person.ID, w.svcA.ID)
					return err
				}()},
				{"supporter's name", "name", func() error {
					_, err := s.Links.InviteSupporter(ctx, w.person.ID, bad, "jo@example.org", alongside.SupporterCarer)
					return err
				}()},
				{"supporter's email", "email", func() error {
					_, err := s.Links.InviteSupporter(ctx, w.person.ID, "Jo", "jo"+bad+"@example.org", alongside.SupporterCarer)
					return err
				}()},
				{"sheet evidence", "e-basic-needs", s.Reviews.AddSheet(ctx, r, set, &alongside.EvidenceSheet{Source: alongside.SourceAssessments,
					Reference: "A3", EnteredBy: w.prac.ID, Ratings: map[alongside.StatementRef]int{{Indicator: "basic-needs", N: 1}: 4},
					Evidence: map[string]string{"basic-needs": bad}})},
				{"service name", "name", s.Organisations.CreateService(ctx, &alongside.Service{OrgID: w.org.ID, Name: bad})},
				{"review title", "title", s.Reviews.StartReview(ctx, &alongside.Review{ServiceID: w.svcB.ID, CoordinatorID: w.otherPrac.ID, Title: bad})},
			}
			for _, c := range cases {
				if alongside.ErrorCode(c.err) != alongside.EINVALID || alongside.FieldErrors(c.err)[c.field] == "" {
					t.Errorf("%s with %q: %v (fields %v); want a message for %s", c.what, bad, c.err, alongside.FieldErrors(c.err), c.field)
				}
			}
		}
		p, err := s.Plans.Plan(ctx, w.person.ID)
		must(t, err)
		if p.Version != 0 {
			t.Errorf("a refused save was kept: plan version %d", p.Version)
		}
	})
}
