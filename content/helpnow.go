package content

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/alongside-recovery/alongside"
)

// Limits of a help-now list.
const (
	MaxHelpLines    = 10
	MaxHelpLineName = 60
	MaxHelpLineWhen = 200
)

// ParseHelpNow reads an "If you need help now" list (format in the header
// of content/helpnow/helpnow.txt): one "name | number | when to call" per
// line, each number one UK telephone number (alongside.FindPhoneNumbers).
// It returns every problem it finds, each with its line, or the whole list.
func ParseHelpNow(r io.Reader) ([]alongside.HelpLine, error) {
	var probs Problems
	add := func(line int, format string, args ...any) {
		probs = append(probs, Problem{line, fmt.Sprintf(format, args...)})
	}
	var out []alongside.HelpLine
	count := 0
	eachLine(r, add, func(line int, text string) {
		count++
		parts := strings.Split(text, "|")
		if len(parts) != 3 {
			add(line, "expected three parts separated by \"|\", like \"Samaritans | 116 123 | Any time, day or night.\"")
			return
		}
		h := alongside.HelpLine{Name: strings.TrimSpace(parts[0]), Number: strings.TrimSpace(parts[1]), When: strings.TrimSpace(parts[2])}
		nums := alongside.FindPhoneNumbers(h.Number)
		switch {
		case h.Name == "":
			add(line, "the line has no name: say who answers, like \"Samaritans\"")
		case utf8.RuneCountInString(h.Name) > MaxHelpLineName:
			add(line, "the name %q is longer than %d characters", h.Name, MaxHelpLineName)
		case h.Number == "":
			add(line, "%s has no number", h.Name)
		case len(nums) != 1 || nums[0].Start != 0 || nums[0].End != len(h.Number):
			add(line, "%q is not a UK telephone number as people dial it, like 116 123 or 0141 123 4567", h.Number)
		case h.When == "":
			add(line, "%s has no words on when to call", h.Name)
		case utf8.RuneCountInString(h.When) > MaxHelpLineWhen:
			add(line, "what %s is for is longer than %d characters", h.Name, MaxHelpLineWhen)
		default:
			h.Tel = nums[0].Tel
			out = append(out, h)
		}
	})
	if count == 0 {
		add(0, "the list has no numbers: add one line like \"Samaritans | 116 123 | Any time, day or night.\"")
	} else if count > MaxHelpLines {
		add(0, "a list may have at most %d numbers; this one has %d", MaxHelpLines, count)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return out, nil
}
