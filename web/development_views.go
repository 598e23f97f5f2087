package web

import (
	"time"

	"github.com/alongside-recovery/alongside"
)

// What the development pages show: their view models and charts.

type developmentRow struct {
	At    time.Time
	Means []string // per group, one decimal place
	Needs int
}

type developmentData struct {
	Practitioner *alongside.User
	Practice     *alongside.PracticeContent
	Assessments  int
	Latest       *alongside.SelfAssessment
	Chart        *svgChart
	Rows         []developmentRow
	Groups       []alongside.PracticeKind
	Objectives   int
	Reflections  int                            // in the last 30 days
	Draft        *alongside.SelfAssessmentDraft // a self-assessment under way, or nil
	DraftDone    int                            // its parts answered
	Parts        int                            // the self-assessment's parts
}

func selfAssessmentChart(pc *alongside.PracticeContent, as []alongside.SelfAssessment, z zone) *svgChart {
	sp := lineSpec{YMin: 1, YMax: 4, YTicks: []float64{1, 2, 3, 4}, From: as[0].TakenAt, To: as[len(as)-1].TakenAt, XLabel: z.date}
	for _, g := range alongside.FrameworkGroups {
		l := lineSeries{Label: g.Label()}
		for _, a := range as {
			l.Points = append(l.Points, linePoint{a.TakenAt, a.GroupMean(pc, g)})
		}
		sp.Series = append(sp.Series, l)
	}
	ch := lineChart(sp)
	return &ch
}

type selfAssessmentGroup struct {
	Kind  alongside.PracticeKind
	Items []alongside.PracticeItem
}

// selfAssessmentItem is one item of a part as the page shows it.
type selfAssessmentItem struct {
	alongside.PracticeItem
	Number int    // within its group, from 1
	Saved  string // after a clash: what the other save holds, when it differs from this page
}

// selfAssessmentStep is a part in the page's progress list.
type selfAssessmentStep struct {
	Number        int
	Title         string
	Done, Current bool
}

type selfAssessmentData struct {
	Practitioner *alongside.User
	Part         alongside.SelfAssessmentPart
	Parts        int
	Items        []selfAssessmentItem
	Steps        []selfAssessmentStep
	Scale        []alongside.Choice
	Last         bool
	Conflict     bool
	Draft        *alongside.SelfAssessmentDraft
}

type objectiveView struct {
	alongside.DevelopmentObjective
	NeedItemText, ActivityKindText, StatusLabel, ActivityStatusLabel string
}

type developmentPlanData struct {
	Practitioner *alongside.User
	IsSelf       bool
	Plan         *alongside.DevelopmentPlan
	Objectives   []objectiveView
	CanComment   bool
	CanSignOff   bool
	Colleagues   []alongside.Colleague // to share with: the practitioner only
	Shared       map[int64]bool
	Supervisors  map[int64]bool
}

type objectiveFormData struct {
	Practitioner     *alongside.User
	Objective        *alongside.DevelopmentObjective // nil for a new one
	Conflict         bool                            // saved elsewhere since the form was opened: Objective is what is saved now
	Framework        []selfAssessmentGroup
	Activities       []alongside.PracticeItem
	Statuses         []alongside.Choice
	ActivityStatuses []alongside.Choice
}

type reflectData struct {
	Practitioner *alongside.User
	Tips         []alongside.PracticeItem
	Answers      []alongside.Choice
}

type tipTrendView struct {
	Tip     alongside.PracticeItem
	Periods []tipPeriodView
}

type tipPeriodView struct {
	alongside.TipPeriod
	Label string
	BarW  int // the bar's length in pixels, of 60: the share of "yes"
}

type reflectionsData struct {
	Practitioner *alongside.User
	Trends       []tipTrendView
	Months       []string // the periods' names
	Weekly       bool
	Recent       []alongside.Reflection
	Count        int
}

type totalsRow struct {
	Item  alongside.PracticeItem
	Needs int
}

type totalsGroup struct {
	Kind  alongside.PracticeKind
	Needs int
	Rows  []totalsRow
}

type developmentTotalsData struct {
	Service *alongside.Service
	Totals  *alongside.DevelopmentTotals
	Groups  []totalsGroup
	Reviews []alongside.Review // reviews the totals can be attached to
	Min     int
}
