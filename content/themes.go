package content

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/alongside-recovery/alongside"
)

// Limits of a themes file.
const (
	MaxThemes     = 100
	MaxThemeLabel = 60
	MaxThemeAbout = 200
)

// ParseThemes reads a themes list (format in the header of
// content/themes/themes.txt): one "key | label | description" per line. It
// returns every problem it finds, each with its line, or the whole list.
func ParseThemes(r io.Reader) ([]alongside.Theme, error) {
	var probs Problems
	add := func(line int, format string, args ...any) {
		probs = append(probs, Problem{line, fmt.Sprintf(format, args...)})
	}
	var out []alongside.Theme
	keys := map[string]int{} // key → line it was first seen on
	eachLine(r, add, func(line int, text string) {
		parts := strings.Split(text, "|")
		if len(parts) != 3 {
			add(line, "expected three parts separated by \"|\", like \"goal-setting | Goal setting | People set their own goals.\"")
			return
		}
		th := alongside.Theme{Key: strings.TrimSpace(parts[0]), Label: strings.TrimSpace(parts[1]), About: strings.TrimSpace(parts[2])}
		if !keyPattern.MatchString(th.Key) {
			add(line, "the theme key %q must be lower-case letters, digits and hyphens, like \"goal-setting\"", th.Key)
			return
		}
		if first, seen := keys[th.Key]; seen {
			add(line, "the theme key %q is used twice (first on line %d)", th.Key, first)
			return
		}
		keys[th.Key] = line
		switch {
		case th.Label == "":
			add(line, "theme %q has no label", th.Key)
		case utf8.RuneCountInString(th.Label) > MaxThemeLabel:
			add(line, "the label of theme %q is longer than %d characters", th.Key, MaxThemeLabel)
		case th.About == "":
			add(line, "theme %q has no description", th.Key)
		case utf8.RuneCountInString(th.About) > MaxThemeAbout:
			add(line, "the description of theme %q is longer than %d characters", th.Key, MaxThemeAbout)
		default:
			out = append(out, th)
		}
	})
	if len(out) > MaxThemes {
		add(0, "a list may have at most %d themes", MaxThemes)
	}
	if len(out) == 0 && len(probs) == 0 {
		add(0, "the file has no themes")
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return out, nil
}
