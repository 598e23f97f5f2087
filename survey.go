package alongside

// Surveys (issue 6): anonymous questionnaires a service or a network runs in
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
