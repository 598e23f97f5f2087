package content

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/alongside-recovery/alongside/language"
)

// Limits of a language suggestions file.
const (
	MaxSuggestions         = 1000 // entries in a list
	MaxSuggestionPhrase    = 80   // characters in a phrase or a form
	MaxSuggestionReason    = 300  // characters in a reason
	MaxSuggestionAlternate = 120  // characters in an alternative, and in an unless phrase
	MaxSuggestionValues    = 12   // forms, alternatives or unless phrases in one entry
	MaxSuggestionSource    = 300  // characters in the source
)

// suggestionParser holds what ParseSuggestions has read so far.
type suggestionParser struct {
	list    language.List
	probs   Problems
	header  map[string]int // header key → the line it was first seen on
	stems   map[string]int // StemKey of every phrase and form → its line
	phrases map[string]string
	count   int // entries seen, good or not

	// The entry being read: nil before the first "phrase:" line.
	cur     *language.Entry
	curLine int
	fields  map[string]int // the entry's keys → their lines
	unless  []int          // the line of each of cur.Unless
}

func (p *suggestionParser) add(line int, format string, args ...any) {
	p.probs = append(p.probs, Problem{line, fmt.Sprintf(format, args...)})
}

// tooLong reports, and says whether, value is longer than most characters.
func (p *suggestionParser) tooLong(line int, what, value string, most int) bool {
	if n := utf8.RuneCountInString(value); n > most {
		p.add(line, "%s is %d characters long; the most is %d", what, n, most)
		return true
	}
	return false
}

// ParseSuggestions reads a list of language suggestions (format in the
// header of content/language/suggestions.txt). It returns every problem it
// finds, each with its line, or the whole list, its entries in file order.
func ParseSuggestions(r io.Reader) (*language.List, error) {
	p := &suggestionParser{header: map[string]int{}, stems: map[string]int{}, phrases: map[string]string{}}
	eachLine(r, p.add, p.line)
	p.finish()
	for _, k := range []string{"version", "source"} {
		if _, ok := p.header[k]; !ok {
			p.add(0, "the header has no %q line: add one at the top, like \"%s: …\"", k, k)
		}
	}
	if p.count == 0 {
		p.add(0, "the list has no entries: add one, starting with a line \"phrase: …\"")
	}
	if len(p.probs) > 0 {
		return nil, p.probs
	}
	return &p.list, nil
}

// line reads one line that is neither blank nor a comment.
func (p *suggestionParser) line(line int, text string) {
	key, value, ok := strings.Cut(text, ":")
	key, value = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(value)
	if !ok || key == "" || strings.ContainsAny(key, " \t") {
		p.add(line, "expected \"key: value\", like \"phrase: non-compliant\"")
		return
	}
	switch key {
	case "version", "source":
		p.headerLine(line, key, value)
	case "phrase":
		p.phrase(line, value)
	case "forms", "category", "reason", "instead", "unless":
		p.field(line, key, value)
	default:
		p.add(line, "unknown key %q: an entry has phrase, forms, category, reason, instead and unless; the header has version and source", key)
	}
}

// headerLine reads a line of the header.
func (p *suggestionParser) headerLine(line int, key, value string) {
	if p.cur != nil || p.count > 0 {
		p.add(line, "%q belongs in the header, before the first phrase", key)
		return
	}
	if first, seen := p.header[key]; seen {
		p.add(line, "%q is given twice (first on line %d)", key, first)
		return
	}
	p.header[key] = line
	switch {
	case value == "":
		p.add(line, "%q has nothing after the colon", key)
	case key == "version":
		if v, err := strconv.Atoi(value); err != nil || v < 1 {
			p.add(line, "the version must be a whole number of 1 or more, not %q", value)
		} else {
			p.list.Version = v
		}
	case !p.tooLong(line, "the source", value, MaxSuggestionSource):
		p.list.Source = value
	}
}

// phrase starts an entry.
func (p *suggestionParser) phrase(line int, value string) {
	p.finish()
	p.count++
	if p.count == MaxSuggestions+1 {
		p.add(line, "a list may have at most %d entries", MaxSuggestions)
	}
	p.cur = &language.Entry{Phrase: value, Key: language.Key(value), Line: line}
	p.curLine, p.fields, p.unless = line, map[string]int{"phrase": line}, nil
	if value == "" {
		p.add(line, "\"phrase\" has nothing after the colon: write the words to suggest against, like \"phrase: non-compliant\"")
		return
	}
	p.words(line, "the phrase", value)
}

// words checks a phrase or form: its length, that it has words, and that no
// other phrase or form matches the same words.
func (p *suggestionParser) words(line int, what, value string) {
	if p.tooLong(line, what+" "+strconv.Quote(value), value, MaxSuggestionPhrase) {
		return
	}
	sk := language.StemKey(value)
	if sk == "" {
		p.add(line, "%s %q has no words: write it in letters or digits", what, value)
		return
	}
	if first, seen := p.stems[sk]; seen {
		p.add(line, "%s %q matches the same words as %q on line %d: an entry's phrase and forms must differ from each other and from every other entry's (hyphens, spaces, capitals and endings like -s, -ed and -ing already match alike)", what, value, p.phrases[sk], first)
		return
	}
	p.stems[sk], p.phrases[sk] = line, value
}

// field reads a line of an entry after its "phrase:".
func (p *suggestionParser) field(line int, key, value string) {
	if p.cur == nil {
		p.add(line, "%q must come after a \"phrase:\" line", key)
		return
	}
	if first, seen := p.fields[key]; seen {
		p.add(line, "the entry %q has a second %q (the first is on line %d)", p.cur.Phrase, key, first)
		return
	}
	p.fields[key] = line
	if value == "" {
		if key == "forms" || key == "unless" {
			return // may be left empty
		}
		p.add(line, "%q has nothing after the colon", key)
		return
	}
	switch key {
	case "category":
		c := language.Category(strings.ToLower(value))
		if !c.Valid() {
			p.add(line, "unknown category %q: write deficit, label, paternalistic or pessimistic", value)
			return
		}
		p.cur.Category = c
	case "reason":
		if !p.tooLong(line, "the reason", value, MaxSuggestionReason) {
			p.cur.Reason = value
		}
	case "forms":
		for _, f := range p.values(line, key, value) {
			p.words(line, "the form", f)
			p.cur.Forms = append(p.cur.Forms, f)
		}
	case "instead":
		for _, a := range p.values(line, key, value) {
			if !p.tooLong(line, "the alternative "+strconv.Quote(a), a, MaxSuggestionAlternate) {
				p.cur.Instead = append(p.cur.Instead, a)
			}
		}
	case "unless":
		for _, u := range p.values(line, key, value) {
			if p.tooLong(line, "the unless phrase "+strconv.Quote(u), u, MaxSuggestionAlternate) {
				continue
			}
			p.cur.Unless = append(p.cur.Unless, u)
			p.unless = append(p.unless, line)
		}
	}
}

// values splits a " | " separated value, reporting empty values and too
// many of them.
func (p *suggestionParser) values(line int, key, value string) []string {
	parts := strings.Split(value, "|")
	var out []string
	empty := false
	for _, s := range parts {
		if s = strings.TrimSpace(s); s == "" {
			empty = true
		} else {
			out = append(out, s)
		}
	}
	if empty {
		p.add(line, "%q has an empty value: put one between each pair of \"|\", like \"%s: one | two\"", key, key)
	}
	if len(out) > MaxSuggestionValues {
		p.add(line, "%q has %d values; the most is %d", key, len(out), MaxSuggestionValues)
	}
	return out
}

// finish checks the entry being read, if any, and keeps it.
func (p *suggestionParser) finish() {
	e := p.cur
	if e == nil {
		return
	}
	p.cur = nil
	for _, f := range []struct{ key, like string }{
		{"category", "category: deficit"},
		{"reason", "reason: It can make … sound like …"},
		{"instead", "instead: one way of putting it | another"},
	} {
		if _, ok := p.fields[f.key]; !ok {
			p.add(p.curLine, "the entry %q has no %s: add a line like \"%s\"", e.Phrase, f.key, f.like)
		}
	}
	// Each unless phrase must contain the phrase or a form, word by word,
	// or it could never excuse a match.
	var inner []string
	for _, s := range append([]string{e.Phrase}, e.Forms...) {
		if sk := language.StemKey(s); sk != "" {
			inner = append(inner, " "+sk+" ")
		}
	}
	for i, u := range e.Unless {
		outer := " " + language.StemKey(u) + " "
		found := false
		for _, in := range inner {
			found = found || strings.Contains(outer, in)
		}
		if !found && len(inner) > 0 {
			p.add(p.unless[i], "the unless phrase %q does not contain the phrase %q or one of its forms, so it would never stop a suggestion", u, e.Phrase)
		}
	}
	p.list.Entries = append(p.list.Entries, *e)
}
