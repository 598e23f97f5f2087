package web

import (
	"net/http"
	"time"

	"github.com/alongside-recovery/alongside"
)

// The Ten Top Tips reflection after a session, and its trend over time.

// reflectForm is the after-session check: ten taps and an optional note,
// made for a phone.
func (s *Server) reflectForm(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.renderReflect(w, r, c, http.StatusOK, newForm(r))
}

func (s *Server) renderReflect(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	d := &reflectData{Practitioner: c.practitioner, Tips: practice().Tips, Answers: alongside.ReflectionAnswers}
	return s.render(w, r, c, status, "reflect", page{Title: "After a session", Form: f, Data: d})
}

func (s *Server) saveReflection(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	pc := practice()
	ref := &alongside.Reflection{PractitionerID: c.practitioner.ID, Answers: map[string]string{}, Note: f.Get("note")}
	for _, t := range pc.Tips {
		if v := f.Get(t.Key); v != "" {
			ref.Answers[t.Key] = v
		}
	}
	order := []string{"answers", "note"}
	if len(pc.Tips) > 0 {
		order[0] = pc.Tips[0].Key // the first question, for the summary's link
	}
	err := s.store.Development.SaveReflection(r.Context(), ref, pc)
	if fe := alongside.FieldErrors(err); fe["answers"] != "" {
		f.Add(order[0], fe["answers"])
	}
	if f.Absorb(err, "note") {
		return s.renderReflect(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return s.afterSave(w, r, c, developmentPath(c.practitioner.ID, "reflections"), "Reflection saved. Thank you for taking the time.", texts(f, "note", "Your note")...)
}

// The trend page looks back six months, or eight weeks.
const (
	reflectionMonths = 6
	reflectionWeeks  = 8
)

// reflectionsPage shows, for each tip, how the practitioner answered month
// by month (or week by week), and their latest reflections.
func (s *Server) reflectionsPage(w http.ResponseWriter, r *http.Request, c *call) error {
	// Weeks and months start at midnight in the deployment's zone.
	now := s.now().In(s.zone.loc)
	weekly := r.URL.Query().Get("by") == "week"
	// Periods: their starts, oldest first, and the period a time falls in.
	var starts []time.Time
	var label func(time.Time) string
	if weekly {
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, s.zone.loc)
		monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
		for i := reflectionWeeks - 1; i >= 0; i-- {
			starts = append(starts, monday.AddDate(0, 0, -7*i))
		}
		label = func(t time.Time) string { return "Week of " + t.Format("2 January") }
	} else {
		first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, s.zone.loc)
		for i := reflectionMonths - 1; i >= 0; i-- {
			starts = append(starts, first.AddDate(0, -i, 0))
		}
		label = func(t time.Time) string { return t.Format("January 2006") }
	}
	period := func(t time.Time) int {
		for i := len(starts) - 1; i >= 0; i-- {
			if !t.Before(starts[i]) {
				return i
			}
		}
		return -1
	}
	refl, err := s.store.Development.Reflections(r.Context(), c.practitioner.ID, starts[0])
	if err != nil {
		return err
	}
	pc := practice()
	d := &reflectionsData{Practitioner: c.practitioner, Count: len(refl), Weekly: weekly}
	for _, st := range starts {
		d.Months = append(d.Months, label(st))
	}
	for _, t := range pc.Tips {
		tv := tipTrendView{Tip: t}
		for i, st := range starts {
			tv.Periods = append(tv.Periods, tipPeriodView{TipPeriod: alongside.TipPeriod{Start: st}, Label: d.Months[i]})
		}
		for _, ref := range refl {
			i := period(ref.TakenAt)
			if i < 0 {
				continue
			}
			switch ref.Answers[t.Key] {
			case "yes":
				tv.Periods[i].Yes++
			case "partly":
				tv.Periods[i].Partly++
			case "no":
				tv.Periods[i].No++
			}
		}
		for i := range tv.Periods {
			if n := tv.Periods[i].Total(); n > 0 {
				tv.Periods[i].BarW = 60 * tv.Periods[i].Yes / n
			}
		}
		d.Trends = append(d.Trends, tv)
	}
	if len(refl) > 5 {
		refl = refl[:5]
	}
	d.Recent = refl
	return s.render(w, r, c, http.StatusOK, "reflections", page{Title: "My reflections", Data: d})
}
