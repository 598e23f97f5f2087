package alongside

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Free text in anonymous places (records-review sheets, reflections) must not
// carry what identifies a person. These checks catch the common shapes:
// a Scottish CHI number (ten digits starting with a date of birth), an NHS
// number (ten digits with a valid check digit, often spaced 3-3-4), and a
// written date of birth. They aim to catch mistakes, not to prove anonymity.

var (
	tenDigits   = regexp.MustCompile(`(?:^|[^0-9])([0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4})(?:[^0-9]|$)`)
	numericDate = regexp.MustCompile(`(?:^|[^0-9])([0-3]?[0-9])[./-]([01]?[0-9])[./-]((?:19|20)?[0-9]{2})(?:[^0-9]|$)`)
	wordDate    = regexp.MustCompile(`(?i)\b([0-3]?[0-9])(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+((?:19|20)[0-9]{2})\b`)
	dobWords    = regexp.MustCompile(`(?i)\b(d\.?o\.?b\.?|date of birth|born on|born)\b`)
)

// IdentifierProblem returns a plain-English reason when text looks like it
// holds a CHI or NHS number or a date of birth, and "" when it does not.
func IdentifierProblem(text string) string {
	// The patterns are slow beside a glance at the digits, and most text
	// has none of the shapes they need: skip those that cannot match.
	sh := scanShapes(text)
	if sh.digits >= 10 {
		for _, m := range tenDigits.FindAllStringSubmatch(text, -1) {
			digits := onlyDigits(m[1])
			if validCHIDate(digits) {
				return "This looks like a CHI number. What is written here must not identify anyone: leave it out, or use an anonymous reference like “A3”."
			}
			if validNHSCheckDigit(digits) {
				return "This looks like an NHS number. What is written here must not identify anyone: leave it out, or use an anonymous reference like “A3”."
			}
		}
	}
	if !sh.dateLike && !sh.year {
		return ""
	}
	if dobWords.MatchString(text) && (numericDate.MatchString(text) || wordDate.MatchString(text)) {
		return "This looks like a date of birth. What is written here must not identify anyone: leave dates of birth out."
	}
	for _, m := range numericDate.FindAllStringSubmatch(text, -1) {
		if plausibleBirthDate(m[1], m[2], m[3]) {
			return "This looks like a date of birth. What is written here must not identify anyone: leave dates of birth out."
		}
	}
	return ""
}

// shapes is what a glance at text's digits tells: how many there are,
// whether digits are separated by . / or - as in a written date, and
// whether a run of digits starts with 19 or 20 as a year does. Each is
// needed by one of the patterns, so a text without it cannot match that
// pattern.
type shapes struct {
	digits         int
	dateLike, year bool
}

func scanShapes(s string) shapes {
	var sh shapes
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			sh.digits++
			run++
			if run == 4 && (s[i-3:i-1] == "19" || s[i-3:i-1] == "20") {
				sh.year = true
			}
			continue
		}
		if run > 0 && (c == '.' || c == '/' || c == '-') && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
			sh.dateLike = true
		}
		run = 0
	}
	return sh
}

func onlyDigits(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// validCHIDate reports whether the first six digits are a real DDMMYY date.
func validCHIDate(d string) bool {
	day, _ := strconv.Atoi(d[0:2])
	month, _ := strconv.Atoi(d[2:4])
	year, _ := strconv.Atoi(d[4:6])
	t := time.Date(2000+year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	return month >= 1 && month <= 12 && day >= 1 && t.Day() == day && int(t.Month()) == month
}

// validNHSCheckDigit applies the NHS number's modulus 11 check.
func validNHSCheckDigit(d string) bool {
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(d[i]-'0') * (10 - i)
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(d[9]-'0')
}

// plausibleBirthDate reports whether a written date (day, month, year) is a
// real date more than ten years ago: the shape of a date of birth rather
// than of a review or appointment date.
func plausibleBirthDate(ds, ms, ys string) bool {
	day, _ := strconv.Atoi(ds)
	month, _ := strconv.Atoi(ms)
	year, _ := strconv.Atoi(ys)
	if len(ys) == 2 {
		year += 1900
		if year < 1930 {
			year += 100
		}
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if month < 1 || month > 12 || day < 1 || t.Day() != day {
		return false
	}
	return year >= 1900 && year <= time.Now().Year()-10
}

var (
	// A name: a title and a capitalised word, or two capitalised words.
	personName = regexp.MustCompile(`\b(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z]+|[A-Z][a-z]+\s+[A-Z][a-z']+)`)
	// Any date: 3/4, 03.04.26, 3rd March, March 3.
	anyDate = regexp.MustCompile(`(?i)(?:^|[^0-9])[0-3]?[0-9][./-][01]?[0-9](?:[./-][0-9]{2,4})?(?:[^0-9]|$)|\b[0-3]?[0-9](?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+[0-3]?[0-9]\b`)
)

// ReflectionNoteProblem is IdentifierProblem for a practitioner's note on
// their own practice, which must say nothing of who they saw: it also
// refuses a name given with a date, such as "Saw Jo Bloggs on 3/4".
func ReflectionNoteProblem(text string) string {
	if msg := IdentifierProblem(text); msg != "" {
		return msg
	}
	if hasPersonName(text) && anyDate.MatchString(text) {
		return "This looks like a name with a date. A reflection is about your own practice, not the person you saw: leave out names and dates."
	}
	return ""
}

// notNames are capitalised words common at the start of a sentence or in
// the tips' own names, which make a pair of capitalised words no name.
var notNames = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`The This That These Those Then There Ten Top Tips Next Last First Did Do Went We They She He Her His
		Their It Its Our My Today Tomorrow Yesterday Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February
		March April May June July August September October November December Recovery Realising Scottish Network NHS Care Plan`) {
		notNames[w] = true
	}
}

func hasPersonName(text string) bool {
	for _, m := range personName.FindAllString(text, -1) {
		words := strings.Fields(m)
		if len(words) == 2 && !notNames[words[0]] && !notNames[strings.TrimSuffix(words[1], "'s")] {
			return true
		}
	}
	return false
}
