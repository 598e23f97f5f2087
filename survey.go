package alongside

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Surveys: anonymous questionnaires a service or a network runs in
// waves (a baseline, then follow-ups). The questionnaires are content
// (content/surveys), not code.

// ItemType is the kind of answer a questionnaire item takes.
type ItemType string

const (
	ItemAgree5  ItemType = "agree5"  // 1 strongly disagree … 5 strongly agree
	ItemYesNo   ItemType = "yesno"   // yes or no
	ItemScale10 ItemType = "scale10" // 0 to 10
	ItemText    ItemType = "text"    // a short free text
)

// Scored reports whether answers to the item are numbers that can be
// averaged (free text is not).
func (t ItemType) Scored() bool { return t == ItemAgree5 || t == ItemYesNo || t == ItemScale10 }

// SurveyDomain is a group of a questionnaire's items, scored together.
type SurveyDomain struct {
	Key  string
	Name string
}

// SurveyItem is one question of a questionnaire.
type SurveyItem struct {
	Key    string // stable within the questionnaire: stored answers refer to it
	Domain string // the key of its domain
	Type   ItemType
	Text   string
}

// Audience is who a questionnaire is for.
type Audience string

const (
	AudienceStaff  Audience = "staff"
	AudiencePeople Audience = "people" // people using the service
	AudienceCarers Audience = "carers"
)

// Questionnaire is a version of a questionnaire.
type Questionnaire struct {
	Key      string // stable across versions, such as "staff-knowledge"
	Version  int
	Title    string
	Audience Audience
	Intro    string // shown to the respondent before the questions
	Source   string // where the wording comes from
	Domains  []SurveyDomain
	Items    []SurveyItem
}

// Item finds an item by its key.
func (q *Questionnaire) Item(key string) (SurveyItem, bool) {
	for _, it := range q.Items {
		if it.Key == key {
			return it, true
		}
	}
	return SurveyItem{}, false
}

// InDomain is the questionnaire's items of one domain, in order.
func (q *Questionnaire) InDomain(domain string) []SurveyItem {
	var out []SurveyItem
	for _, it := range q.Items {
		if it.Domain == domain {
			out = append(out, it)
		}
	}
	return out
}

// Survey is a questionnaire run for a service, or for a whole network when
// ServiceID is 0, in waves.
type Survey struct {
	ID            int64
	OrgID         int64
	ServiceID     int64  // 0: every service of the network
	ServiceName   string // "" for a network survey
	Title         string
	Questionnaire *Questionnaire // as it stood when the survey began
	Body          string         // the questionnaire's file, stored with the survey
	RateLimit     int            // answers a minute one link takes
	CreatedBy     int64
	CreatedAt     time.Time
	Version       int
	Waves         []Wave // oldest first
}

// Limits of a survey.
const (
	DefaultSurveyRateLimit = 600 // answers a minute through one link: a whole team at once, and more
	MaxSurveyRateLimit     = 1000000
	MaxSurveyText          = 500 // the longest free-text answer
)

// Validate checks what a manager sets. Errors are keyed by field.
func (s *Survey) Validate() error {
	f := map[string]string{}
	s.Title = strings.TrimSpace(s.Title)
	switch {
	case s.Title == "":
		f["title"] = "Give the survey a title, such as “Staff recovery survey 2027”."
	case utf8.RuneCountInString(s.Title) > 200:
		f["title"] = "Keep the title to 200 characters or fewer."
	}
	keepable(f, "title", s.Title)
	if s.RateLimit < 10 || s.RateLimit > MaxSurveyRateLimit {
		f["rate_limit"] = fmt.Sprintf("Give a number of answers a minute from 10 to %d.", MaxSurveyRateLimit)
	}
	if s.Questionnaire == nil {
		f["questionnaire"] = "Choose a questionnaire."
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

// Wave is one round of a survey, open between two dates (inclusive, in the deployment's zone).
type Wave struct {
	ID        int64
	SurveyID  int64
	Label     string // "Baseline", "Follow-up 1"
	Baseline  bool
	OpensOn   string // YYYY-MM-DD
	ClosesOn  string // YYYY-MM-DD
	Token     string // the anonymous link's token
	Responses int
	Version   int // of the name and dates
}

// Validate checks the wave's label and dates. Errors are keyed by field.
func (w *Wave) Validate() error {
	f := map[string]string{}
	w.Label = strings.TrimSpace(w.Label)
	if w.Label == "" || utf8.RuneCountInString(w.Label) > 60 {
		f["label"] = "Give the wave a short name, such as “Baseline” or “Follow-up”."
	}
	keepable(f, "label", w.Label)
	w.OpensOn, w.ClosesOn = normalDay(w.OpensOn), normalDay(w.ClosesOn)
	opens, err1 := time.Parse("2006-01-02", w.OpensOn)
	closes, err2 := time.Parse("2006-01-02", w.ClosesOn)
	if err1 != nil {
		f["opens_on"] = "Give the opening date, such as 1 March 2027."
	}
	if err2 != nil {
		f["closes_on"] = "Give the closing date, such as 31 March 2027."
	} else if err1 == nil && closes.Before(opens) {
		f["closes_on"] = "The closing date must be on or after the opening date."
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

// OpenOn reports whether the wave takes answers on the given day: the date
// now has in its own location, so give it in the deployment's zone.
func (w *Wave) OpenOn(now time.Time) bool {
	day := now.Format("2006-01-02")
	return day >= w.OpensOn && day <= w.ClosesOn
}

// SurveyAnswer is a response as given: item key → the answer as sent
// ("1"–"5", "yes"/"no", "0"–"10", or text); an item left out is skipped.
type SurveyAnswer map[string]string

// Check checks each answer against its item's type, and free text for
// anything that would identify someone. Errors are keyed by item.
func (q *Questionnaire) Check(a SurveyAnswer) error {
	f := map[string]string{}
	for key, v := range a {
		it, ok := q.Item(key)
		if !ok {
			return Errorf(EINVALID, "This questionnaire has changed since the page was opened. Reload it and try again.")
		}
		if _, ok := it.Type.Value(v); !ok && it.Type.Scored() {
			f[key] = "Choose one of the answers, or leave this one out."
		}
		if it.Type == ItemText {
			if msg := TextProblem(v); msg != "" {
				f[key] = msg
			} else if utf8.RuneCountInString(v) > MaxSurveyText {
				f[key] = fmt.Sprintf("Please keep this to %d characters or fewer.", MaxSurveyText)
			} else if msg := IdentifierProblem(v); msg != "" {
				f[key] = msg
			}
		}
	}
	answered := false
	for _, v := range a {
		answered = answered || strings.TrimSpace(v) != ""
	}
	if !answered && len(f) == 0 {
		f["answers"] = "Answer at least one question."
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

// Value is the number an answer of the type scores: 1–5, 1 for yes and 0
// for no, 0–10.
func (t ItemType) Value(v string) (float64, bool) {
	switch t {
	case ItemYesNo:
		switch v {
		case "yes":
			return 1, true
		case "no":
			return 0, true
		}
		return 0, false
	case ItemAgree5, ItemScale10:
		n, err := strconv.Atoi(v)
		hi := 5
		lo := 1
		if t == ItemScale10 {
			lo, hi = 0, 10
		}
		if err != nil || n < lo || n > hi || strconv.Itoa(n) != v {
			return 0, false
		}
		return float64(n), true
	}
	return 0, false
}

// Choices are the answers a scored item offers, in order.
func (t ItemType) Choices() []Choice {
	switch t {
	case ItemAgree5:
		return []Choice{{"1", "Strongly disagree"}, {"2", "Disagree"}, {"3", "Neither agree nor disagree"}, {"4", "Agree"}, {"5", "Strongly agree"}}
	case ItemYesNo:
		return []Choice{{"yes", "Yes"}, {"no", "No"}}
	case ItemScale10:
		var out []Choice
		for i := 0; i <= 10; i++ {
			out = append(out, Choice{strconv.Itoa(i), strconv.Itoa(i)})
		}
		return out
	}
	return nil
}

// DomainScores are a response's score in each domain: the mean of its
// answered scored items, each put on a 0–1 scale so that item types mix
// fairly (agree5: (v−1)/4; yes/no: 1 or 0; scale10: v/10), then shown ×100.
func (q *Questionnaire) DomainScores(a SurveyAnswer) map[string]float64 {
	out := map[string]float64{}
	for _, d := range q.Domains {
		sum, n := 0.0, 0
		for _, it := range q.InDomain(d.Key) {
			v, ok := it.Type.Value(a[it.Key])
			if !ok {
				continue
			}
			switch it.Type {
			case ItemAgree5:
				v = (v - 1) / 4
			case ItemScale10:
				v = v / 10
			}
			sum += v
			n++
		}
		if n > 0 {
			out[d.Key] = 100 * sum / float64(n)
		}
	}
	return out
}

// NormalisePairCode turns a respondent's own code into the form compared
// between waves: case, spaces and punctuation do not matter. It returns ""
// for no code, and false for a code too short or long to pair reliably.
func NormalisePairCode(code string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToLower(code) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	n := utf8.RuneCountInString(b.String())
	if n == 0 {
		return "", strings.TrimSpace(code) == ""
	}
	return b.String(), n >= 4 && n <= 40
}
