package web

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
)

// The person's progress: life areas rated 0 to 10 over time, drawn as a
// chart with the small steps completed marked on it, and the same figures
// in a table.

// progressLine is one life area's ratings, named in the caption with its
// latest rating.
type progressLine struct {
	Area string
	Last int // the latest rating
}

type stepMark struct {
	N     int
	Title string
	Done  time.Time
}

type progressRow struct {
	At      time.Time
	Ratings []string // per area, "" where not rated that time
}

type progressData struct {
	Person    *alongside.User
	IsSelf    bool
	Areas     []string
	Suggested []string
	Lines     []progressLine
	Steps     []stepMark
	Rows      []progressRow
	Chart     svgChart
}

func (s *Server) progressData(r *http.Request, c *call) (*progressData, error) {
	ctx := r.Context()
	areas, err := s.store.Plans.ProgressAreas(ctx, c.person.ID)
	if err != nil {
		return nil, err
	}
	ratings, err := s.store.Plans.ProgressRatings(ctx, c.person.ID)
	if err != nil {
		return nil, err
	}
	plan, err := s.store.Plans.Plan(ctx, c.person.ID)
	if err != nil {
		return nil, err
	}
	d := &progressData{Person: c.person, IsSelf: c.actor.User.ID == c.person.ID, Areas: areas}
	chosen := map[string]bool{}
	for _, a := range areas {
		chosen[a] = true
	}
	for _, a := range alongside.SuggestedAreas {
		if !chosen[a] {
			d.Suggested = append(d.Suggested, a)
		}
	}
	// Small steps marked done, as they stand, dated by their last change;
	// only to those who may see the goals.
	goals, _ := alongside.PlanSectionByKey(alongside.SectionGoals)
	res := c.res
	res.Section = &goals
	seeGoals := authz.Can(c.actor, authz.ViewPlanSection, res)
	var steps []stepMark
	for key, v := range plan.Sections {
		if _, st, ok := alongside.ParseGoalKey(key); ok && st > 0 && v.Text["status"] == "done" && seeGoals {
			steps = append(steps, stepMark{Title: v.Text["title"], Done: v.ChangedAt})
		}
	}
	sort.Slice(steps, func(i, j int) bool { return steps[i].Done.Before(steps[j].Done) })
	if len(ratings) == 0 {
		d.Steps = steps
		for i := range d.Steps {
			d.Steps[i].N = i + 1
		}
		return d, nil
	}
	from, to := ratings[0].RatedAt, ratings[len(ratings)-1].RatedAt
	for _, st := range steps {
		if st.Done.Before(from) {
			from = st.Done
		}
		if st.Done.After(to) {
			to = st.Done
		}
	}
	// One row per time the person rated; one line per area.
	col := map[string]int{}
	for i, a := range areas {
		col[a] = i
	}
	lines := make([]progressLine, len(areas))
	for i, a := range areas {
		lines[i] = progressLine{Area: a, Last: -1}
	}
	for _, rt := range ratings {
		i, ok := col[rt.Area]
		if !ok {
			continue
		}
		if n := len(d.Rows); n == 0 || !d.Rows[n-1].At.Equal(rt.RatedAt) {
			d.Rows = append(d.Rows, progressRow{At: rt.RatedAt, Ratings: make([]string, len(areas))})
		}
		d.Rows[len(d.Rows)-1].Ratings[i] = strconv.Itoa(rt.Rating)
		lines[i].Last = rt.Rating
	}
	sp := lineSpec{YMin: 0, YMax: 10, YTicks: []float64{0, 5, 10}, From: from, To: to, XLabel: s.zone.date, Steps: steps}
	series := make([]lineSeries, len(areas))
	for _, rt := range ratings {
		if i, ok := col[rt.Area]; ok {
			series[i].Points = append(series[i].Points, linePoint{rt.RatedAt, float64(rt.Rating)})
		}
	}
	for i, l := range lines {
		if l.Last >= 0 {
			d.Lines = append(d.Lines, l)
			series[i].Label = l.Area
			sp.Series = append(sp.Series, series[i])
		}
	}
	d.Chart = lineChart(sp)
	for i := range steps {
		steps[i].N = i + 1
	}
	d.Steps = steps
	return d, nil
}

// progressPage shows the chart, the table and, to the person, the form.
func (s *Server) progressPage(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.renderProgress(w, r, c, http.StatusOK, newForm(r))
}

func (s *Server) renderProgress(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	d, err := s.progressData(r, c)
	if err != nil {
		return err
	}
	if err := s.auditPlan(r.Context(), c, "plan.view", alongside.SectionProgress); err != nil {
		return err
	}
	title := "My progress"
	if !d.IsSelf {
		title = c.person.Name + "’s progress"
	}
	return s.render(w, r, c, status, "progress", page{Title: title, Form: f, Data: d})
}

// rateProgress stores the ratings chosen; an area left unrated is skipped.
func (s *Server) rateProgress(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	f := newForm(r)
	areas, err := s.store.Plans.ProgressAreas(ctx, c.person.ID)
	if err != nil {
		return err
	}
	ratings := map[string]int{}
	for i, a := range areas {
		if v := f.Get(fmt.Sprintf("a%d", i)); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				n = -1 // refused by the store, with the form shown again
			}
			ratings[a] = n
		}
	}
	if err := s.store.Plans.RateProgress(ctx, c.person.ID, ratings, c.personService); f.Absorb(err, "ratings") {
		return s.renderProgress(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/people/%d/progress", c.person.ID), "Saved. Well done for checking in with yourself.")
}

// addProgressArea adds an area, suggested or the person's own.
func (s *Server) addProgressArea(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	if err := s.store.Plans.AddProgressArea(r.Context(), c.person.ID, f.Get("area")); f.Absorb(err, "area") {
		return s.renderProgress(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/people/%d/progress", c.person.ID), "")
}
