package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/alongside-recovery/alongside"
)

// A service's development needs in total, with no practitioner named, and
// their download and attachment to a review.

func (s *Server) developmentTotalsData(r *http.Request, c *call) (*developmentTotalsData, error) {
	pc := practice()
	t, err := s.store.Development.DevelopmentTotals(r.Context(), c.service.ID)
	if err != nil {
		return nil, err
	}
	d := &developmentTotalsData{Service: c.service, Totals: t, Min: alongside.MinGroup}
	if !t.Shown() {
		return d, nil
	}
	for _, g := range alongside.FrameworkGroups {
		tg := totalsGroup{Kind: g, Needs: t.GroupNeeds(pc, g)}
		for _, it := range pc.InGroup(g) {
			tg.Rows = append(tg.Rows, totalsRow{it, t.Needs[it.Key]})
		}
		d.Groups = append(d.Groups, tg)
	}
	if d.Reviews, err = s.reviewsTakingEvidence(r.Context(), c, c.service.ID); err != nil {
		return nil, err
	}
	return d, nil
}

// developmentTotals shows the service's development needs in total, to
// plan training; nothing when fewer than MinGroup practitioners stand
// behind it.
func (s *Server) developmentTotals(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.renderDevelopmentTotals(w, r, c, http.StatusOK, newForm(r))
}

func (s *Server) renderDevelopmentTotals(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	d, err := s.developmentTotalsData(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, c, status, "development_totals", page{Title: "Development needs: " + c.service.Name, Form: f, Data: d})
}

// developmentTotalsTables are the totals as the page shows them: none, and
// the page's reason, under MinGroup practitioners.
func (s *Server) developmentTotalsTables(r *http.Request, c *call) (*tables, error) {
	d, err := s.developmentTotalsData(r, c)
	if err != nil {
		return nil, err
	}
	t := &tables{name: "development needs " + c.service.Name}
	if !d.Totals.Shown() {
		t.sheets = []xlsxSheet{{"Development needs", [][]string{{"Development needs"},
			{fmt.Sprintf("Totals are shown once at least %d practitioners of the service have done a self-assessment, so that nobody’s answers can be picked out.", alongside.MinGroup)}}, 60}}
		return t, nil
	}
	rows := [][]string{{"Framework area", "Item", "Practitioners marking it a development need", "Practitioners with a self-assessment", "Source"}}
	for _, g := range d.Groups {
		rows = append(rows, []string{g.Kind.Label(), "All " + strings.ToLower(g.Kind.Label()) + " items", strconv.Itoa(g.Needs), strconv.Itoa(d.Totals.Practitioners), ""})
		for _, row := range g.Rows {
			rows = append(rows, []string{g.Kind.Label(), row.Item.Text, strconv.Itoa(row.Needs), strconv.Itoa(d.Totals.Practitioners), row.Item.Source})
		}
	}
	t.sheets = []xlsxSheet{{"Development needs", rows, 30}}
	return t, nil
}

// attachDevelopmentTotals attaches the totals as they stand, with the
// reflection activity, to a review under "staff are supported and valued".
func (s *Server) attachDevelopmentTotals(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	f := newForm(r)
	d, err := s.developmentTotalsData(r, c)
	if err != nil {
		return err
	}
	if !d.Totals.Shown() {
		return alongside.Errorf(alongside.EINVALID, "There is nothing to attach until at least %d practitioners have done a self-assessment.", alongside.MinGroup)
	}
	review := chosenReview(d.Reviews, f)
	if review == nil {
		f.Add("review", "Choose a review under way.")
		return s.renderDevelopmentTotals(w, r, c, http.StatusUnprocessableEntity, f)
	}
	set, err := s.store.Reviews.ReviewStatementSet(ctx, review)
	if err != nil {
		return err
	}
	e := &alongside.AttachedEvidence{Kind: alongside.KindDevelopmentNeeds, Indicator: "staff-supported",
		Title: "Practitioners’ development needs and reflection", Link: fmt.Sprintf("/services/%d/development", c.service.ID),
		Text: "From practitioners’ latest self-assessments against the Realising Recovery framework, in total, and their Ten Top Tips reflections of the last 90 days.",
		Figures: []alongside.Figure{{Label: "Practitioners with a self-assessment", Value: strconv.Itoa(d.Totals.Practitioners)},
			{Label: "Reflections in the last 90 days", Value: strconv.Itoa(d.Totals.Reflections)},
			{Label: "Practitioners reflecting in the last 90 days", Value: strconv.Itoa(d.Totals.Reflecting)}}}
	for _, g := range d.Groups {
		e.Figures = append(e.Figures, alongside.Figure{Label: "Development needs marked: " + strings.ToLower(g.Kind.Label()), Value: strconv.Itoa(g.Needs)})
	}
	if err := s.store.Reviews.AttachEvidence(ctx, review, set, e); f.Absorb(err, "review") {
		return s.renderDevelopmentTotals(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/reviews/%d/results#ind-%s", review.ID, e.Indicator), "Attached to the review as evidence.")
}
