package content_test

import (
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside/content"
)

// The shipped list is 999, NHS 24 on 111, Samaritans on 116 123 and
// Breathing Space on 0800 83 85 87, in that order, each with its number to dial.
func TestDefaultHelpNow(t *testing.T) {
	l := content.DefaultHelpNow()
	want := []struct{ name, number, tel string }{
		{"Emergency services", "999", "999"}, {"NHS 24", "111", "111"},
		{"Samaritans", "116 123", "116123"}, {"Breathing Space", "0800 83 85 87", "+44800838587"},
	}
	if len(l) != len(want) {
		t.Fatalf("%d lines, want %d", len(l), len(want))
	}
	for i, w := range want {
		if l[i].Name != w.name || l[i].Number != w.number || l[i].Tel != w.tel || l[i].When == "" {
			t.Errorf("line %d is %+v, want %v", i, l[i], w)
		}
	}
}

// A list with mistakes is refused whole, each mistake with its line.
func TestParseHelpNowProblems(t *testing.T) {
	cases := []struct{ text, want string }{
		{"", "has no numbers"},
		{"# only a comment\n", "has no numbers"},
		{"Samaritans 116 123 any time", "line 1: expected three parts"},
		{"Samaritans | 116 123 | Any time.\nDad | 2 December 2026 | Never", "line 2: \"2 December 2026\" is not a UK telephone number"},
		{"Dad | 07700 900123 and 999 | Evenings", "is not a UK telephone number"},
		{" | 999 | Now", "line 1: the line has no name"},
		{"Police | | Now", "Police has no number"},
		{"Police | 999 | ", "Police has no words on when to call"},
		{"Police | 999 | " + strings.Repeat("x", 201), "longer than 200 characters"},
		{strings.Repeat("Police | 999 | Now\n", 11), "at most 10 numbers"},
	}
	for _, tc := range cases {
		_, err := content.ParseHelpNow(strings.NewReader(tc.text))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.text, err, tc.want)
		}
	}
	l, err := content.ParseHelpNow(strings.NewReader("Crisis team | (0131) 496 0999 | Weekdays, 9am to 5pm.\n"))
	if err != nil || len(l) != 1 || l[0].Tel != "+441314960999" {
		t.Fatalf("an area's own number: %+v, %v", l, err)
	}
}
