package alongside

// Practitioner development (issue 5): a practitioner's self-assessment
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
