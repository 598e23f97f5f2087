package alongside

import "testing"

// scanShapes lets IdentifierProblem skip a pattern only when the pattern
// cannot match: whatever the text, a shape it reports absent is one no
// pattern finds.
func FuzzScanShapesNeverHidesAMatch(f *testing.F) {
	for _, s := range []string{"1503751234", "943 476 5919", "DOB 03/04/1961", "dob 1/2/85", "born 3rd April 1961",
		"note 12345", "2/3", "x 19", "on 1 May 2001.", "12-11-87"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sh := scanShapes(s)
		if sh.digits < 10 && tenDigitProblem(s) != "" {
			t.Errorf("%q: ten digits found with %d digits counted", s, sh.digits)
		}
		if !sh.dateLike && numericDate.MatchString(s) {
			t.Errorf("%q: a written date found, none seen", s)
		}
		if !sh.year && wordDate.MatchString(s) {
			t.Errorf("%q: a date in words found, no year seen", s)
		}
	})
}
