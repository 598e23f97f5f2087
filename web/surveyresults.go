package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/authz"
	"github.com/alongside-recovery/alongside/internal/cache"
	"github.com/alongside-recovery/alongside/sqlstore"
	"github.com/alongside-recovery/alongside/stats"
)

// resultsKey is a survey's results with a service filter (0 for all).
type resultsKey struct{ survey, service int64 }

// newResultsCache caches a survey's rendered results at the version
// responseCounts gives: at 100,000 responses, working out and drawing the
// figures was most of the page's cost, and they change only with a
// response, which every app server sees in the counts read with the
// survey. Bounded at 256: the service filter comes from the address, so
// the keys are not bounded by the data, and a body is tens of kilobytes.
func newResultsCache() *cache.Cache[resultsKey, string, template.HTML] {
	return cache.New[resultsKey, string, template.HTML]("survey results", 256)
}

// responseCounts says what the cached results were drawn from: each wave,
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
	counts := responseCounts(sv)
	if body, ok := s.results.Get(k, counts); ok && !figures {
		d.Body = body
	} else {
		if err := s.surveyFigures(ctx, d); err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := s.pages.pages["survey_results"].ExecuteTemplate(&buf, "surveyResultsBody", d); err != nil {
			return nil, err
		}
		d.Body = template.HTML(buf.String())
		s.results.Put(k, counts, d.Body)
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
