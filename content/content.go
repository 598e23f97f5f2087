// Package content reads the reference data Alongside keeps as files: the
// SRI 2 indicators and their reflective statements, and later the framework
// items, questionnaires and word lists. Each format is plain text with one
// item per line, so every mistake is reported with its line number and a bad
// file is refused whole.
package content

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/alongside-recovery/alongside"
)

// Problem is one mistake in a file, at a line.
type Problem struct {
	Line    int
	Message string
}

// Problems is every mistake found in a file; a file with any is refused.
type Problems []Problem

func (p Problems) Error() string {
	var b strings.Builder
	for i, x := range p {
		if i > 0 {
			b.WriteString("; ")
		}
		if x.Line > 0 {
			fmt.Fprintf(&b, "line %d: %s", x.Line, x.Message)
		} else {
			b.WriteString(x.Message)
		}
	}
	return b.String()
}

// Limits of a statement set.
const (
	MaxIndicators    = 20
	MaxStatementText = 300
	MaxShortName     = 24 // an indicator's short name: a table heading
	MaxFileBytes     = 1 << 20
)

// eachLine calls fn with the number and trimmed text of every line of r that
// is neither blank nor a "#" comment, after checking the file's size and
// each line's encoding; add records what is wrong, with its line.
func eachLine(r io.Reader, add func(line int, format string, args ...any), fn func(line int, text string)) {
	sc := bufio.NewScanner(io.LimitReader(r, MaxFileBytes+1))
	sc.Buffer(make([]byte, 64*1024), 64*1024)
	line, size := 0, 0
	for sc.Scan() {
		line++
		raw := sc.Text()
		size += len(raw) + 1
		if size > MaxFileBytes {
			add(line, "the file is larger than 1 MB")
			return
		}
		if !utf8.ValidString(raw) {
			add(line, "this line is not valid UTF-8 text")
			continue
		}
		if text := strings.TrimSpace(raw); text != "" && !strings.HasPrefix(text, "#") {
			fn(line, text)
		}
	}
	if err := sc.Err(); err != nil {
		add(line+1, "the file could not be read: %v", err)
	}
}

var keyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// ParseStatementSet reads a statement set (see content/sri2/FORMAT.md). It
// returns every problem it finds, each with its line, or the whole set.
func ParseStatementSet(r io.Reader) (*alongside.StatementSet, error) {
	var probs Problems
	add := func(line int, format string, args ...any) {
		probs = append(probs, Problem{line, fmt.Sprintf(format, args...)})
	}
	set := &alongside.StatementSet{}
	header := map[string]int{} // key → line it was first seen on
	keys := map[string]int{}
	var cur *alongside.Indicator
	var curLine int
	var nameLine, aboutLine, shortLine int
	finish := func() {
		if cur == nil {
			return
		}
		if nameLine == 0 {
			add(curLine, "indicator %q has no name: add a line \"name: …\"", cur.Key)
		}
		for _, src := range alongside.EvidenceSources {
			if len(cur.For(src)) == 0 {
				add(curLine, "indicator %q has no statement for %s: add a line \"%s: …\"", cur.Key, strings.ToLower(src.Label()), src)
			}
		}
		set.Indicators = append(set.Indicators, *cur)
	}

	eachLine(r, add, func(line int, text string) {
		key, value, ok := strings.Cut(text, ":")
		key, value = strings.TrimSpace(strings.ToLower(key)), strings.TrimSpace(value)
		if !ok || key == "" {
			add(line, "expected \"key: value\", like \"staff: We …\"")
			return
		}
		if value == "" {
			add(line, "%q has nothing after the colon", key)
			return
		}
		switch key {
		case "set", "version", "source":
			if cur != nil {
				add(line, "%q belongs in the header, before the first indicator", key)
				return
			}
			if first, seen := header[key]; seen {
				add(line, "%q is given twice (first on line %d)", key, first)
				return
			}
			header[key] = line
			switch key {
			case "set":
				set.Name = value
			case "source":
				set.Source = value
			case "version":
				v, err := strconv.Atoi(value)
				if err != nil || v < 1 {
					add(line, "the version must be a whole number of 1 or more, not %q", value)
				}
				set.Version = v
			}
		case "indicator":
			finish()
			if !keyPattern.MatchString(value) {
				add(line, "the indicator key %q must be lower-case letters, digits and hyphens, like \"basic-needs\"", value)
			} else if first, seen := keys[value]; seen {
				add(line, "the indicator key %q is used twice (first on line %d)", value, first)
			}
			keys[value] = line
			cur, curLine, nameLine, aboutLine, shortLine = &alongside.Indicator{Key: value}, line, 0, 0, 0
			if len(keys) > MaxIndicators {
				add(line, "a set may have at most %d indicators", MaxIndicators)
			}
		case "name", "about", "short":
			if cur == nil {
				add(line, "%q must come after an \"indicator:\" line", key)
				return
			}
			seen := &nameLine
			switch key {
			case "about":
				seen = &aboutLine
			case "short":
				seen = &shortLine
			}
			if *seen != 0 {
				add(line, "indicator %q has a second %q (the first is on line %d)", cur.Key, key, *seen)
				return
			}
			*seen = line
			switch key {
			case "name":
				cur.Name = value
			case "short":
				if n := utf8.RuneCountInString(value); n > MaxShortName {
					add(line, "the short name is %d characters long; the most is %d, as it heads a table column", n, MaxShortName)
					return
				}
				cur.Short = value
			default:
				cur.About = value
			}
		default:
			src := alongside.EvidenceSource(key)
			if !src.Valid() {
				add(line, "unknown key %q: a statement line starts with assessments, care-plans, service-information, staff, people or carers", key)
				return
			}
			if cur == nil {
				add(line, "statements must come after an \"indicator:\" line")
				return
			}
			if n := utf8.RuneCountInString(value); n > MaxStatementText {
				add(line, "this statement is %d characters long; the most is %d", n, MaxStatementText)
				return
			}
			cur.Statements = append(cur.Statements, alongside.Statement{Source: src, Text: value})
		}
	})
	finish()
	for _, k := range []string{"set", "version", "source"} {
		if _, ok := header[k]; !ok {
			add(0, "the header has no %q line", k)
		}
	}
	if len(set.Indicators) == 0 {
		add(0, "the file has no indicators")
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return set, nil
}
