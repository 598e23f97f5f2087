package alongside_test

import (
	"testing"

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
		{"seen 12/11/1987 by the team", true},
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
	for _, s := range []string{"1503751234", "943 476 5919", "DOB 03/04/1961", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		alongside.IdentifierProblem(s) // must never panic
	})
}
