package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/formtoken"
)

func (s *Server) surveyAnswerData(r *http.Request, sv *alongside.Survey, wv *alongside.Wave, paper bool) (*surveyAnswerData, error) {
	d := &surveyAnswerData{Survey: sv, Wave: wv, Domains: questionsOf(sv.Questionnaire), Paper: paper, MinGroup: alongside.MinGroup,
		Action: "/s/" + wv.Token}
	if paper {
		d.Action = fmt.Sprintf("/surveys/%d/waves/%d/paper", sv.ID, wv.ID)
	}
	if sv.ServiceID == 0 {
		var err error
		if d.Services, err = s.store.Organisations.Services(r.Context(), sv.OrgID); err != nil {
			return nil, err
		}
	}
	if now := s.now().In(s.zone.loc); !paper && !wv.OpenOn(now) {
		if now.Format("2006-01-02") < wv.OpensOn {
			d.Closed = "This survey opens on " + longDate(wv.OpensOn) + ". Please come back then."
		} else {
			d.Closed = "This survey closed on " + longDate(wv.ClosesOn) + ". Thank you for wanting to take part."
		}
	}
	return d, nil
}

func longDate(day string) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return day
	}
	return formatDate(t)
}

// surveyForm is the questionnaire behind an anonymous link.
func (s *Server) surveyForm(w http.ResponseWriter, r *http.Request, c *call) error {
	sv, wv, err := s.store.Surveys.WaveByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	d, err := s.surveyAnswerData(r, sv, wv, false)
	if err != nil {
		return err
	}
	f := newForm(r)
	s.issueFormToken(f, formtoken.SurveyAnswer, strconv.FormatInt(wv.ID, 10))
	return s.render(w, r, c, http.StatusOK, "survey_answer", page{Title: sv.Questionnaire.Title, Form: f, Data: d})
}

func answersFrom(f *Form, q *alongside.Questionnaire) alongside.SurveyAnswer {
	a := alongside.SurveyAnswer{}
	for _, it := range q.Items {
		if v := strings.TrimSpace(f.Get(it.Key)); v != "" {
			a[it.Key] = v
		}
	}
	return a
}

func surveyFields(q *alongside.Questionnaire) []string {
	order := []string{}
	for _, it := range q.Items {
		order = append(order, it.Key)
	}
	return append(order, "pair_code", "service")
}

// answerSurvey stores an answer sent through an anonymous link. The same
// form sent twice counts once, and only a form we showed counts at all;
// too many answers a minute through one link are turned back with the
// answers shown again.
func (s *Server) answerSurvey(w http.ResponseWriter, r *http.Request, c *call) error {
	sv, wv, err := s.store.Surveys.WaveByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	return s.takeSurveyAnswer(w, r, c, sv, wv, false)
}

func (s *Server) takeSurveyAnswer(w http.ResponseWriter, r *http.Request, c *call, sv *alongside.Survey, wv *alongside.Wave, paper bool) error {
	d, err := s.surveyAnswerData(r, sv, wv, paper)
	if err != nil {
		return err
	}
	f := newForm(r)
	title := sv.Questionnaire.Title
	if d.Closed != "" {
		return s.render(w, r, c, http.StatusGone, "survey_answer", page{Title: title, Form: f, Data: d})
	}
	purpose := formtoken.SurveyAnswer
	if paper {
		purpose = formtoken.PaperSurvey
	}
	first := sv.Questionnaire.Items[0].Key
	nonce, ok := s.checkFormToken(f, purpose, strconv.FormatInt(wv.ID, 10), first)
	if !ok {
		return s.render(w, r, c, http.StatusBadRequest, "survey_answer", page{Title: title, Form: f, Data: d})
	}
	if !paper {
		if ok, err := s.allowAnswer(r.Context(), wv.ID, sv.RateLimit); err != nil {
			return err
		} else if !ok {
			f.Add(first, "Many people are answering right now. Please wait a minute, then send your answers again: they are kept below.")
			return s.render(w, r, c, http.StatusTooManyRequests, "survey_answer", page{Title: title, Form: f, Data: d})
		}
	}
	service, _ := strconv.ParseInt(f.Get("service"), 10, 64)
	if sv.ServiceID == 0 && service != 0 {
		known := false
		for _, se := range d.Services {
			known = known || se.ID == service
		}
		if !known {
			service = 0
		}
	}
	counted, err := s.store.Surveys.Respond(r.Context(), sv, wv, service, answersFrom(f, sv.Questionnaire), f.Get("pair_code"), nonce, paper)
	if fe := alongside.FieldErrors(err); fe["answers"] != "" {
		f.Add(first, fe["answers"])
	}
	if f.Absorb(err, surveyFields(sv.Questionnaire)...) {
		return s.render(w, r, c, http.StatusUnprocessableEntity, "survey_answer", page{Title: title, Form: f, Data: d})
	} else if err != nil {
		return err
	}
	if paper && counted {
		return redirect(w, r, d.Action, "That paper sheet was already entered, and it counts once. The next one can go in below.")
	} else if paper {
		return redirect(w, r, d.Action, "Paper sheet entered. The next one can go in below.")
	}
	d.Done, d.Counted = true, counted
	d.HelpNow = s.helpNowFor(r.Context(), sv.OrgID)
	return s.render(w, r, c, http.StatusOK, "survey_answer", page{Title: "Thank you", Data: d})
}
