package web

import (
	"testing"
	"time"
)

// The deployment's zone keeps summer time: the same UTC hour is a different
// London hour either side of the change, and late evening UTC in summer is
// already the next day in London.
func TestZoneAcrossSummerTime(t *testing.T) {
	loc, err := LoadZone("")
	if err != nil {
		t.Fatal(err)
	}
	z := zone{loc}
	cases := []struct {
		at             time.Time
		date, datetime string
	}{
		// Before the clocks go forward on 29 March 2026: GMT, as UTC.
		{time.Date(2026, 3, 28, 14, 5, 0, 0, time.UTC), "28 March 2026", "28 March 2026 at 14:05"},
		// After: British Summer Time, an hour ahead.
		{time.Date(2026, 3, 30, 14, 5, 0, 0, time.UTC), "30 March 2026", "30 March 2026 at 15:05"},
		// 23:30 UTC on 31 March in summer is 1 April in London.
		{time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC), "1 April 2026", "1 April 2026 at 00:30"},
		// Back to GMT after 25 October 2026.
		{time.Date(2026, 10, 26, 23, 30, 0, 0, time.UTC), "26 October 2026", "26 October 2026 at 23:30"},
		{time.Time{}, "", ""},
	}
	for _, c := range cases {
		if got := z.date(c.at); got != c.date {
			t.Errorf("date(%v) = %q, want %q", c.at, got, c.date)
		}
		if got := z.datetime(c.at); got != c.datetime {
			t.Errorf("datetime(%v) = %q, want %q", c.at, got, c.datetime)
		}
	}
	if got := z.day(time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC)); got != time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC) {
		t.Errorf("day = %v, want 1 April 2026", got)
	}
	if _, err := LoadZone("Europe/Londn"); err == nil {
		t.Error("a misspelt zone loaded")
	}
	other, err := LoadZone("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	if got := (zone{other}).datetime(time.Date(2026, 12, 2, 14, 5, 0, 0, time.UTC)); got != "2 December 2026 at 09:05" {
		t.Errorf("New York: %q", got)
	}
}
