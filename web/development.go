package web

import (
	"fmt"
	"net/http"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
)

// A practitioner's development: their self-assessment against the
// Realising Recovery framework, their development plan (shared with their
// supervisor and others they choose), and the Ten Top Tips reflection after
// a session. For the service manager, the same in anonymous totals.
// Each has its own file (selfassessment.go, developmentplan.go,
// reflections.go, developmenttotals.go); the pages' view models are in
// development_views.go. Here: the practitioner's own development page.

func practice() *alongside.PracticeContent { return content.DefaultPractice() }

func developmentPath(practitionerID int64, rest string) string {
	return fmt.Sprintf("/practitioners/%d/%s", practitionerID, rest)
}

// developmentHome is the practitioner's own page: reflect now, their
// self-assessments over time, and the way to their plan.
func (s *Server) developmentHome(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	pc := practice()
	as, err := s.store.Development.SelfAssessments(ctx, c.practitioner.ID)
	if err != nil {
		return err
	}
	plan, err := s.store.Development.DevelopmentPlan(ctx, c.practitioner.ID)
	if err != nil {
		return err
	}
	refl, err := s.store.Development.Reflections(ctx, c.practitioner.ID, s.store.Clock.Now().AddDate(0, 0, -30))
	if err != nil {
		return err
	}
	draft, err := s.store.Development.SelfAssessmentDraft(ctx, c.practitioner.ID)
	if err != nil {
		return err
	}
	parts := pc.SelfAssessmentParts()
	d := &developmentData{Practitioner: c.practitioner, Practice: pc, Assessments: len(as), Groups: alongside.FrameworkGroups,
		Objectives: len(plan.Objectives), Reflections: len(refl), Parts: len(parts)}
	if draft.Version > 0 {
		d.Draft = draft
		for _, p := range parts {
			if draft.PartDone(p) {
				d.DraftDone++
			}
		}
	}
	if len(as) > 0 {
		d.Latest = &as[len(as)-1]
		d.Chart = selfAssessmentChart(pc, as, s.zone)
		for i := len(as) - 1; i >= 0; i-- {
			row := developmentRow{At: as[i].TakenAt}
			for _, g := range alongside.FrameworkGroups {
				row.Means = append(row.Means, fmt.Sprintf("%.1f", as[i].GroupMean(pc, g)))
			}
			for _, rt := range as[i].Ratings {
				if rt.Need {
					row.Needs++
				}
			}
			d.Rows = append(d.Rows, row)
		}
	}
	return s.render(w, r, c, http.StatusOK, "development", page{Title: "My development", Data: d})
}
