package content

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/alongside-recovery/alongside"
)

// Limits of a questionnaire file.
const (
	MaxSurveyItems      = 100  // items in a questionnaire
	MaxSurveyDomains    = 20   // domains in a questionnaire
	MaxSurveyItemText   = 300  // characters in an item's text
	MaxSurveyTitle      = 120  // characters in the title
	MaxSurveyIntro      = 1000 // characters in the intro
	MaxSurveySource     = 300  // characters in the source
	MaxSurveyDomainName = 100  // characters in a domain's name
)

// surveyHeader is the header's keys, in the order a missing one is
// reported, with the most characters each value may have (0: checked
// otherwise) and whether the key is required.
var surveyHeader = []struct {
	key      string
	most     int
	required bool
}{
	{"questionnaire", 0, true},
	{"version", 0, true},
	{"title", MaxSurveyTitle, true},
	{"audience", 0, true},
	{"intro", MaxSurveyIntro, false},
	{"source", MaxSurveySource, true},
}

// surveyAudiences are the audiences a questionnaire may be for.
var surveyAudiences = []alongside.Audience{alongside.AudienceStaff, alongside.AudiencePeople, alongside.AudienceCarers}

// itemTypes are the item types a questionnaire may use.
var itemTypes = []alongside.ItemType{alongside.ItemAgree5, alongside.ItemYesNo, alongside.ItemScale10, alongside.ItemText}

func isItemType(s string) bool {
	for _, t := range itemTypes {
		if string(t) == s {
			return true
		}
	}
	return false
}

// questionnaireParser holds what ParseQuestionnaire has read so far.
type questionnaireParser struct {
	q         alongside.Questionnaire
	probs     Problems
	header    map[string]int // header key → the line it was first seen on
	domains   map[string]int // domain key → line
	items     map[string]int // item key → line
	itemLines int            // item lines with a known type, good or not

	// The domain being read: nil before the first "domain:" line.
	cur                        *alongside.SurveyDomain
	curLine, nameLine, curRows int
}

func (p *questionnaireParser) add(line int, format string, args ...any) {
	p.probs = append(p.probs, Problem{line, fmt.Sprintf(format, args...)})
}

// tooLong reports, and says whether, value is longer than most characters.
func (p *questionnaireParser) tooLong(line int, what, value string, most int) bool {
	if n := utf8.RuneCountInString(value); n > most {
		p.add(line, "%s is %d characters long; the most is %d", what, n, most)
		return true
	}
	return false
}

// ParseQuestionnaire reads a version of a questionnaire (see
// content/surveys/FORMAT.md). It returns every problem it finds, each with
// its line, or the whole questionnaire, its domains and items in file order.
func ParseQuestionnaire(r io.Reader) (*alongside.Questionnaire, error) {
	p := &questionnaireParser{header: map[string]int{}, domains: map[string]int{}, items: map[string]int{}}
	eachLine(r, p.add, p.line)
	p.finishDomain()
	for _, h := range surveyHeader {
		if _, ok := p.header[h.key]; h.required && !ok {
			p.add(0, "the header has no %q line: add one at the top, like \"%s: …\"", h.key, h.key)
		}
	}
	if p.itemLines == 0 {
		p.add(0, "the questionnaire has no items: add a \"domain:\" line, a \"name:\" line and items under it")
	}
	if len(p.probs) > 0 {
		return nil, p.probs
	}
	return &p.q, nil
}

// line reads one line that is neither blank nor a comment.
func (p *questionnaireParser) line(line int, text string) {
	left, value, ok := strings.Cut(text, ":")
	value = strings.TrimSpace(value)
	words := strings.Fields(left)
	if !ok {
		if len(words) > 1 && isItemType(strings.ToLower(words[0])) {
			p.add(line, "an item needs a colon after its key, like \"%s my-key: the question\"", strings.ToLower(words[0]))
		} else {
			p.add(line, "expected \"key: value\", like \"title: …\", or an item, like \"agree5 my-key: the question\"")
		}
		return
	}
	switch len(words) {
	case 1:
		p.keyword(line, strings.ToLower(words[0]), value)
	case 2:
		if typ := strings.ToLower(words[0]); isItemType(typ) {
			p.item(line, alongside.ItemType(typ), words[1], value)
		} else {
			p.add(line, "unknown item type %q: an item line starts with agree5, yesno, scale10 or text, then the item's key", words[0])
		}
	default:
		p.add(line, "expected \"key: value\", like \"title: …\", or an item, like \"agree5 my-key: the question\"")
	}
}

// keyword reads a "key: value" line of the header or of a domain.
func (p *questionnaireParser) keyword(line int, key, value string) {
	switch key {
	case "domain":
		p.domain(line, value)
		return
	case "name":
		p.domainName(line, value)
		return
	}
	known := false
	most := 0
	for _, h := range surveyHeader {
		if h.key == key {
			known, most = true, h.most
		}
	}
	switch {
	case !known && isItemType(key):
		p.add(line, "the item has no key: write the type, then a key, then a colon, like \"%s my-key: the question\"", key)
		return
	case !known:
		p.add(line, "unknown key %q: the header has questionnaire, version, title, audience, intro and source; a domain has domain and name", key)
		return
	case p.cur != nil:
		p.add(line, "%q belongs in the header, before the first domain", key)
		return
	}
	if first, seen := p.header[key]; seen {
		p.add(line, "%q is given twice (first on line %d)", key, first)
		return
	}
	p.header[key] = line
	if value == "" {
		p.add(line, "%q has nothing after the colon", key)
		return
	}
	if most > 0 && p.tooLong(line, "the "+key, value, most) {
		return
	}
	switch key {
	case "questionnaire":
		if !keyPattern.MatchString(value) {
			p.add(line, "the questionnaire key %q must be lower-case letters, digits and hyphens, at most 40 characters, like \"staff-knowledge\"", value)
		}
		p.q.Key = value
	case "version":
		if v, err := strconv.Atoi(value); err != nil || v < 1 {
			p.add(line, "the version must be a whole number of 1 or more, not %q", value)
		} else {
			p.q.Version = v
		}
	case "title":
		p.q.Title = value
	case "audience":
		a := alongside.Audience(value)
		ok := false
		for _, x := range surveyAudiences {
			ok = ok || a == x
		}
		if !ok {
			p.add(line, "unknown audience %q: write staff, people or carers", value)
		}
		p.q.Audience = a
	case "intro":
		p.q.Intro = value
	case "source":
		p.q.Source = value
	}
}

// domain starts a domain.
func (p *questionnaireParser) domain(line int, key string) {
	p.finishDomain()
	switch first, seen := p.domains[key]; {
	case key == "":
		p.add(line, "\"domain\" has nothing after the colon: give the domain a key, like \"domain: hope\"")
	case !keyPattern.MatchString(key):
		p.add(line, "the domain key %q must be lower-case letters, digits and hyphens, at most 40 characters, like \"goal-setting\"", key)
	case seen:
		p.add(line, "the domain key %q is used twice (first on line %d)", key, first)
	default:
		p.domains[key] = line
	}
	if len(p.q.Domains) == MaxSurveyDomains {
		p.add(line, "a questionnaire may have at most %d domains", MaxSurveyDomains)
	}
	p.cur = &alongside.SurveyDomain{Key: key}
	p.curLine, p.nameLine, p.curRows = line, 0, 0
}

// domainName reads the "name:" line of the current domain.
func (p *questionnaireParser) domainName(line int, value string) {
	switch {
	case p.cur == nil:
		p.add(line, "\"name\" must come after a \"domain:\" line")
	case p.nameLine != 0:
		p.add(line, "domain %q has a second \"name\" (the first is on line %d)", p.cur.Key, p.nameLine)
	default:
		p.nameLine = line
		if value == "" {
			p.add(line, "\"name\" has nothing after the colon: write the domain's name, like \"name: Hope\"")
		} else if !p.tooLong(line, "the name of domain "+strconv.Quote(p.cur.Key), value, MaxSurveyDomainName) {
			p.cur.Name = value
		}
	}
}

// finishDomain checks the domain being read, if any, and keeps it.
func (p *questionnaireParser) finishDomain() {
	if p.cur == nil {
		return
	}
	if p.nameLine == 0 {
		p.add(p.curLine, "domain %q has no name: add a line \"name: …\" after it", p.cur.Key)
	}
	if p.curRows == 0 {
		p.add(p.curLine, "domain %q has no items: add at least one after it, like \"agree5 my-key: the question\"", p.cur.Key)
	}
	p.q.Domains = append(p.q.Domains, *p.cur)
	p.cur = nil
}

// item reads an item line "type key: text".
func (p *questionnaireParser) item(line int, typ alongside.ItemType, key, text string) {
	p.itemLines++
	if p.cur != nil {
		// Counted even when the line has a mistake, so that a domain
		// whose only item is wrong is not also reported empty.
		p.curRows++
	}
	bad := false
	problem := func(format string, args ...any) {
		p.add(line, format, args...)
		bad = true
	}
	if p.itemLines == MaxSurveyItems+1 {
		problem("a questionnaire may have at most %d items", MaxSurveyItems)
	}
	switch first, seen := p.items[key]; {
	case !keyPattern.MatchString(key):
		problem("the item key %q must be lower-case letters, digits and hyphens, at most 40 characters, like \"hope-future\"", key)
	case seen:
		problem("the item key %q is used twice (first on line %d)", key, first)
	default:
		p.items[key] = line
	}
	if p.cur == nil {
		problem("item %q must come after a \"domain:\" line", key)
	}
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		problem("item %q has no text: write the question after the colon", key)
	case n > MaxSurveyItemText:
		problem("the text of item %q is %d characters long; the most is %d", key, n, MaxSurveyItemText)
	}
	if !bad {
		p.q.Items = append(p.q.Items, alongside.SurveyItem{Key: key, Domain: p.cur.Key, Type: typ, Text: text})
	}
}
