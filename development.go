package alongside

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Practitioner development: a practitioner's self-assessment
// against the Realising Recovery framework, their personal development plan,
// and the Ten Top Tips reflection after a session. The items themselves are
// content (content/practice), not code.

// PracticeKind is which list a practice item belongs to.
type PracticeKind string

const (
	// The framework's three groups (seed 000).
	KindKnowledge PracticeKind = "knowledge"
	KindSkills    PracticeKind = "skills"
	KindValues    PracticeKind = "values"
	// The Ten Top Tips (seed 002, box 6).
	KindTip PracticeKind = "tip"
	// Kinds of learning activity (seed 000, appendix 1).
	KindActivity PracticeKind = "activity"
	// Training components (seed 002, box 2).
	KindTraining PracticeKind = "training"
)

// FrameworkGroups are the framework's three groups, in the order shown.
var FrameworkGroups = []PracticeKind{KindKnowledge, KindSkills, KindValues}

// Label is the kind in plain English, as a heading.
func (k PracticeKind) Label() string {
	switch k {
	case KindKnowledge:
		return "Knowledge"
	case KindSkills:
		return "Skills"
	case KindValues:
		return "Values"
	case KindTip:
		return "Ten Top Tips"
	case KindActivity:
		return "Kinds of learning activity"
	case KindTraining:
		return "Training components"
	}
	return string(k)
}

// PracticeItem is one item of practice content: a framework item, a tip, a
// kind of learning activity or a training component, in Alongside's own
// words, with its source named.
type PracticeItem struct {
	Kind   PracticeKind
	Key    string // stable: stored ratings and plans refer to it
	Text   string // for a tip, the question asked after a session ("Did I …?")
	Source string // where the idea comes from, such as "Realising Recovery (NES/SRN 2007), values"
}

// PracticeContent is a version of the practice content.
type PracticeContent struct {
	Version    string
	Framework  []PracticeItem // knowledge, then skills, then values
	Tips       []PracticeItem
	Activities []PracticeItem
	Training   []PracticeItem
}

// Item finds an item of any list by its key.
func (c *PracticeContent) Item(key string) (PracticeItem, bool) {
	for _, list := range [][]PracticeItem{c.Framework, c.Tips, c.Activities, c.Training} {
		for _, it := range list {
			if it.Key == key {
				return it, true
			}
		}
	}
	return PracticeItem{}, false
}

// InGroup is the framework's items of one group, in order.
func (c *PracticeContent) InGroup(g PracticeKind) []PracticeItem {
	var out []PracticeItem
	for _, it := range c.Framework {
		if it.Kind == g {
			out = append(out, it)
		}
	}
	return out
}

// RatingScale is the self-assessment scale, lowest first.
var RatingScale = []Choice{
	{"1", "Not yet"},
	{"2", "Developing"},
	{"3", "Confident"},
	{"4", "Could help others learn this"},
}

// RatingLabel is a rating's label, or "" for none.
func RatingLabel(r int) string {
	if r >= 1 && r <= len(RatingScale) {
		return RatingScale[r-1].Label
	}
	return ""
}

// ItemRating is one framework item's rating in a self-assessment.
type ItemRating struct {
	Rating int  // 1 to 4 (RatingScale)
	Need   bool // marked as a development need
}

// SelfAssessment is a practitioner's rating of every framework item at one
// time. They repeat it to see change.
type SelfAssessment struct {
	ID             int64
	PractitionerID int64
	ContentVersion string
	TakenAt        time.Time
	Ratings        map[string]ItemRating // framework item key → rating
}

// Validate checks that every framework item is rated on the scale and no
// other item is. Errors are keyed by item.
func (a *SelfAssessment) Validate(c *PracticeContent) error {
	f := map[string]string{}
	known := map[string]bool{}
	for _, it := range c.Framework {
		known[it.Key] = true
		if r, ok := a.Ratings[it.Key]; !ok || r.Rating < 1 || r.Rating > len(RatingScale) {
			f[it.Key] = "Choose how this sits with you now."
		}
	}
	for key := range a.Ratings {
		if !known[key] {
			return Errorf(EINVALID, "The framework has changed since this page was opened. Reload it and try again.")
		}
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

// GroupMean is the mean rating of a framework group in the assessment.
func (a *SelfAssessment) GroupMean(c *PracticeContent, g PracticeKind) float64 {
	sum, n := 0, 0
	for _, it := range c.InGroup(g) {
		if r, ok := a.Ratings[it.Key]; ok {
			sum += r.Rating
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(sum) / float64(n)
}

// MaxPartItems is the most items one part of the self-assessment holds: a
// page a practitioner answers in a few minutes, on a phone too. A group of
// the framework with more items is shown in parts of near-equal size.
const MaxPartItems = 13

// SelfAssessmentPart is one page of the self-assessment: the items of one
// framework group, or a run of them when the group is long.
type SelfAssessmentPart struct {
	Number int // from 1, in the order answered
	Group  PracticeKind
	Items  []PracticeItem
	First  int // the number of its first item within its group, from 1
	Index  int // which part of its group it is, from 1
	Of     int // how many parts its group is in
}

// Title names the part, as "Knowledge, items 14 to 25", or the group alone
// when it is one part.
func (p SelfAssessmentPart) Title() string {
	if p.Of <= 1 {
		return p.Group.Label()
	}
	return fmt.Sprintf("%s, items %d to %d", p.Group.Label(), p.First, p.First+len(p.Items)-1)
}

// Has reports whether key is an item of the part.
func (p SelfAssessmentPart) Has(key string) bool {
	for _, it := range p.Items {
		if it.Key == key {
			return true
		}
	}
	return false
}

// SelfAssessmentParts divides the framework into the self-assessment's
// pages: its groups in order (knowledge, skills, values), each in as few
// parts of at most MaxPartItems items as it needs, of near-equal size.
func (c *PracticeContent) SelfAssessmentParts() []SelfAssessmentPart {
	var parts []SelfAssessmentPart
	for _, g := range FrameworkGroups {
		items := c.InGroup(g)
		n := (len(items) + MaxPartItems - 1) / MaxPartItems
		for i, start := 0, 0; i < n; i++ {
			size := (len(items) - start + (n - i) - 1) / (n - i)
			parts = append(parts, SelfAssessmentPart{Number: len(parts) + 1, Group: g, Items: items[start : start+size],
				First: start + 1, Index: i + 1, Of: n})
			start += size
		}
	}
	return parts
}

// SelfAssessmentDraft is a self-assessment under way: the answers given so
// far, stored part by part on the server until the last part is saved and the
// whole becomes a SelfAssessment. Each save of a part raises its version; a
// save from an older version (another tab, another device) is refused.
type SelfAssessmentDraft struct {
	PractitionerID int64
	Ratings        map[string]ItemRating // item key → rating; a Rating of 0 is not answered yet
	Version        int                   // 0: there is no draft
	StartedAt      time.Time
	UpdatedAt      time.Time
}

// PartDone reports whether every item of the part has a rating in the draft.
func (d *SelfAssessmentDraft) PartDone(p SelfAssessmentPart) bool {
	for _, it := range p.Items {
		if d.Ratings[it.Key].Rating == 0 {
			return false
		}
	}
	return true
}

// NextPart is the first part not yet done, to carry on from; the first part
// when there is no draft, and 0 when every part is done.
func (d *SelfAssessmentDraft) NextPart(parts []SelfAssessmentPart) int {
	for _, p := range parts {
		if !d.PartDone(p) {
			return p.Number
		}
	}
	return 0
}

// SelfAssessmentPartSave is one part of the self-assessment as sent.
type SelfAssessmentPartSave struct {
	PractitionerID int64
	Part           SelfAssessmentPart
	Ratings        map[string]ItemRating // the part's items; a Rating of 0 is not answered
	Version        int                   // the draft's version the page was shown from; after saving, the new one
	// Complete asks for every item of the part to be rated: going on to
	// the next part, or finishing. Going back or stopping keeps what is
	// answered, however little.
	Complete bool
	// Finish is the last part's save: the whole self-assessment is saved if
	// every part is answered, else the part is stored in the draft, which stays.
	Finish bool
}

// Validate checks the part's answers. Errors are keyed by item.
func (s *SelfAssessmentPartSave) Validate() error {
	f := map[string]string{}
	for key, r := range s.Ratings {
		if !s.Part.Has(key) {
			return Errorf(EINVALID, "The framework has changed since this page was opened. Reload it and try again.")
		}
		if r.Rating < 0 || r.Rating > len(RatingScale) {
			f[key] = "Choose how this sits with you now."
		}
	}
	if s.Complete {
		for _, it := range s.Part.Items {
			if s.Ratings[it.Key].Rating == 0 {
				f[it.Key] = "Choose how this sits with you now."
			}
		}
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

// Statuses of a development objective and of its learning activity.
var (
	ObjectiveStatuses = []Choice{{"planned", "Planned"}, {"under-way", "Under way"}, {"achieved", "Achieved"}, {"set-aside", "Set aside"}}
	ActivityStatuses  = []Choice{{"planned", "Planned"}, {"booked", "Booked"}, {"done", "Done"}}
)

// ChoiceLabel is the label of v among choices, or "" when v is not one.
func ChoiceLabel(choices []Choice, v string) string {
	for _, c := range choices {
		if c.Value == v {
			return c.Label
		}
	}
	return ""
}

// Limits of a development plan.
const (
	MaxDevelopmentText  = 2000
	MaxDevelopmentLinks = 10
)

// DevelopmentObjective is one line of a personal development plan: a need
// leads to an objective, a learning activity, a target date, evidence and
// at last a reflection. The objective and the activity each have a status.
type DevelopmentObjective struct {
	ID             int64
	PractitionerID int64
	NeedItem       string // the framework item the need is about, or ""
	Need           string // the need in the practitioner's words
	Objective      string
	Status         string // ObjectiveStatuses
	ActivityKind   string // a kind of learning activity's key, or ""
	Activity       string
	ActivityStatus string // ActivityStatuses
	TargetDate     string // YYYY-MM-DD, or ""
	Evidence       string
	Links          []string // web addresses of evidence
	Reflection     string
	Version        int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Validate checks the objective against the practice content. Errors are
// keyed by the form's field names.
func (o *DevelopmentObjective) Validate(c *PracticeContent) error {
	f := map[string]string{}
	for _, t := range []struct {
		key string
		v   *string
	}{{"need", &o.Need}, {"objective", &o.Objective}, {"activity", &o.Activity}, {"evidence", &o.Evidence}, {"reflection", &o.Reflection}} {
		*t.v = strings.TrimSpace(*t.v)
		if msg := TextProblem(*t.v); msg != "" {
			f[t.key] = msg
		} else if utf8.RuneCountInString(*t.v) > MaxDevelopmentText {
			f[t.key] = fmt.Sprintf("Please keep this to %d characters or fewer.", MaxDevelopmentText)
		}
	}
	if o.NeedItem != "" {
		if it, ok := c.Item(o.NeedItem); !ok || (it.Kind != KindKnowledge && it.Kind != KindSkills && it.Kind != KindValues) {
			f["need_item"] = "Choose an item of the framework, or none."
		}
	}
	if o.NeedItem == "" && o.Need == "" && f["need"] == "" {
		f["need"] = "Say what you want to develop, or choose it from the framework."
	}
	if o.Objective == "" {
		f["objective"] = "Write the objective: what you will be able to do."
	}
	if ChoiceLabel(ObjectiveStatuses, o.Status) == "" {
		f["status"] = "Choose where the objective stands."
	}
	if ChoiceLabel(ActivityStatuses, o.ActivityStatus) == "" {
		f["activity_status"] = "Choose where the learning activity stands."
	}
	if o.ActivityKind != "" {
		if it, ok := c.Item(o.ActivityKind); !ok || it.Kind != KindActivity {
			f["activity_kind"] = "Choose a kind of learning activity, or none."
		}
	}
	if o.TargetDate != "" {
		o.TargetDate = normalDay(o.TargetDate)
		if _, err := time.Parse("2006-01-02", o.TargetDate); err != nil {
			f["target_date"] = "Give the date, such as 31 March 2027."
		}
	}
	var links []string
	for _, l := range o.Links {
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		u, err := url.Parse(l)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(l) > 500 {
			f["links"] = "Give each link as a web address starting with https://, one to a line."
		}
		links = append(links, l)
	}
	keepable(f, "links", links...)
	if len(links) > MaxDevelopmentLinks {
		f["links"] = fmt.Sprintf("Give at most %d links.", MaxDevelopmentLinks)
	}
	o.Links = links
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

// DevelopmentComment is a comment on a shared development plan.
type DevelopmentComment struct {
	ID             int64
	PractitionerID int64
	AuthorID       int64
	AuthorName     string
	Text           string
	WrittenAt      time.Time
}

// DevelopmentSignOff is a supervisor's sign-off of a development plan as it
// stood.
type DevelopmentSignOff struct {
	ID             int64
	PractitionerID int64
	SupervisorID   int64
	SupervisorName string
	Note           string
	SignedAt       time.Time
}

// DevelopmentPlan is a practitioner's plan with what others have said of it.
type DevelopmentPlan struct {
	PractitionerID int64
	Objectives     []DevelopmentObjective
	Comments       []DevelopmentComment // oldest first
	SignOffs       []DevelopmentSignOff // newest first
	SharedWith     []Colleague
}

// LastChanged is when an objective was last written, or zero.
func (p *DevelopmentPlan) LastChanged() time.Time {
	var t time.Time
	for _, o := range p.Objectives {
		if o.UpdatedAt.After(t) {
			t = o.UpdatedAt
		}
	}
	return t
}

// ChangedSinceSignOff reports whether the plan has changed since its
// latest sign-off (false when never signed off).
func (p *DevelopmentPlan) ChangedSinceSignOff() bool {
	return len(p.SignOffs) > 0 && p.LastChanged().After(p.SignOffs[0].SignedAt)
}

// Colleague is a member of staff, by id and name.
type Colleague struct {
	ID   int64
	Name string
}

// Answers to a tip in a reflection.
var ReflectionAnswers = []Choice{{"yes", "Yes"}, {"partly", "Partly"}, {"no", "No"}}

// MaxReflectionNote is the longest note of a reflection.
const MaxReflectionNote = 1000

// Reflection is a practitioner's Ten Top Tips check after a session. It
// holds nothing about the person seen.
type Reflection struct {
	ID             int64
	PractitionerID int64
	TakenAt        time.Time
	Answers        map[string]string // tip key → yes, partly or no; a tip left out did not apply
	Note           string
}

// Validate checks the answers against the tips and the note for anything
// that could identify the person seen.
func (r *Reflection) Validate(c *PracticeContent) error {
	tips := map[string]bool{}
	for _, t := range c.Tips {
		tips[t.Key] = true
	}
	for k, v := range r.Answers {
		if !tips[k] || ChoiceLabel(ReflectionAnswers, v) == "" {
			return Errorf(EINVALID, "The tips have changed since this page was opened. Reload it and try again.")
		}
	}
	f := map[string]string{}
	if len(r.Answers) == 0 {
		f["answers"] = "Answer at least one of the tips."
	}
	r.Note = strings.TrimSpace(r.Note)
	if msg := TextProblem(r.Note); msg != "" {
		f["note"] = msg
	} else if utf8.RuneCountInString(r.Note) > MaxReflectionNote {
		f["note"] = fmt.Sprintf("Please keep the note to %d characters or fewer.", MaxReflectionNote)
	} else if msg := ReflectionNoteProblem(r.Note); msg != "" {
		f["note"] = msg
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

// TipPeriod is the answers to a tip in one period (a month).
type TipPeriod struct {
	Start           time.Time
	Yes, Partly, No int
}

// Total is the number of answers in the period.
func (p TipPeriod) Total() int { return p.Yes + p.Partly + p.No }

// DevelopmentTotals are a service's practitioners' development needs in
// total, with nothing that shows any one of them: counts of practitioners,
// from each one's latest self-assessment, and shown only when at least
// MinGroup practitioners stand behind them.
type DevelopmentTotals struct {
	Practitioners int            // practitioners of the service with a self-assessment
	Needs         map[string]int // framework item key → practitioners marking it a need
	// Reflections in the last 90 days, and how many practitioners made them.
	Reflections, Reflecting int
}

// Shown reports whether the totals may be shown.
func (t *DevelopmentTotals) Shown() bool { return EnoughPeople(t.Practitioners) }

// GroupNeeds is the number of needs marked in a framework group, counting
// a practitioner once per item.
func (t *DevelopmentTotals) GroupNeeds(c *PracticeContent, g PracticeKind) int {
	n := 0
	for _, it := range c.InGroup(g) {
		n += t.Needs[it.Key]
	}
	return n
}
