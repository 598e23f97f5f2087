package web

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // the zone database, so zones load on a machine without one
)

// DefaultZone is the deployment's time zone unless --timezone says otherwise.
const DefaultZone = "Europe/London"

// LoadZone finds a time zone by its name in the zone database, such as
// "Europe/London"; "" is DefaultZone.
func LoadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = DefaultZone
	}
	if name == "Local" {
		return nil, fmt.Errorf("time zone %q: give the zone by name, such as Europe/London", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q is not one Alongside knows: give a name from the zone database, such as Europe/London or Europe/Dublin", name)
	}
	return loc, nil
}

// zone shows moments as people in the deployment read them: in its time
// zone, with summer time, as "2 December 2026" and "2 December 2026 at 14:05".
// A calendar date (a due date, a review date) is not a moment and is shown
// with formatDate as it stands.
type zone struct{ loc *time.Location }

// date is the day on which t happened, in the zone.
func (z zone) date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(z.loc).Format("2 January 2006")
}

// datetime is the day and time of t, in the zone.
func (z zone) datetime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(z.loc).Format("2 January 2006 at 15:04")
}

// day is the calendar day on which t falls in the zone, as midnight UTC of
// that date: the form calendar dates take in Alongside ("2006-01-02"
// parsed), so the two compare and format alike.
func (z zone) day(t time.Time) time.Time {
	y, m, d := t.In(z.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// month is the first day of the calendar month t falls in, in the zone.
func (z zone) month(t time.Time) time.Time {
	y, m, _ := t.In(z.loc).Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
}
