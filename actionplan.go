package alongside

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// The action plan of a review: once the evidence is gathered, the team
// writes down, per indicator, the strengths to build on and the areas for
// development, then agrees actions and follows them up. Plans are about the
// service, never about a person, so free text is checked for identifiers.

// Theme is a kind of change that action plans commonly share, such as
// "involving carers". Themes let a network see what its services work on.
type Theme struct {
	Key   string // stable, e.g. "involving-carers"
	Label string
	About string
}

// ActionStatus is where an action has got to.
type ActionStatus string

const (
	ActionPlanned       ActionStatus = "planned"
	ActionUnderWay      ActionStatus = "under_way"
	ActionDone          ActionStatus = "done"
	ActionNotGoingAhead ActionStatus = "not_going_ahead"
)

// ActionStatuses lists the statuses in the order they are offered.
var ActionStatuses = []ActionStatus{ActionPlanned, ActionUnderWay, ActionDone, ActionNotGoingAhead}

// Label is the status in plain English.
func (s ActionStatus) Label() string {
	switch s {
	case ActionPlanned:
		return "Planned"
	case ActionUnderWay:
		return "Under way"
	case ActionDone:
		return "Done"
	case ActionNotGoingAhead:
		return "Not going ahead"
	}
	return string(s)
}

// Valid reports whether s is one of the statuses.
func (s ActionStatus) Valid() bool {
	for _, x := range ActionStatuses {
		if s == x {
			return true
		}
	}
	return false
}

// Closed reports whether the action needs no more follow-up.
func (s ActionStatus) Closed() bool { return s == ActionDone || s == ActionNotGoingAhead }

// Limits of what a plan holds.
const (
	MaxFindingText = 4000 // strengths, or areas for development, per indicator
	MaxActionWhat  = 500
	MaxActionWho   = 200
	MaxPlanNote    = 2000 // a progress note or an example of change
)

// PlanOpen reports whether the review's action plan may be written: from
// action planning on, and after completion too, since actions are followed
// up after the review ends.
func (r *Review) PlanOpen() bool {
	return r.Stage == StageActionPlanning || r.Stage == StageComplete
}

// PlanClosed is the refusal of a write to a plan that is not open yet.
func PlanClosed(stage Stage) error {
	return Errorf(ECONFLICT, "The action plan is written once the evidence is gathered. This review is at “%s”: move it on to action planning first.", stage.Label())
}

// Finding is what the team found for one indicator: strengths to build on
// and areas for development.
type Finding struct {
	ReviewID      int64
	Indicator     string
	Strengths     string
	Areas         string
	Version       int // 0 when nothing has been saved for the indicator yet
	UpdatedBy     int64
	UpdatedByName string
	UpdatedAt     time.Time
}

// Validate checks a finding against the review's statement set. Field names
// match the form: "strengths", "areas".
func (f *Finding) Validate(set *StatementSet) error {
	if !hasIndicator(set, f.Indicator) {
		return Errorf(EINVALID, "There is no such indicator in this review. Reload the page and try again.")
	}
	fields := map[string]string{}
	f.Strengths, f.Areas = strings.TrimSpace(f.Strengths), strings.TrimSpace(f.Areas)
	checkText(fields, "strengths", f.Strengths, MaxFindingText)
	checkText(fields, "areas", f.Areas, MaxFindingText)
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}

// Action is one thing the team agreed to do, followed up over time.
type Action struct {
	ID            int64
	ReviewID      int64
	What          string
	Who           string // free text, e.g. "Team leader and two peer workers"
	Due           string // "YYYY-MM-DD", or "" for no date
	Status        ActionStatus
	Indicators    []string // indicator keys of the review's statement set
	Themes        []string // theme keys
	Version       int
	CreatedBy     int64
	CreatedByName string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Notes         []ProgressNote  // oldest first
	Examples      []ChangeExample // oldest first
}

// DateLayout is how a due date is written and stored.
const DateLayout = "2006-01-02"

// Validate checks an action against the review's statement set and the
// themes. Field names match the form: "what", "who", "due", "status",
// "indicators", "themes".
func (a *Action) Validate(set *StatementSet, themes []Theme) error {
	fields := map[string]string{}
	a.What, a.Who, a.Due = strings.TrimSpace(a.What), strings.TrimSpace(a.Who), strings.TrimSpace(a.Due)
	if a.What == "" {
		fields["what"] = "Say what will be done, like “Ask carers to join the next team meeting”."
	} else {
		checkText(fields, "what", a.What, MaxActionWhat)
	}
	checkText(fields, "who", a.Who, MaxActionWho)
	if a.Due != "" {
		a.Due = normalDay(a.Due)
		if t, err := time.Parse(DateLayout, a.Due); err != nil || t.Year() < 2000 || t.Year() > 2200 {
			fields["due"] = "Give the date as a real date, such as 30 June 2027, or leave it empty."
		}
	}
	if !a.Status.Valid() {
		fields["status"] = "Choose where the action has got to."
	}
	for _, k := range a.Indicators {
		if !hasIndicator(set, k) {
			fields["indicators"] = "Choose indicators from this review’s list."
		}
	}
	known := map[string]bool{}
	for _, th := range themes {
		known[th.Key] = true
	}
	for _, k := range a.Themes {
		if !known[k] {
			fields["themes"] = "Choose themes from the list."
		}
	}
	a.Indicators, a.Themes = unique(a.Indicators), unique(a.Themes)
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}

// DueDate is the due date as a time (zero when there is none).
func (a *Action) DueDate() time.Time {
	t, _ := time.Parse(DateLayout, a.Due)
	return t
}

// Overdue reports whether the action was due before today and is still
// open. today is a time on the day in question (from the store's clock).
func (a *Action) Overdue(today time.Time) bool {
	return a.Due != "" && !a.Status.Closed() && a.Due < today.Format(DateLayout)
}

// ProgressNote is a dated note on how an action is going. Notes are only
// ever added, so the plan keeps its history.
type ProgressNote struct {
	ID            int64
	ActionID      int64
	Text          string
	WrittenBy     int64
	WrittenByName string
	WrittenAt     time.Time
}

// Validate checks the note's text. Field name: "text".
func (n *ProgressNote) Validate() error {
	return validateNote(&n.Text, "Write how the action is going.")
}

// ChangeExample is an example of change in practice that an action led to.
type ChangeExample struct {
	ID          int64
	ActionID    int64
	Text        string
	AddedBy     int64
	AddedByName string
	AddedAt     time.Time
}

// Validate checks the example's text. Field name: "text".
func (e *ChangeExample) Validate() error {
	return validateNote(&e.Text, "Describe what has changed in practice.")
}

// ActionPlan is a review's whole plan.
type ActionPlan struct {
	ReviewID int64
	Findings map[string]Finding // by indicator key; absent until first saved
	Actions  []Action           // oldest first
}

func validateNote(text *string, empty string) error {
	fields := map[string]string{}
	*text = strings.TrimSpace(*text)
	if *text == "" {
		fields["text"] = empty
	} else {
		checkText(fields, "text", *text, MaxPlanNote)
	}
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}

// checkText records a message when text is too long or looks identifying.
func checkText(fields map[string]string, name, text string, limit int) {
	if msg := TextProblem(text); msg != "" {
		fields[name] = msg
	} else if utf8.RuneCountInString(text) > limit {
		fields[name] = fmt.Sprintf("Keep this to %d characters or fewer.", limit)
	} else if msg := IdentifierProblem(text); msg != "" {
		fields[name] = msg
	}
}

func hasIndicator(set *StatementSet, key string) bool {
	for _, in := range set.Indicators {
		if in.Key == key {
			return true
		}
	}
	return false
}

func unique(keys []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
