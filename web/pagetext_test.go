package web_test

import (
	"regexp"
	"testing"
)

var (
	unseen    = regexp.MustCompile(`(?is)<(script|style|textarea|title)\b.*?</(script|style|textarea|title)>|<[^>]*>`)
	isoDate   = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b|\b\d{4}-\d{2}-\d{2}T\d`)
	zoneNames = regexp.MustCompile(`\b(UTC|GMT|BST)\b`)
)

// machineTime returns the first ISO date or zone abbreviation a person
// would read on an HTML page ("" for none): the page's text, leaving out
// tags and their attributes (a <time datetime> may keep ISO for machines),
// scripts, styles and what a person typed into a text box.
func machineTime(html string) string {
	text := unseen.ReplaceAllString(html, " ")
	if m := isoDate.FindString(text); m != "" {
		return m
	}
	return zoneNames.FindString(text)
}

func TestMachineTimeFinder(t *testing.T) {
	for page, want := range map[string]string{
		`<p>Saved on 2 December 2026 at 14:05.</p>`:                                    "",
		`<td><time datetime="2026-12-02T14:05:00Z">2 December 2026</time></td>`:        "",
		`<input type="date" value="2026-12-02"><textarea>met on 2026-01-01</textarea>`: "",
		`<p>Open from 2026-12-02 to 2026-12-30.</p>`:                                   "2026-12-02",
		`<p>2 Dec 2026, 14:05 UTC</p>`:                                                 "UTC",
	} {
		if got := machineTime(page); got != want {
			t.Errorf("machineTime(%q) = %q, want %q", page, got, want)
		}
	}
}
