package web

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/authz"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/formtoken"
)

// Surveys: a manager or network lead runs a questionnaire in waves; anyone
// with a wave's link answers, with no account and nothing stored that could
// say who they are; results show distributions, domain scores and change
// between waves, never for fewer than MinGroup respondents.

// surveysPage lists a service's or a network's surveys, with the form to
// start one.
func (s *Server) surveysPage(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	f.Set("rate_limit", strconv.Itoa(alongside.DefaultSurveyRateLimit))
	f.Set("label", "Baseline")
	today := s.zone.day(s.now())
	f.Set("opens_on", today.Format("2006-01-02"))
	f.Set("closes_on", today.AddDate(0, 0, 28).Format("2006-01-02"))
	return s.renderSurveys(w, r, c, http.StatusOK, f)
}

func (s *Server) renderSurveys(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	ctx := r.Context()
	orgID, serviceID := c.res.OrgID, int64(0)
	d := &surveysData{Org: c.org, Service: c.service, Action: fmt.Sprintf("/orgs/%d/surveys", orgID)}
	if c.service != nil {
		serviceID = c.service.ID
		d.Action = fmt.Sprintf("/services/%d/surveys", serviceID)
	}
	var err error
	if d.Surveys, err = s.store.Surveys.Surveys(ctx, orgID, serviceID); err != nil {
		return err
	}
	// A service's page lists its own surveys and the network's; the
	// network's page, the network's own.
	if c.service == nil {
		var own []alongside.Survey
		for _, sv := range d.Surveys {
			if sv.ServiceID == 0 {
				own = append(own, sv)
			}
		}
		d.Surveys = own
	}
	d.Href = map[int64]string{}
	for i := range d.Surveys {
		sv := &d.Surveys[i]
		switch res := (authz.Resource{Survey: sv, OrgID: sv.OrgID, ServiceID: sv.ServiceID}); {
		case authz.Can(c.actor, authz.ManageSurvey, res):
			d.Href[sv.ID] = fmt.Sprintf("/surveys/%d", sv.ID)
		case authz.Can(c.actor, authz.ViewSurveyResult, res):
			d.Href[sv.ID] = fmt.Sprintf("/surveys/%d/results", sv.ID)
		}
	}
	if d.Questionnaires, err = s.store.Surveys.Questionnaires(ctx, orgID); err != nil {
		return err
	}
	title := "Surveys"
	if c.service != nil {
		title = "Surveys: " + c.service.Name
	}
	return s.render(w, r, c, status, "surveys", page{Title: title, Form: f, Data: d})
}

// startSurvey starts a survey with its baseline wave.
func (s *Server) startSurvey(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	f := newForm(r)
	qs, err := s.store.Surveys.Questionnaires(ctx, c.res.OrgID)
	if err != nil {
		return err
	}
	sv := &alongside.Survey{OrgID: c.res.OrgID, Title: f.Get("title"), CreatedBy: c.actor.User.ID}
	sv.RateLimit, _ = strconv.Atoi(f.Get("rate_limit"))
	if c.service != nil {
		sv.ServiceID = c.service.ID
	}
	for _, q := range qs {
		if fmt.Sprintf("%s@%d", q.Questionnaire.Key, q.Questionnaire.Version) == f.Get("questionnaire") {
			sv.Questionnaire, sv.Body = q.Questionnaire, q.Body
		}
	}
	wv := &alongside.Wave{Label: f.Get("label"), OpensOn: f.Get("opens_on"), ClosesOn: f.Get("closes_on")}
	if err := s.store.Surveys.CreateSurvey(ctx, sv, wv); f.Absorb(err, "title", "questionnaire", "label", "opens_on", "closes_on", "rate_limit") {
		return s.renderSurveys(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/surveys/%d", sv.ID), "Survey started. Share the link or print the QR code below.")
}

// surveyPage is the survey's own page: each wave's link and QR code, its
// dates, and the ways to results, paper and exports.
func (s *Server) surveyPage(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.renderSurvey(w, r, c, http.StatusOK, newForm(r))
}

// surveyDefaults is what the page's forms start with: the next wave's
// suggested name and dates, and the survey's limit and version.
func (s *Server) surveyDefaults(c *call) url.Values {
	v := url.Values{}
	today := s.zone.day(s.now())
	v.Set("label", fmt.Sprintf("Follow-up %d", len(c.survey.Waves)))
	v.Set("opens_on", today.Format("2006-01-02"))
	v.Set("closes_on", today.AddDate(0, 0, 28).Format("2006-01-02"))
	v.Set("rate_limit", strconv.Itoa(c.survey.RateLimit))
	v.Set("version", strconv.Itoa(c.survey.Version))
	return v
}

func (s *Server) renderSurvey(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	return s.renderSurveyWave(w, r, c, status, f, 0, nil)
}

// renderSurveyWave shows the survey page; each wave's own form shows that
// wave's saved name, dates and version, except the wave sent (waveID),
// whose form keeps what was sent (wf).
func (s *Server) renderSurveyWave(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form, waveID int64, wf *Form) error {
	d := &surveyData{Survey: c.survey}
	// A form sent back keeps every field it sent; the page's other forms
	// start from their defaults.
	for k, v := range s.surveyDefaults(c) {
		if _, sent := f.Values[k]; !sent {
			f.Values[k] = v
		}
	}
	now := s.now().In(s.zone.loc)
	for _, wv := range c.survey.Waves {
		v := waveView{Wave: wv, Link: s.absoluteURL(r, "/s/"+wv.Token), Open: wv.OpenOn(now), Prefix: fmt.Sprintf("w%d-", wv.ID)}
		svg, err := auth.QRCodeSVGWithTitle(v.Link, "QR code for the link to "+wv.Label)
		if err != nil {
			return err
		}
		v.QR = template.HTML(svg)
		if wf != nil && wv.ID == waveID {
			v.F = wf
		} else {
			v.F = &Form{Values: url.Values{}}
			v.F.Set("label", wv.Label)
			v.F.Set("opens_on", wv.OpensOn)
			v.F.Set("closes_on", wv.ClosesOn)
			v.F.Set("version", strconv.Itoa(wv.Version))
		}
		d.Waves = append(d.Waves, v)
	}
	return s.render(w, r, c, status, "survey", page{Title: c.survey.Title, Form: f, Data: d})
}

func (s *Server) addWave(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	wv := &alongside.Wave{Label: f.Get("label"), OpensOn: f.Get("opens_on"), ClosesOn: f.Get("closes_on")}
	if err := s.store.Surveys.AddWave(r.Context(), c.survey, wv); f.Absorb(err, "label", "opens_on", "closes_on") {
		return s.renderSurvey(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/surveys/%d#wave-%d", c.survey.ID, wv.ID), "Wave added, with a link of its own.")
}

// updateWave changes a wave's name and dates (closing it early, say), from
// the version the manager saw. The form sends plain names (label, opens_on,
// closes_on, version); its field ids carry the wave's prefix.
func (s *Server) updateWave(w http.ResponseWriter, r *http.Request, c *call) error {
	wf := newForm(r)
	p := fmt.Sprintf("w%d-", c.wave.ID)
	wv := *c.wave
	wv.Label, wv.OpensOn, wv.ClosesOn = wf.Get("label"), wf.Get("opens_on"), wf.Get("closes_on")
	wv.Version, _ = strconv.Atoi(wf.Get("version"))
	err := s.store.Surveys.SetWaveDates(r.Context(), c.survey, &wv)
	if code := alongside.ErrorCode(err); code == alongside.EINVALID || code == alongside.ECONFLICT {
		status := http.StatusUnprocessableEntity
		if code == alongside.ECONFLICT {
			status = http.StatusConflict
			// Show what is saved now, keep what was sent, and let a
			// second save knowingly keep it.
			fresh, ferr := s.store.Surveys.Survey(r.Context(), c.survey.ID)
			if ferr != nil {
				return ferr
			}
			c.survey = fresh
			for _, x := range fresh.Waves {
				if x.ID == wv.ID {
					wf.Set("version", strconv.Itoa(x.Version))
				}
			}
		}
		// The page's summary and the wave's own fields share the
		// messages, keyed by the fields' prefixed ids.
		pf := &Form{Values: url.Values{}}
		pf.Absorb(err, "label", "opens_on", "closes_on")
		for i := range pf.Errors {
			pf.Errors[i].Field = p + pf.Errors[i].Field
		}
		wf.Errors = pf.Errors
		return s.renderSurveyWave(w, r, c, status, pf, wv.ID, wf)
	} else if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/surveys/%d#wave-%d", c.survey.ID, wv.ID), "Wave saved.")
}

func (s *Server) setRateLimit(w http.ResponseWriter, r *http.Request, c *call) error {
	f := newForm(r)
	limit, err := strconv.Atoi(f.Get("rate_limit"))
	if err != nil {
		limit = 0
	}
	c.survey.Version, _ = strconv.Atoi(f.Get("version"))
	err = s.store.Surveys.SetSurveyRateLimit(r.Context(), c.survey, limit)
	if alongside.ErrorCode(err) == alongside.ECONFLICT {
		fresh, ferr := s.store.Surveys.Survey(r.Context(), c.survey.ID)
		if ferr != nil {
			return ferr
		}
		c.survey = fresh
		f.Set("version", strconv.Itoa(fresh.Version))
	}
	if f.Absorb(err, "rate_limit") {
		return s.renderSurvey(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/surveys/%d#limit", c.survey.ID), "Limit saved.")
}

// waveQR is a wave's QR code on its own, to save and print.
func (s *Server) waveQR(w http.ResponseWriter, r *http.Request, c *call) error {
	svg, err := auth.QRCodeSVGWithTitle(s.absoluteURL(r, "/s/"+c.wave.Token), "QR code for the link to "+c.survey.Title+": "+c.wave.Label)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-store")
	_, err = io.WriteString(w, svg)
	return err
}

// printSurvey is the questionnaire on paper, to fill in by hand.
func (s *Server) printSurvey(w http.ResponseWriter, r *http.Request, c *call) error {
	d, err := s.surveyAnswerData(r, c.survey, &c.survey.Waves[len(c.survey.Waves)-1], true)
	if err != nil {
		return err
	}
	return s.render(w, r, c, http.StatusOK, "survey_print", page{Title: c.survey.Questionnaire.Title, Data: d})
}

// paperForm is the questionnaire for typing in a paper sheet.
func (s *Server) paperForm(w http.ResponseWriter, r *http.Request, c *call) error {
	d, err := s.surveyAnswerData(r, c.survey, c.wave, true)
	if err != nil {
		return err
	}
	f := newForm(r)
	s.issueFormToken(f, formtoken.PaperSurvey, strconv.FormatInt(c.wave.ID, 10))
	return s.render(w, r, c, http.StatusOK, "survey_answer", page{Title: "Enter a paper sheet", Form: f, Data: d})
}

func (s *Server) enterPaper(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.takeSurveyAnswer(w, r, c, c.survey, c.wave, true)
}

// questionnairesPage lists the questionnaires an organisation can run, and
// takes a new one as a file (format: content/surveys/FORMAT.md).
func (s *Server) questionnairesPage(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.renderQuestionnaires(w, r, c, http.StatusOK, newForm(r), nil)
}

func (s *Server) renderQuestionnaires(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form, probs content.Problems) error {
	qs, err := s.store.Surveys.Questionnaires(r.Context(), c.org.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, c, status, "questionnaires", page{Title: "Questionnaires", Form: f,
		Data: &questionnairesData{Org: c.org, Questionnaires: qs, Problems: probs}})
}

// addQuestionnaire takes an uploaded questionnaire file. A file with any
// problem is refused whole, with each problem and its line number.
func (s *Server) addQuestionnaire(w http.ResponseWriter, r *http.Request, c *call) error {
	f := &Form{}
	refuse := func(status int, msg string, probs content.Problems) error {
		f.Add("file", msg)
		return s.renderQuestionnaires(w, r, c, status, f, probs)
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		return refuse(http.StatusUnprocessableEntity, "Choose a questionnaire file to add (plain text, at most 1 MB).", nil)
	}
	defer file.Close()
	body, err := io.ReadAll(io.LimitReader(file, content.MaxFileBytes+1))
	if err != nil || len(body) > content.MaxFileBytes {
		return refuse(http.StatusUnprocessableEntity, "The file is larger than 1 MB.", nil)
	}
	q, err := s.store.Surveys.AddQuestionnaire(r.Context(), c.org.ID, c.actor.User.ID, string(body))
	var probs content.Problems
	switch {
	case errors.As(err, &probs):
		return refuse(http.StatusUnprocessableEntity, fmt.Sprintf("The file has %s, so nothing was added. Correct them and add it again.", plural(len(probs), "problem", "problems")), probs)
	case err != nil && !f.Absorb(err, "file"):
		return err
	case err != nil:
		return s.renderQuestionnaires(w, r, c, http.StatusConflict, f, nil)
	}
	return redirect(w, r, fmt.Sprintf("/orgs/%d/questionnaires", c.org.ID), fmt.Sprintf("“%s” version %d is added. Surveys can now use it.", q.Title, q.Version))
}
