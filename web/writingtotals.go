package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/alongside-recovery/alongside"
)

type writingTotalsData struct {
	Min     int
	Service *alongside.Service
	Months  []alongside.WritingMonth
	Shown   []alongside.WritingMonth
	Chart   *svgChart
	Reviews []alongside.Review
}

func (s *Server) writingTotalsData(r *http.Request, c *call) (*writingTotalsData, error) {
	months, err := s.store.Language.LanguageTotals(r.Context(), c.service.ID)
	if err != nil {
		return nil, err
	}
	d := &writingTotalsData{Min: alongside.MinGroup, Service: c.service, Months: months}
	for _, m := range months {
		if m.Shown() {
			d.Shown = append(d.Shown, m)
		}
	}
	d.Chart = writingChart(d.Shown)
	if d.Reviews, err = s.reviewsTakingEvidence(r.Context(), c, c.service.ID); err != nil {
		return nil, err
	}
	return d, nil
}

// writingTotals shows, month by month, the suggestions raised per 1,000
// words of the service's staff writing; a month with fewer than MinGroup
// writers is listed without figures.
func (s *Server) writingTotals(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.renderWritingTotals(w, r, c, http.StatusOK, newForm(r))
}

func (s *Server) renderWritingTotals(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	d, err := s.writingTotalsData(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, c, status, "writing_totals", page{Title: "Language in staff writing: " + c.service.Name, Form: f, Data: d})
}

// attachWritingTotals attaches the months shown, as they stand, to a review
// under "practice is recovery focused".
func (s *Server) attachWritingTotals(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	f := newForm(r)
	d, err := s.writingTotalsData(r, c)
	if err != nil {
		return err
	}
	if len(d.Shown) == 0 {
		return alongside.Errorf(alongside.EINVALID, "There is nothing to attach until a month has writing from at least %d members of staff.", alongside.MinGroup)
	}
	review := chosenReview(d.Reviews, f)
	if review == nil {
		f.Add("review", "Choose a review under way.")
		return s.renderWritingTotals(w, r, c, http.StatusUnprocessableEntity, f)
	}
	set, err := s.store.Reviews.ReviewStatementSet(ctx, review)
	if err != nil {
		return err
	}
	e := &alongside.AttachedEvidence{Kind: alongside.KindLanguageSummary, Indicator: "recovery-practice",
		Title: "Language in staff writing", Link: fmt.Sprintf("/services/%d/language", c.service.ID),
		Text: "Suggestions about words raised in what practitioners and managers wrote in Alongside, per 1,000 words, month by month, in total. Fewer is not always better: it is a prompt for a conversation about the words we use."}
	for _, m := range d.Shown {
		e.Figures = append(e.Figures, alongside.Figure{Label: monthName(m.Month) + ": suggestions per 1,000 words", Value: strconv.FormatFloat(m.PerThousand(), 'f', 1, 64)})
	}
	if err := s.store.Reviews.AttachEvidence(ctx, review, set, e); f.Absorb(err, "review") {
		return s.renderWritingTotals(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/reviews/%d/results#ind-%s", review.ID, e.Indicator), "Attached to the review as evidence.")
}

// monthName is "November 2026" for "2026-11".
func monthName(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return t.Format("January 2006")
}

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
