package content

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/alongside-recovery/alongside"
)

// Limits of a practice content file.
const (
	MaxPracticeText   = 200 // characters in an item's text
	MaxPracticeSource = 200 // characters in an item's source
	MaxPracticeItems  = 60  // items of one kind
	PracticeTips      = 10  // the Ten Top Tips: exactly this many
)

// practiceKinds are the kinds a practice file may use, in the order
// ParsePractice reports a missing one.
var practiceKinds = []alongside.PracticeKind{
	alongside.KindKnowledge, alongside.KindSkills, alongside.KindValues,
	alongside.KindTip, alongside.KindActivity, alongside.KindTraining,
}

// ParsePractice reads practice content (format in the header of
// content/practice/practice.txt): a "version: N" line, then one
// "kind | key | text | source" per line. It returns every problem it finds,
// each with its line, or the whole content. Items keep their file order
// within each kind; the framework holds knowledge, then skills, then values.
func ParsePractice(r io.Reader) (*alongside.PracticeContent, error) {
	var probs Problems
	add := func(line int, format string, args ...any) {
		probs = append(probs, Problem{line, fmt.Sprintf(format, args...)})
	}
	byKind := map[alongside.PracticeKind][]alongside.PracticeItem{}
	count := map[alongside.PracticeKind]int{} // items seen, good or not
	keys := map[string]int{}                  // key → line it was first seen on
	version, versionLine, items := "", 0, 0

	eachLine(r, add, func(line int, text string) {
		if !strings.Contains(text, "|") {
			name, value, ok := strings.Cut(text, ":")
			if !ok || strings.ToLower(strings.TrimSpace(name)) != "version" {
				add(line, "expected four parts separated by \"|\", like \"values | value-hope | I believe recovery is possible. | Realising Recovery, values, item 1\", or a line \"version: 1\"")
				return
			}
			value = strings.TrimSpace(value)
			switch {
			case versionLine != 0:
				add(line, "the version is given twice (first on line %d)", versionLine)
				return
			case items > 0:
				add(line, "the version line belongs at the top, before the first item")
			}
			versionLine = line
			if v, err := strconv.Atoi(value); err != nil || v < 1 {
				add(line, "the version must be a whole number of 1 or more, not %q", value)
			} else {
				version = strconv.Itoa(v)
			}
			return
		}
		items++
		parts := strings.Split(text, "|")
		kind := alongside.PracticeKind(strings.TrimSpace(parts[0]))
		known := false
		for _, k := range practiceKinds {
			known = known || kind == k
		}
		bad := false
		problem := func(format string, args ...any) {
			add(line, format, args...)
			bad = true
		}
		if known {
			// Counted even when the line has a mistake, so that a kind
			// whose only line is wrong is not also reported missing.
			count[kind]++
			switch {
			case kind == alongside.KindTip && count[kind] == PracticeTips+1:
				problem("there are more than %d tips: the Ten Top Tips need exactly %d", PracticeTips, PracticeTips)
			case kind != alongside.KindTip && count[kind] == MaxPracticeItems+1:
				problem("there may be at most %d items of kind %s", MaxPracticeItems, kind)
			}
		}
		if len(parts) != 4 {
			problem("expected four parts separated by \"|\" (kind | key | text | source), not %d", len(parts))
			return
		}
		if !known {
			problem("unknown kind %q: a line starts with knowledge, skills, values, tip, activity or training", kind)
		}
		it := alongside.PracticeItem{
			Kind:   kind,
			Key:    strings.TrimSpace(parts[1]),
			Text:   strings.TrimSpace(parts[2]),
			Source: strings.TrimSpace(parts[3]),
		}
		switch first, seen := keys[it.Key]; {
		case !keyPattern.MatchString(it.Key):
			problem("the key %q must be lower-case letters, digits and hyphens, at most 40 characters, like \"value-hope\"", it.Key)
		case seen:
			problem("the key %q is used twice (first on line %d)", it.Key, first)
		default:
			keys[it.Key] = line
		}
		name := it.Key
		if name == "" {
			name = "on this line"
		} else {
			name = strconv.Quote(name)
		}
		switch n := utf8.RuneCountInString(it.Text); {
		case n == 0:
			problem("item %s has no text", name)
		case n > MaxPracticeText:
			problem("the text of item %s is %d characters long; the most is %d", name, n, MaxPracticeText)
		case it.Kind == alongside.KindTip && (!strings.HasPrefix(it.Text, "Did I ") || !strings.HasSuffix(it.Text, "?")):
			problem("tip %s must be the question asked after a session, starting \"Did I\" and ending with \"?\"", name)
		}
		switch n := utf8.RuneCountInString(it.Source); {
		case n == 0:
			problem("item %s has no source: name where the idea comes from", name)
		case n > MaxPracticeSource:
			problem("the source of item %s is %d characters long; the most is %d", name, n, MaxPracticeSource)
		}
		if !bad {
			byKind[it.Kind] = append(byKind[it.Kind], it)
		}
	})

	if versionLine == 0 {
		add(0, "the file has no \"version: N\" line: add one at the top, such as \"version: 1\"")
	}
	for _, k := range practiceKinds {
		switch n := count[k]; {
		case k == alongside.KindTip && n < PracticeTips:
			add(0, "there are %d tips: the Ten Top Tips need exactly %d", n, PracticeTips)
		case n == 0:
			add(0, "the file has no %s items: add at least one line starting \"%s |\"", k, k)
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	c := &alongside.PracticeContent{
		Version:    version,
		Tips:       byKind[alongside.KindTip],
		Activities: byKind[alongside.KindActivity],
		Training:   byKind[alongside.KindTraining],
	}
	for _, g := range alongside.FrameworkGroups {
		c.Framework = append(c.Framework, byKind[g]...)
	}
	return c, nil
}
