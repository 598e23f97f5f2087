package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/auth"
	"github.com/alongside-recovery/alongside/authz"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/formtoken"
	"github.com/alongside-recovery/alongside/sqlstore"
	"github.com/alongside-recovery/alongside/stats"
)

// Surveys: a manager or network lead runs a questionnaire in waves; anyone
// with a wave's link answers, with no account and nothing kept that could
// say who they are; results show distributions, domain scores and change
// between waves, never for fewer than MinGroup respondents.

// linkLimiter holds, per wave, the permits this process has taken from the
// link's count of answers a minute, which is kept in the database so that
// every app server shares one limit. Counting each answer there would make
// answers arriving together queue on one row; instead a process takes a
// fiftieth of the limit at a time and spends it from memory, so the limit
// holds across servers to within a block per server (one answer, under a
// limit of 100). The limit exists to stop a flood, not a team.
type linkLimiter struct {
	mu    sync.Mutex
	waves map[int64]*linkPermits
}

type linkPermits struct {
	mu     sync.Mutex
	minute int64
	limit  int // the link's limit the permits were taken under
	left   int
	full   bool // the link's limit is reached for this minute
}

// allowAnswer reports whether one more answer through the wave's link fits
// in this minute.
func (s *Server) allowAnswer(ctx context.Context, waveID int64, limit int) (bool, error) {
	minute := s.now().Unix() / 60
	l := &s.links
	l.mu.Lock()
	if l.waves == nil || len(l.waves) > 10000 {
		l.waves = map[int64]*linkPermits{} // waves of minutes past; their permits are spent
	}
	p := l.waves[waveID]
	if p == nil {
		p = &linkPermits{}
		l.waves[waveID] = p
	}
	l.mu.Unlock()

	p.mu.Lock()
	defer p.mu.Unlock()
	if p.minute != minute {
		p.minute, p.limit, p.left, p.full = minute, limit, 0, false
	}
	if p.limit != limit {
		// The link's limit changed: give back what was taken under the old.
		if p.left > 0 {
			if _, err := s.store.Surveys.CountLinkAnswers(ctx, waveID, minute, -p.left); err != nil {
				return false, err
			}
		}
		p.limit, p.left, p.full = limit, 0, false
	}
	if p.left == 0 && !p.full {
		block := max(1, limit/50)
		total, err := s.store.Surveys.CountLinkAnswers(ctx, waveID, minute, block)
		if err != nil {
			return false, err
		}
		p.left = min(block, limit-(total-block))
		p.left = max(p.left, 0)
		p.full = total >= limit
	}
	if p.left == 0 {
		return false, nil
	}
	p.left--
	return true, nil
}

type questionView struct {
	alongside.SurveyItem
	Choices []alongside.Choice
}

type domainView struct {
	alongside.SurveyDomain
	Items []questionView
}

func questionsOf(q *alongside.Questionnaire) []domainView {
	var out []domainView
	for _, d := range q.Domains {
		dv := domainView{SurveyDomain: d}
		for _, it := range q.InDomain(d.Key) {
			dv.Items = append(dv.Items, questionView{it, it.Type.Choices()})
		}
		out = append(out, dv)
	}
	return out
}

type surveyAnswerData struct {
	Survey   *alongside.Survey
	Wave     *alongside.Wave
	Domains  []domainView
	Services []alongside.Service // a network survey asks which service, optionally
	Action   string
	Paper    bool   // the coordinator types in a paper sheet
	Closed   string // why the survey takes no answers now, or ""
	Done     bool
	Counted  bool // the same form was sent before, and counted then
	MinGroup int
	HelpNow  []alongside.HelpLine // on the closing screen
}

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

// answerSurvey keeps an answer sent through an anonymous link. The same
// form sent twice counts once, and only a form we showed counts at all;
// too many answers a minute through one link are turned back with the
// answers kept.
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

type surveysData struct {
	Org            *alongside.Organisation
	Service        *alongside.Service
	Surveys        []alongside.Survey
	Questionnaires []sqlstore.QuestionnaireFile
	Action         string
	Href           map[int64]string // where each survey's title leads: its page, or its results, for who may open them
}

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

type waveView struct {
	alongside.Wave
	Link   string
	QR     template.HTML
	Open   bool
	Prefix string // for the wave's own form's field ids
	F      *Form  // the wave's own form: its saved name, dates and version, or what was just sent
}

type surveyData struct {
	Survey *alongside.Survey
	Waves  []waveView
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

// A figure is shown only when at least MinGroup respondents stand behind it.
type choiceCount struct {
	Label   string
	N       int
	Percent int
}

type itemResult struct {
	Item   alongside.SurveyItem
	N      int
	Counts []choiceCount
	Mean   string
}

type domainResult struct {
	Domain alongside.SurveyDomain
	N      int
	Mean   string
	BarW   int // of 300, the mean on 0–100
	Items  []itemResult
}

type waveResult struct {
	Wave        alongside.Wave
	Respondents int
	Shown       bool
	Domains     []domainResult
	Chart       svgChart
}

type changeResult struct {
	Domain   alongside.SurveyDomain
	Unpaired *stats.UnpairedComparison // nil when not shown
	Paired   *stats.PairedComparison   // nil when fewer than MinGroup pairs
	Pairs    int
	// The two waves side by side: each score on 0–100, "" when fewer than
	// MinGroup people answered in that domain, and how many did.
	Baseline, Followup string
	NB, NF             int
	Verdict            *verdict // nil when there is no interval to judge by
	ByPairs            bool     // the verdict comes from the paired interval
}

// verdict is a change in plain words, from where its 95% interval lies
// against zero. Every scored item of a questionnaire is worded so that a
// higher answer is the recovery-focused one (content/surveys/FORMAT.md: no
// reverse-worded items), so a rise is always an improvement.
type verdict struct {
	Words string // "Clear improvement", "No clear change", "Clear fall"
	Class string // the tag's colour
}

func verdictOf(iv stats.Interval) *verdict {
	switch iv.Direction() {
	case 1:
		return &verdict{"Clear improvement", "tag--green"}
	case -1:
		return &verdict{"Clear fall", "tag--red"}
	}
	return &verdict{"No clear change", "tag--grey"}
}

// questionChange is one question in two waves side by side: the mean
// answer on the question's own scale ("3.4 of 5", "62% yes"), each shown
// only where at least MinGroup people answered it, and the verdict from
// the unpaired interval (pairs are kept per domain, not per question).
type questionChange struct {
	Item               alongside.SurveyItem
	Baseline, Followup string
	NB, NF             int
	Verdict            *verdict
	Change             string // "+0.4 (95% CI 0.1 to 0.7)" on the question's scale
}

type domainQuestions struct {
	Domain    alongside.SurveyDomain
	Questions []questionChange
}

type comparison struct {
	From, To  alongside.Wave
	Changes   []changeResult
	Questions []domainQuestions
}

// itemSummary is a wave's answers to one scored item from its tallies:
// how many answered, their mean and SD on the item's scale.
func itemSummary(it alongside.SurveyItem, counts map[string]int) (n int, mean, sd float64) {
	var values []float64
	var ns []int
	for _, ch := range it.Type.Choices() {
		v, _ := it.Type.Value(ch.Value)
		values = append(values, v)
		ns = append(ns, counts[ch.Value])
	}
	return stats.FromCounts(values, ns)
}

// onScale is an item's mean as people read it: "3.4 of 5", "6.8 of 10",
// "62% yes"; and a change on that scale.
func onScale(t alongside.ItemType, mean float64) string {
	switch t {
	case alongside.ItemYesNo:
		return fmt.Sprintf("%.0f%% yes", 100*mean)
	case alongside.ItemScale10:
		return fmt.Sprintf("%.1f of 10", mean)
	}
	return fmt.Sprintf("%.1f of 5", mean)
}

func changeOnScale(t alongside.ItemType, iv stats.Interval) string {
	if t == alongside.ItemYesNo {
		return fmt.Sprintf("%+.0f percentage points (95%% CI %.0f to %.0f)", 100*iv.Estimate, 100*iv.Low, 100*iv.High)
	}
	return fmt.Sprintf("%+.1f (95%% CI %.1f to %.1f)", iv.Estimate, iv.Low, iv.High)
}

type surveyResultsData struct {
	Survey          *alongside.Survey
	Services        []alongside.Service
	Service         int64 // the filter, 0 for all
	Waves           []waveResult
	Comparisons     []comparison
	Reviews         []alongside.Review
	Indicators      []alongside.Indicator
	Min             int
	Body            template.HTML // the waves and comparisons, rendered (surveyResultsBody)
	Back, BackLabel string        // the page before: the survey's own, or for a network survey's reader, their service's surveys
}

// resultsKey and keptResults keep a survey's rendered results until one of
// its waves has a new response: at 100,000 responses, working out and
// drawing the figures was most of the page's cost, and they change only
// with a response.
type resultsKey struct{ survey, service int64 }

type keptResults struct {
	counts string
	body   template.HTML
}

// responseCounts says what the kept results were drawn from: each wave,
// its name and its number of responses.
func responseCounts(sv *alongside.Survey) string {
	var b strings.Builder
	for _, wv := range sv.Waves {
		fmt.Fprintf(&b, "%d:%d:%s\n", wv.ID, wv.Responses, wv.Label)
	}
	return b.String()
}

func (s *Server) surveyResultsData(r *http.Request, c *call, figures bool) (*surveyResultsData, error) {
	ctx := r.Context()
	sv := c.survey
	d := &surveyResultsData{Survey: sv, Min: alongside.MinGroup}
	if authz.Can(c.actor, authz.ManageSurvey, authz.Resource{Survey: sv, OrgID: sv.OrgID, ServiceID: sv.ServiceID}) {
		d.Back, d.BackLabel = fmt.Sprintf("/surveys/%d", sv.ID), sv.Title
	} else {
		// A manager reading a network survey's results comes from their
		// own service's list of surveys.
		for _, m := range c.actor.Memberships {
			if m.Role == alongside.RoleServiceManager && m.OrgID == sv.OrgID && authz.Can(c.actor, authz.RunSurveys, authz.Resource{OrgID: m.OrgID, ServiceID: m.ServiceID}) {
				d.Back, d.BackLabel = fmt.Sprintf("/services/%d/surveys", m.ServiceID), "Surveys"
				break
			}
		}
	}
	if sv.ServiceID == 0 {
		var err error
		if d.Services, err = s.store.Organisations.Services(ctx, sv.OrgID); err != nil {
			return nil, err
		}
		d.Service, _ = strconv.ParseInt(r.URL.Query().Get("service"), 10, 64)
	}
	// The figures are worked out and drawn only when a wave has a new
	// response since they were last (resultsBody); attaching needs them.
	k := resultsKey{sv.ID, d.Service}
	if v, ok := s.results.Load(k); ok && v.(keptResults).counts == responseCounts(sv) && !figures {
		d.Body = v.(keptResults).body
	} else {
		if err := s.surveyFigures(ctx, d); err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := s.pages.pages["survey_results"].ExecuteTemplate(&buf, "surveyResultsBody", d); err != nil {
			return nil, err
		}
		d.Body = template.HTML(buf.String())
		s.results.Store(k, keptResults{responseCounts(sv), d.Body})
	}
	// Results can be attached to a review of the survey's service, or of
	// the service a network survey's results are filtered to.
	if service := max(sv.ServiceID, d.Service); service != 0 {
		var err error
		if d.Reviews, err = s.reviewsTakingEvidence(ctx, c, service); err != nil {
			return nil, err
		}
		if len(d.Reviews) > 0 {
			set, err := s.store.Reviews.ReviewStatementSet(ctx, &d.Reviews[0])
			if err != nil {
				return nil, err
			}
			d.Indicators = set.Indicators
		}
	}
	return d, nil
}

// surveyFigures works out each wave's results and each follow-up's change
// from the baseline, for the service filter in d.
func (s *Server) surveyFigures(ctx context.Context, d *surveyResultsData) error {
	sv, q := d.Survey, d.Survey.Questionnaire
	summaries := map[int64]*sqlstore.WaveSummary{}
	for _, wv := range sv.Waves {
		sum, err := s.store.Surveys.WaveSummary(ctx, &wv, d.Service)
		if err != nil {
			return err
		}
		summaries[wv.ID] = sum
		wr := waveResult{Wave: wv, Respondents: sum.Respondents, Shown: alongside.EnoughPeople(sum.Respondents)}
		if wr.Shown {
			for _, dm := range q.Domains {
				ds := sum.Domains[dm.Key]
				dr := domainResult{Domain: dm, N: ds.N}
				if alongside.EnoughPeople(ds.N) {
					dr.Mean = fmt.Sprintf("%.0f", ds.Mean)
					dr.BarW = int(ds.Mean * 3)
				}
				for _, it := range q.InDomain(dm.Key) {
					if !it.Type.Scored() {
						continue
					}
					ir := itemResult{Item: it}
					total, sum2 := 0, 0.0
					for _, ch := range it.Type.Choices() {
						n := sum.Items[it.Key][ch.Value]
						total += n
						v, _ := it.Type.Value(ch.Value)
						sum2 += v * float64(n)
					}
					ir.N = total
					if alongside.EnoughPeople(total) {
						for _, ch := range it.Type.Choices() {
							n := sum.Items[it.Key][ch.Value]
							ir.Counts = append(ir.Counts, choiceCount{ch.Label, n, (100*n + total/2) / total})
						}
						ir.Mean = fmt.Sprintf("%.1f", sum2/float64(total))
					}
					dr.Items = append(dr.Items, ir)
				}
				wr.Domains = append(wr.Domains, dr)
			}
			wr.Chart = domainChart(wr.Domains)
		}
		d.Waves = append(d.Waves, wr)
	}
	// Each follow-up against the baseline.
	for _, to := range sv.Waves[1:] {
		from := sv.Waves[0]
		a, b := summaries[from.ID], summaries[to.ID]
		if !alongside.EnoughPeople(a.Respondents) || !alongside.EnoughPeople(b.Respondents) {
			continue
		}
		diffs, err := s.store.Surveys.PairedDifferences(ctx, &from, &to, d.Service)
		if err != nil {
			return err
		}
		cmp := comparison{From: from, To: to}
		for _, dm := range q.Domains {
			x, y := a.Domains[dm.Key], b.Domains[dm.Key]
			ch := changeResult{Domain: dm, Pairs: len(diffs[dm.Key]), NB: x.N, NF: y.N}
			// Each figure on its own needs MinGroup people behind it.
			if alongside.EnoughPeople(x.N) {
				ch.Baseline = fmt.Sprintf("%.0f", x.Mean)
			}
			if alongside.EnoughPeople(y.N) {
				ch.Followup = fmt.Sprintf("%.0f", y.Mean)
			}
			if alongside.EnoughPeople(x.N) && alongside.EnoughPeople(y.N) {
				if u, ok := stats.UnpairedFromSummary(x.N, x.Mean, x.SD, y.N, y.Mean, y.SD); ok {
					ch.Unpaired = &u
					ch.Verdict = verdictOf(u.Difference)
				}
			}
			if alongside.EnoughPeople(ch.Pairs) {
				zero := make([]float64, ch.Pairs)
				if p, ok := stats.Paired(zero, diffs[dm.Key]); ok {
					// The same people compared with themselves is the
					// stronger comparison: the verdict follows it.
					ch.Paired = &p
					ch.Verdict, ch.ByPairs = verdictOf(p.Difference), true
				}
			}
			if ch.Baseline != "" || ch.Followup != "" {
				cmp.Changes = append(cmp.Changes, ch)
			}
			dq := domainQuestions{Domain: dm}
			for _, it := range q.InDomain(dm.Key) {
				if !it.Type.Scored() {
					continue
				}
				qc := questionChange{Item: it}
				var mb, mf, sb, sf float64
				qc.NB, mb, sb = itemSummary(it, a.Items[it.Key])
				qc.NF, mf, sf = itemSummary(it, b.Items[it.Key])
				if alongside.EnoughPeople(qc.NB) {
					qc.Baseline = onScale(it.Type, mb)
				}
				if alongside.EnoughPeople(qc.NF) {
					qc.Followup = onScale(it.Type, mf)
				}
				if alongside.EnoughPeople(qc.NB) && alongside.EnoughPeople(qc.NF) {
					if u, ok := stats.UnpairedFromSummary(qc.NB, mb, sb, qc.NF, mf, sf); ok {
						qc.Verdict, qc.Change = verdictOf(u.Difference), changeOnScale(it.Type, u.Difference)
					}
				}
				dq.Questions = append(dq.Questions, qc)
			}
			if len(dq.Questions) > 0 {
				cmp.Questions = append(cmp.Questions, dq)
			}
		}
		d.Comparisons = append(d.Comparisons, cmp)
	}
	return nil
}

// surveyResults shows each wave's results and the change between waves.
func (s *Server) surveyResults(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.renderSurveyResults(w, r, c, http.StatusOK, newForm(r))
}

func (s *Server) renderSurveyResults(w http.ResponseWriter, r *http.Request, c *call, status int, f *Form) error {
	d, err := s.surveyResultsData(r, c, false)
	if err != nil {
		return err
	}
	return s.render(w, r, c, status, "survey_results", page{Title: "Results: " + c.survey.Title, Form: f, Data: d})
}

// surveyTables are the anonymous responses as rows, in no order that says
// when each came in, built from the results page's own view with its
// service filter: a wave the page hides (fewer than MinGroup respondents)
// gives no rows, and nor does a service whose own answers to a wave are
// too few to show, as the page filtered to that service would hide them.
func (s *Server) surveyTables(r *http.Request, c *call) (*tables, error) {
	d, err := s.surveyResultsData(r, c, true)
	if err != nil {
		return nil, err
	}
	rs, err := s.store.Surveys.SurveyResponses(r.Context(), c.survey)
	if err != nil {
		return nil, err
	}
	shownWave := map[int64]bool{}
	for _, wr := range d.Waves {
		shownWave[wr.Wave.ID] = wr.Shown
	}
	type group struct{ wave, service int64 }
	inGroup := map[group]int{}
	for _, resp := range rs {
		inGroup[group{resp.WaveID, resp.ServiceID}]++
	}
	q := c.survey.Questionnaire
	head := []string{"Wave", "Service", "Day received", "Pairing pseudonym", "Paper"}
	items := [][]string{{"Item", "Domain", "Type", "Question"}}
	domains := map[string]string{}
	for _, d := range q.Domains {
		domains[d.Key] = d.Name
	}
	for _, it := range q.Items {
		head = append(head, it.Key)
		items = append(items, []string{it.Key, domains[it.Domain], string(it.Type), it.Text})
	}
	responses := [][]string{head}
	left := 0
	for _, resp := range rs {
		if (d.Service != 0 && resp.ServiceID != d.Service) || !shownWave[resp.WaveID] ||
			!alongside.EnoughPeople(inGroup[group{resp.WaveID, resp.ServiceID}]) {
			left++
			continue
		}
		row := []string{resp.Wave, resp.Service, resp.ReceivedOn, resp.Pair, map[bool]string{true: "yes", false: "no"}[resp.Paper]}
		for _, it := range q.Items {
			row = append(row, resp.Answers[it.Key])
		}
		responses = append(responses, row)
	}
	sheets := []xlsxSheet{{"Responses", responses, 14}, {"Questions", items, 40}}
	if left > 0 {
		sheets = append(sheets, xlsxSheet{"Left out", [][]string{{"Left out"}, {fmt.Sprintf(
			"%s left out: answers are shown only where at least %d people answered a wave, for the survey or for one service, as on the results page.",
			plural(left, "response is", "responses are"), alongside.MinGroup)}}, 60})
	}
	return &tables{name: "survey " + c.survey.Title, sheets: sheets}, nil
}

// attachSurvey attaches the latest wave's domain scores, and its change
// from the baseline, to a review under the indicator chosen.
func (s *Server) attachSurvey(w http.ResponseWriter, r *http.Request, c *call) error {
	ctx := r.Context()
	f := newForm(r)
	d, err := s.surveyResultsData(r, c, true)
	if err != nil {
		return err
	}
	review := chosenReview(d.Reviews, f)
	if review == nil {
		f.Add("review", "Choose a review under way.")
		return s.renderSurveyResults(w, r, c, http.StatusUnprocessableEntity, f)
	}
	last := d.Waves[len(d.Waves)-1]
	if !last.Shown {
		f.Add("review", fmt.Sprintf("The latest wave has fewer than %d responses: there is nothing to attach yet.", alongside.MinGroup))
		return s.renderSurveyResults(w, r, c, http.StatusUnprocessableEntity, f)
	}
	e := &alongside.AttachedEvidence{Kind: alongside.KindSurveyResult, Indicator: f.Get("indicator"),
		Title: c.survey.Title + ": " + last.Wave.Label, Link: fmt.Sprintf("/surveys/%d/results", c.survey.ID),
		Text:    c.survey.Questionnaire.Title + ". Domain scores from 0 to 100; higher is more recovery-focused.",
		Figures: []alongside.Figure{{Label: "Respondents", Value: strconv.Itoa(last.Respondents)}}}
	for _, se := range d.Services {
		if se.ID == d.Service {
			e.Title += " (" + se.Name + ")"
			e.Link += fmt.Sprintf("?service=%d", se.ID)
		}
	}
	for _, dr := range last.Domains {
		if dr.Mean != "" {
			e.Figures = append(e.Figures, alongside.Figure{Label: dr.Domain.Name, Value: dr.Mean})
		}
	}
	for _, cmp := range d.Comparisons {
		if cmp.To.ID != last.Wave.ID {
			continue
		}
		for _, ch := range cmp.Changes {
			if ch.Unpaired != nil {
				e.Figures = append(e.Figures, alongside.Figure{Label: "Change since " + cmp.From.Label + ": " + ch.Domain.Name,
					Value: changeFigure(ch)})
			}
		}
	}
	set, err := s.store.Reviews.ReviewStatementSet(ctx, review)
	if err != nil {
		return err
	}
	if err := s.store.Reviews.AttachEvidence(ctx, review, set, e); f.Absorb(err, "indicator", "review") {
		return s.renderSurveyResults(w, r, c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/reviews/%d/results#ind-%s", review.ID, e.Indicator), "Attached to the review as evidence.")
}

// changeFigure is a domain's change as attached to a review: the verdict
// first, then the figures it rests on.
func changeFigure(ch changeResult) string {
	u := ch.Unpaired.Difference
	v := fmt.Sprintf("%s: %+.1f (95%% CI %.1f to %.1f), all answers", ch.Verdict.Words, u.Estimate, u.Low, u.High)
	if p := ch.Paired; p != nil {
		v += fmt.Sprintf("; %+.1f (95%% CI %.1f to %.1f), the %d people who answered both", p.Difference.Estimate, p.Difference.Low, p.Difference.High, p.N)
	}
	return v
}

type questionnairesData struct {
	Org            *alongside.Organisation
	Questionnaires []sqlstore.QuestionnaireFile
	Problems       content.Problems
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

// domainChart draws a wave's domain scores, 0 to 100, one bar a domain.
func domainChart(ds []domainResult) svgChart {
	items := make([]barItem, len(ds))
	for i, d := range ds {
		items[i] = barItem{Label: d.Domain.Name, OK: d.Mean != "", Text: d.Mean}
		if d.Mean == "" {
			items[i].Text = "too few answers"
		} else {
			items[i].V, _ = strconv.ParseFloat(d.Mean, 64)
		}
	}
	return barChart(items, 100, []float64{0, 50, 100})
}
