package alongside

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Free text in anonymous places (records-review sheets, reflections) must not
// carry what identifies a person. These checks catch the common shapes:
// a Scottish CHI number (ten digits starting with a date of birth), an NHS
// number (ten digits with a valid check digit, often spaced 3-3-4), and a
// written date of birth. They aim to catch mistakes, not to prove anonymity.

var (
	numericDate = regexp.MustCompile(`(?:^|[^0-9])([0-3]?[0-9])[./-]([01]?[0-9])[./-]((?:19|20)?[0-9]{2})(?:[^0-9]|$)`)
	wordDate    = regexp.MustCompile(`(?i)\b([0-3]?[0-9])(?:st|nd|rd|th)?(?:\s+of)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+((?:19|20)[0-9]{2})\b`)
	dobWords    = regexp.MustCompile(`(?i)\b(d\.?\s?o\.?\s?b\b\.?|date of birth|birth ?date|birthday|born)`)
)

// dobReach is how far apart, in bytes, a birth word and a date may stand
// and still read as one date of birth: "DOB: 03/04/1961", "born on the 3rd
// of April 1961", "03/04/1961 (DOB)".
const dobReach = 30

const (
	chiProblem = "This looks like a CHI number. What is written here must not identify anyone: leave it out, or use an anonymous reference like “A3”."
	nhsProblem = "This looks like an NHS number. What is written here must not identify anyone: leave it out, or use an anonymous reference like “A3”."
	dobProblem = "This looks like a date of birth. What is written here must not identify anyone: leave dates of birth out."
)

// IdentifierProblem returns a plain-English reason when text looks like it
// holds a CHI or NHS number or a date of birth, and "" when it does not.
// The text is read as a person sees it: digits of any script, spaced or
// split however they are typed, with invisible characters left out.
func IdentifierProblem(text string) string {
	text = normaliseForIdentifiers(text)
	// The patterns are slow beside a glance at the digits, and most text
	// has none of the shapes they need: skip those that cannot match.
	sh := scanShapes(text)
	if sh.digits >= 10 {
		if msg := tenDigitProblem(text); msg != "" {
			return msg
		}
	}
	if !sh.dateLike && !sh.year {
		return ""
	}
	// Any date may be written (a plan's date, a review's); only a date
	// that reads as someone's date of birth is refused.
	words := dobWords.FindAllStringIndex(text, -1)
	if len(words) == 0 {
		return ""
	}
	for _, re := range []*regexp.Regexp{numericDate, wordDate} {
		for _, d := range re.FindAllStringIndex(text, -1) {
			for _, w := range words {
				if d[0] < w[1]+dobReach && w[0] < d[1]+dobReach {
					return dobProblem
				}
			}
		}
	}
	return ""
}

// tenDigitProblem finds ten digits read together, however they are split
// ("01 01 01 12 34", "0101 01 1234", "010101/1234"): runs of digits
// joined by short separators, any consecutive runs of which add up to ten.
func tenDigitProblem(text string) string {
	var runs []string // the runs of digits joined so far
	check := func() string {
		for i := range runs {
			n := 0
			for j := i; j < len(runs) && n < 10; j++ {
				n += len(runs[j])
				if n == 10 {
					d := strings.Join(runs[i:j+1], "")
					if validCHIDate(d) {
						return chiProblem
					}
					if validNHSCheckDigit(d) {
						return nhsProblem
					}
				}
			}
		}
		return ""
	}
	i := 0
	for i < len(text) {
		if !isDigit(text[i]) {
			i++
			continue
		}
		start := i
		for i < len(text) && isDigit(text[i]) {
			i++
		}
		runs = append(runs, text[start:i])
		gap := i
		for gap < len(text) && gap-i < 3 && isNumberSeparator(text[gap]) {
			gap++
		}
		if gap < len(text) && isDigit(text[gap]) && gap > i {
			i = gap
			continue
		}
		if msg := check(); msg != "" {
			return msg
		}
		runs = runs[:0]
	}
	return ""
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isNumberSeparator is what people put between the groups of a long
// number: spaces, dashes, slashes, dots and the like.
func isNumberSeparator(c byte) bool { return strings.IndexByte(" \t-/._,:;|\\+*()", c) >= 0 }

// normaliseForIdentifiers reads text as it looks: compatibility forms
// folded (full-width and circled digits, odd spaces; NFKC), decimal digits
// of every script as 0–9, every kind of space as ' ', other punctuation
// and symbols beyond ASCII as '-', and
// invisible characters (zero-width spaces, joiners, marks, controls) left
// out. Plain ASCII, the usual case, is returned as it is.
func normaliseForIdentifiers(text string) string {
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf || (text[i] < ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r') || text[i] == 0x7f {
			ascii = false
			break
		}
	}
	if ascii {
		return text
	}
	text = norm.NFKC.String(strings.ToValidUTF8(text, " "))
	var b strings.Builder
	b.Grow(len(text))
	for _, r := range text {
		switch {
		case r < utf8.RuneSelf && r >= ' ' && r != 0x7f:
			b.WriteRune(r)
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteRune(r)
		case unicode.IsDigit(r):
			b.WriteByte(byte('0' + digitValue(r)))
		case unicode.IsSpace(r) || unicode.Is(unicode.Zs, r):
			b.WriteByte(' ')
		case unicode.In(r, unicode.P, unicode.S):
			// Dashes, minus signs, middle dots and other marks people
			// put between groups of digits read as one separator.
			b.WriteByte('-')
		case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Mn, unicode.Me, unicode.Co, unicode.Cs,
			unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point) || r == utf8.RuneError:
			// invisible: left out
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// digitValue is the value of a decimal digit of any script. Unicode
// encodes each script's digits as a run from zero to nine, so a digit's
// value is its distance from the start of its run of ten.
func digitValue(r rune) int {
	for _, rg := range unicode.Nd.R16 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10
		}
	}
	return 0
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
	text = normaliseForIdentifiers(text)
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
