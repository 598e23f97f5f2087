package alongside_test

import (
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside"
)

// The numbers a crisis plan is written with are found as written, and
// nothing else is: dates, times, sums, years and counts stay plain text.
func TestFindPhoneNumbers(t *testing.T) {
	cases := []struct {
		text  string
		found []string // each number as written, in order
		tel   []string // and as dialled
	}{
		{"Call 999 if I am in danger", []string{"999"}, []string{"999"}},
		{"NHS 24 on 111", []string{"111"}, []string{"111"}},
		{"112", []string{"112"}, []string{"112"}},
		{"Police, not urgent: 101.", []string{"101"}, []string{"101"}},
		{"Samaritans 116 123, any time", []string{"116 123"}, []string{"116123"}},
		{"Samaritans 116123", []string{"116123"}, []string{"116123"}},
		{"Breathing Space: 0800 83 85 87", []string{"0800 83 85 87"}, []string{"+44800838587"}},
		{"Mum 07700 900123", []string{"07700 900123"}, []string{"+447700900123"}},
		{"Mum 07700900123", []string{"07700900123"}, []string{"+447700900123"}},
		{"Mum 07700 900 123", []string{"07700 900 123"}, []string{"+447700900123"}},
		{"Dad +44 7700 900123", []string{"+44 7700 900123"}, []string{"+447700900123"}},
		{"Dad +447700900123", []string{"+447700900123"}, []string{"+447700900123"}},
		{"Dad +44 (0)7700 900123", []string{"+44 (0)7700 900123"}, []string{"+447700900123"}},
		{"GP (0141) 123 4567", []string{"(0141) 123 4567"}, []string{"+441411234567"}},
		{"GP 0141 123 4567", []string{"0141 123 4567"}, []string{"+441411234567"}},
		{"GP 0141-123-4567", []string{"0141-123-4567"}, []string{"+441411234567"}},
		{"Team 0131 496 0000.", []string{"0131 496 0000"}, []string{"+441314960000"}},
		{"Crisis team (0131 496 0999)", []string{"0131 496 0999"}, []string{"+441314960999"}},
		{"Tel:07700 900123", []string{"07700 900123"}, []string{"+447700900123"}},
		{"1. Mum 07700 900123\n2. Sam 07700 900456\n3. 999", []string{"07700 900123", "07700 900456", "999"},
			[]string{"+447700900123", "+447700900456", "999"}},
		{"call 07700 900123 07700 900456", []string{"07700 900123", "07700 900456"}, []string{"+447700900123", "+447700900456"}},
		{"room 10 07700 900123", []string{"07700 900123"}, []string{"+447700900123"}},
		{"999 or 111 or 116 123", []string{"999", "111", "116 123"}, []string{"999", "111", "116123"}},
		{"Café 0300 123 1234 é", []string{"0300 123 1234"}, []string{"+443001231234"}},
		// Not numbers to call.
		{"Agreed on 2 December 2026", nil, nil},
		{"Agreed on 02/12/2026 at 10:30", nil, nil},
		{"2026-12-02", nil, nil},
		{"from 1999 to 2006", nil, nil},
		{"1999-2006", nil, nil},
		{"it cost £999", nil, nil},
		{"it cost £1,999", nil, nil},
		{"it cost 1.999", nil, nil},
		{"999th time", nil, nil},
		{"A999", nil, nil},
		{"room 1111", nil, nil},
		{"flat 9/999", nil, nil},
		{"99.9% sure", nil, nil},
		{"999%", nil, nil},
		{"ref #07700900123", nil, nil},
		{"at 11:11", nil, nil},
		{"9 9 9", nil, nil},
		{"99 9", nil, nil},
		{"0800 83  85 87", nil, nil}, // two spaces end a number; neither half is one
		{"00 44 7700 900123", nil, nil},
		{"+1 415 555 0100", nil, nil},
		{"+44 12", nil, nil},
		{"07700 9001234 5", nil, nil},
		{"(999)", []string{"999"}, []string{"999"}},
		{"0141 (123) 4567", nil, nil},
		{"06123 456789", nil, nil},
		{"1234567890", nil, nil},
		{"12345678901", nil, nil},
		{"2 3 4 5 6 7 8 9 10 11", nil, nil},
		{"1 1 1", nil, nil},
		{"116", nil, nil},
		{"116 12", nil, nil},
		{"", nil, nil},
	}
	for _, tc := range cases {
		got := alongside.FindPhoneNumbers(tc.text)
		var found, tel []string
		for _, p := range got {
			found = append(found, tc.text[p.Start:p.End])
			tel = append(tel, p.Tel)
		}
		if strings.Join(found, "|") != strings.Join(tc.found, "|") || strings.Join(tel, "|") != strings.Join(tc.tel, "|") {
			t.Errorf("%q: found %q dialling %q, want %q dialling %q", tc.text, found, tel, tc.found, tc.tel)
		}
	}
}

// Whatever is written, the finder does not panic, and each number it
// finds lies inside the text, in order, written only with digits, spaces,
// "+", brackets and hyphens, beginning and ending with what a number can.
func FuzzFindPhoneNumbers(f *testing.F) {
	for _, s := range []string{"999", "Mum 07700 900123", "(0141) 123 4567", "+44 (0)7700 900123", "£1,999", "0800 83 85 87",
		"2 December 2026", "10:30", "((((", "+44+44", "116 123\n111", "é07700900123é", "\xff07700900123"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		last := 0
		for _, p := range alongside.FindPhoneNumbers(s) {
			if p.Start < last || p.End <= p.Start || p.End > len(s) {
				t.Fatalf("%q: number at %d–%d out of order or range", s, p.Start, p.End)
			}
			last = p.End
			w := s[p.Start:p.End]
			if strings.Trim(w, "0123456789 +()-") != "" {
				t.Fatalf("%q: %q is not written only with digits, spaces, +, brackets and hyphens", s, w)
			}
			if c := w[len(w)-1]; c < '0' || c > '9' {
				t.Fatalf("%q: %q does not end with a digit", s, w)
			}
			if strings.Trim(p.Tel, "+0123456789") != "" || p.Tel == "" {
				t.Fatalf("%q: dials %q", s, p.Tel)
			}
		}
	})
}
