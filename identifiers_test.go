package alongside_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/alongside-recovery/alongside"
)

func TestIdentifierProblem(t *testing.T) {
	cases := []struct {
		text string
		want bool
	}{
		{"A3", false},
		{"Care plan 7, reviewed in March", false},
		{"1503751234", true},                         // CHI: 15 March 1975
		{"CHI 150375 1234 on the front sheet", true}, // spaced
		{"943 476 5919", true},                       // NHS number with a valid check digit
		{"9434765918", false},                        // wrong check digit, and 94/34 is no date
		{"DOB 03/04/1961", true},
		{"dob 1/2/85", true}, // the fewest digits any shape has
		{"born 3rd April 1961", true},
		{"reviewed on 03/04/2026", false}, // a recent date is not a birth date
		// Only a date that reads as a date of birth is refused: an old date
		// on its own is a plan's or a letter's.
		{"seen 12/11/1987 by the team", false},
		{"Plan dated 14/03/2012", false},
		{"Reviewed 3 April 1998 with the team", false},
		{"born 14/03/1982", true},
		{"Born on the 14th of March 1982", true},
		{"d.o.b. 14.03.82", true},
		{"D.O.B: 14/03/1982", true},
		{"date of birth 14-03-1982", true},
		{"14/03/1982 (DOB)", true},
		{"Born in Glasgow, moved here in 2010. Plan dated 14/03/2012 and reviewed since.", false},
		// A CHI number however it is typed.
		{"01 01 01 12 34", true},
		{"0101 01 1234", true},
		{"010101/1234", true},
		{"CHI ０１０１０１１２３４", true},                      // full-width
		{"رقم ٠١٠١٠١١٢٣٤", true},                      // Arabic-Indic digits
		{"۰۱۰۱۰۱۱۲۳۴", true},                          // Extended Arabic-Indic
		{"0101\u200b011234", true},                    // a zero-width space inside
		{"01\u200d01\u00ad01\u2060 12\ufeff34", true}, // joiners, soft hyphen, word joiner, BOM
		{"0101\u00a001\u20091234", true},              // no-break and thin spaces
		{"ward 7 0101011234", true},
		{"born ١٤/٠٣/١٩٨٢", true},
		{"D\u200bO\u200bB 14/03/1982", true},
		{"phone 0131 496 0000", false},
		{"Goals set with the person on 2 March", false},
		{"", false},
	}
	for _, tc := range cases {
		if got := alongside.IdentifierProblem(tc.text) != ""; got != tc.want {
			t.Errorf("IdentifierProblem(%q) flagged=%v, want %v", tc.text, got, tc.want)
		}
	}
}

func FuzzIdentifierProblem(f *testing.F) {
	for _, s := range []string{"1503751234", "943 476 5919", "DOB 03/04/1961", "x", "٠١٠١٠١١٢٣٤", "0101\u200b011234", "\xff\xfe9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		alongside.IdentifierProblem(s) // must never panic
		alongside.ReflectionNoteProblem(s)
	})
}

// separators are what may be typed between a CHI number's digits: spaces
// of every width, dashes, slashes, dots and invisible characters.
var separators = []string{" ", "  ", "-", "/", ".", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u00a0",
	"\u2009", "\u3000", "\u2013", "\u2014", "\u2212", "\t", " - ", "\u200b \u200b", "\u034f", "\ufe0f"}

// digitSets are 0–9 in several scripts and forms.
var digitSets = []string{"0123456789", "０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "०१२३४५६७८९", "০১২৩৪৫৬৭৮৯", "๐๑๒๓๔๕๖๗๘๙", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗"}

// A CHI number written with any separators between any of its digits, in
// any script's digits, among any words, is always caught.
func FuzzCHINumberIsAlwaysCaught(f *testing.F) {
	f.Add(uint32(150375), uint16(1234), uint64(0x0102030405), uint8(0), "seen by", "today")
	f.Add(uint32(10101), uint16(1234), uint64(0xffffffffff), uint8(2), "", "")
	f.Fuzz(func(t *testing.T, date uint32, serial uint16, seps uint64, script uint8, before, after string) {
		// A real date of birth, DDMMYY.
		day := time.Date(1930, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(date%36500))
		chi := day.Format("020106") + fmt.Sprintf("%04d", serial%10000)
		digits := []rune(digitSets[int(script)%len(digitSets)])
		var b strings.Builder
		b.WriteString(letters(before))
		b.WriteString(" ")
		for i, c := range chi {
			b.WriteRune(digits[c-'0'])
			if i < 9 {
				// Each gap gets no separator or one of them, from 6 bits of seps.
				if k := int(seps>>(6*i)) & 63; k < len(separators) {
					b.WriteString(separators[k])
				}
			}
		}
		b.WriteString(" ")
		b.WriteString(letters(after))
		if alongside.IdentifierProblem(b.String()) == "" {
			t.Errorf("%q: the CHI number %s is not caught", b.String(), chi)
		}
	})
}

// letters keeps only letters and spaces of s, so that the words around a
// number add no digits of their own.
func letters(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || r == ' ' {
			return r
		}
		return -1
	}, s)
}
