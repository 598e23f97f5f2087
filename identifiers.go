package alongside

import (
	"regexp"
	"strconv"
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
				return "This looks like a CHI number. Sheets must not identify anyone: use an anonymous reference instead, like “A3”."
			}
			if validNHSCheckDigit(digits) {
				return "This looks like an NHS number. Sheets must not identify anyone: use an anonymous reference instead, like “A3”."
			}
		}
	}
	if !sh.dateLike && !sh.year {
		return ""
	}
	if dobWords.MatchString(text) && (numericDate.MatchString(text) || wordDate.MatchString(text)) {
		return "This looks like a date of birth. Sheets must not identify anyone: leave dates of birth out."
	}
	for _, m := range numericDate.FindAllStringSubmatch(text, -1) {
		if plausibleBirthDate(m[1], m[2], m[3]) {
			return "This looks like a date of birth. Sheets must not identify anyone: leave dates of birth out."
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
