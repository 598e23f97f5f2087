package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
)

// resultRow is one source's figures for an indicator. Cells holds them as
// table cells built here in one piece: they are numbers we format, so there
// is nothing to escape, and sixty rows of eight template actions were much
// of the page's cost.
type resultRow struct {
	Source alongside.EvidenceSource
	Tally  alongside.Tally
	Shown  bool
	Cells  template.HTML // sheets, average, then how many rated 1 to 5 and N/A
}

type resultIndicator struct {
	Key, Name string
	Rows      []resultRow
	Comments  []commentGroup // by source
	Shown     int            // comments shown
	More      int            // comments not shown; the page shows all of one indicator's on asking
	Attached  []alongside.AttachedEvidence
	Point     alongside.ProfilePoint
	Prev      alongside.ProfilePoint // the previous review's point; Rated 0 when none
	Change    string                 // "+0.4", "−0.2", "no change", or "" when not comparable
}

type resultsData struct {
	Review     *alongside.Review
	Previous   *alongside.Review
	Sheets     []sourceCount
	Indicators []resultIndicator
	Chart      profileChart
	MinGroup   int
	CanAttach  bool
	CanSee     bool // the review's own page (network leads see results only)
	CanPlan    bool // the action plan exists from action planning on
}

type sourceCount struct {
	Source alongside.EvidenceSource
	Sheets int
}

// resultsPage shows what a review's sheets add up to: per indicator and
// source, and as a profile set beside the previous review's.
func (s *Server) resultsPage(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.resultsPageWith(w, r, c, http.StatusOK, newForm(r))
}

// resultsPageWith shows the results; f is the form to attach evidence.
func (s *Server) resultsPageWith(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	ctx := r.Context()
	set, err := s.store.Reviews.ReviewStatementSet(r.Context(), c.review)
	if err != nil {
		return err
	}
	all := r.URL.Query().Get("comments") // an indicator whose comments are all wanted
	res, err := s.store.Reviews.ReviewResults(ctx, c.review, all)
	if err != nil {
		return err
	}
	d := resultsData{Review: c.review, MinGroup: alongside.MinGroup,
		CanAttach: c.review.Stage != alongside.StageComplete && authz.Can(c.actor, authz.ContributeToReview, c.res),
		CanSee:    authz.Can(c.actor, authz.ViewReview, c.res), CanPlan: c.review.PlanOpen()}
	attached, err := s.store.Reviews.ReviewEvidence(ctx, c.review.ID)
	if err != nil {
		return err
	}
	var prev map[string]alongside.ProfilePoint
	if c.review.PreviousID != 0 {
		if d.Previous, err = s.store.Reviews.Review(ctx, c.review.PreviousID); err != nil {
			return err
		}
		if prev, err = s.store.Reviews.KeptProfile(ctx, d.Previous.ID); err != nil {
			return err
		}
	}
	for _, src := range alongside.EvidenceSources {
		d.Sheets = append(d.Sheets, sourceCount{src, res.Sheets[src]})
	}
	for i, p := range res.Profile(set) {
		in := set.Indicators[i]
		ri := resultIndicator{Key: in.Key, Name: in.Name, Comments: groupComments(res.Comments[in.Key]), Point: p}
		ri.Shown = len(res.Comments[in.Key])
		ri.More = res.CommentCounts[in.Key] - ri.Shown
		for _, e := range attached {
			if e.Indicator == in.Key {
				ri.Attached = append(ri.Attached, e)
			}
		}
		ri.Prev = prev[in.Key]
		if p.Rated > 0 && ri.Prev.Rated > 0 {
			ri.Change = change(p.Mean - ri.Prev.Mean)
		}
		for _, src := range alongside.EvidenceSources {
			if len(in.For(src)) == 0 {
				continue
			}
			t := res.Tally(in.Key, src)
			row := resultRow{Source: src, Tally: t, Shown: t.Shown()}
			if row.Shown {
				row.Cells = tallyCells(t)
			}
			ri.Rows = append(ri.Rows, row)
		}
		d.Indicators = append(d.Indicators, ri)
	}
	d.Chart = newProfileChart(d.Indicators, d.Previous != nil)
	return s.render(w, r, c, status, "results", page{Title: "Results: " + c.review.Title, Form: f, Data: d})
}

// reviewsTakingEvidence are the service's reviews under way that the actor
// may add evidence to: what every "attach to a review" form offers.
func (s *Server) reviewsTakingEvidence(ctx context.Context, c *call, serviceID int64) ([]alongside.Review, error) {
	reviews, err := s.store.Reviews.ServiceReviews(ctx, serviceID)
	if err != nil {
		return nil, err
	}
	var out []alongside.Review
	for _, rv := range reviews {
		if rv.Stage != alongside.StageComplete && authz.Can(c.actor, authz.ContributeToReview, authz.Resource{Review: &rv}) {
			out = append(out, rv)
		}
	}
	return out, nil
}

// chosenReview is the review the form names among those offered, or nil.
func chosenReview(reviews []alongside.Review, f *Form) *alongside.Review {
	for i := range reviews {
		if strconv.FormatInt(reviews[i].ID, 10) == f.Get("review") {
			return &reviews[i]
		}
	}
	return nil
}

// attachNote attaches a note from the team to a review under an indicator.
// Other kinds of evidence are attached by the features that produce them.
func (s *Server) attachNote(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	set, err := s.store.Reviews.ReviewStatementSet(r.Context(), c.review)
	if err != nil {
		return err
	}
	e := &alongside.AttachedEvidence{Kind: alongside.KindNote, Indicator: f.Get("indicator"), Title: f.Get("title"), Text: f.Get("text"), Link: f.Get("link")}
	if err := s.store.Reviews.AttachEvidence(r.Context(), c.review, set, e); f.Absorb(err, "indicator", "title", "text", "link") {
		return s.resultsPageWith(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return s.afterSave(w, r, c, fmt.Sprintf("/reviews/%d/results#ind-%s", c.review.ID, e.Indicator), "Evidence attached.", texts(f, "text", "What it shows")...)
}

// change says a difference of means in plain figures, to one decimal place.
func change(d float64) string {
	switch s := fmt.Sprintf("%+.1f", d); s {
	case "+0.0", "-0.0":
		return "no change"
	default:
		if s[0] == '-' {
			return "−" + s[1:] // a true minus sign reads better
		}
		return s
	}
}

// profileChart is the indicator profile drawn as SVG: for each indicator a
// bar of its mean on the 1–5 scale and, below it, the previous review's.
type profileChart struct {
	Width, Height int
	HasPrevious   bool
	Marks         template.HTML // the SVG inside the frame (barChart)
}

// barText is a profile point's figure as its bar is labelled.
func barText(p alongside.ProfilePoint, suffix string) string {
	if p.Rated == 0 {
		return "no figure" + suffix
	}
	return fmt.Sprintf("%.1f%s", p.Mean, suffix)
}

func newProfileChart(ins []resultIndicator, hasPrev bool) profileChart {
	ch := profileChart{HasPrevious: hasPrev}
	items := make([]barItem, len(ins))
	for i, in := range ins {
		it := barItem{Label: fmt.Sprintf("%d. %s", i+1, in.Name), V: in.Point.Mean, OK: in.Point.Rated > 0, HasComparison: hasPrev}
		it.Text = barText(in.Point, "")
		if hasPrev {
			it.Prev, it.PrevOK = in.Prev.Mean, in.Prev.Rated > 0
			it.PrevText = barText(in.Prev, " before")
		}
		items[i] = it
	}
	svg := barChart(items, 5, []float64{1, 2, 3, 4, 5})
	ch.Width, ch.Height, ch.Marks = svg.W, svg.H, svg.Marks
	return ch
}
