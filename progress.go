package alongside

import (
	"strings"
	"time"
	"unicode/utf8"
)

// My progress: the person chooses the parts of life that matter to them and
// rates each from 0 to 10 whenever they like, to see change over time. Our
// own simple design, not a licensed instrument.

// SectionProgress is how progress is shared with supporters and listed on
// the plan.
const SectionProgress = "progress"

// SuggestedAreas are offered when choosing areas; the person may name
// their own.
var SuggestedAreas = []string{"Home", "Money", "Health", "Sleep", "Mood", "Friends and family",
	"Work, learning or volunteering", "Things I enjoy", "Feeling in control", "Hope for the future"}

// ProgressRating is one rating of one area.
type ProgressRating struct {
	Area    string
	Rating  int // 0 to 10
	RatedAt time.Time
}

// CleanArea checks an area's name: trimmed, 1 to 60 characters.
func CleanArea(name string) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	if msg := TextProblem(name); msg != "" {
		return "", Invalid(map[string]string{"area": msg})
	}
	if name == "" || utf8.RuneCountInString(name) > 60 {
		return "", Invalid(map[string]string{"area": "Give the area a name of up to 60 characters."})
	}
	return name, nil
}
