package web

import (
	"fmt"
	"html/template"

	"github.com/alongside-recovery/alongside"
	"github.com/alongside-recovery/alongside/content"
	"github.com/alongside-recovery/alongside/sqlstore"
	"github.com/alongside-recovery/alongside/stats"
)

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
type surveysData struct {
	Org            *alongside.Organisation
	Service        *alongside.Service
	Surveys        []alongside.Survey
	Questionnaires []sqlstore.QuestionnaireFile
	Action         string
	Href           map[int64]string // where each survey's title leads: its page, or its results, for who may open them
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
// the unpaired interval (pairs are stored per domain, not per question).
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
type questionnairesData struct {
	Org            *alongside.Organisation
	Questionnaires []sqlstore.QuestionnaireFile
	Problems       content.Problems
}
