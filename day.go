package alongside

import (
	"strings"
	"time"
)

// dayLayouts are the ways a calendar date may be typed: as a date input
// sends it, and as people write it ("2 December 2026", "2 Dec 2026").
var dayLayouts = []string{DateLayout, "2 January 2006", "2 Jan 2006", "January 2 2006", "2/1/2006"}

// ParseDay reads a calendar date typed in any of dayLayouts, as midnight UTC
// of that date.
func ParseDay(s string) (time.Time, bool) {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, ",", " ")), " ")
	for _, l := range dayLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// normalDay rewrites a typed date in the stored form, "2006-01-02", leaving
// text that is not a date as it is for the caller to refuse.
func normalDay(s string) string {
	if t, ok := ParseDay(s); ok {
		return t.Format(DateLayout)
	}
	return s
}
