package main

import (
	"regexp"
	"testing"

	"github.com/alongside-recovery/alongside/internal/browsertest"
	"github.com/chromedp/chromedp"
)

// TestBrowserLanguage: in real Chromium on the demo, a practitioner writing
// an after-session note on a phone-sized screen sees a suggestion about a
// word as they type, with the reason and other words; they keep their own
// words and save, and the save goes straight on (they saw it already).
// axe-core checks the page with the suggestion showing.
func TestBrowserLanguage(t *testing.T) {
	b := browsertest.New(t)
	base, accounts := startDemo(t)
	prac := signInTab(t, b, base, accounts, "practitioner", 360, 800)

	browsertest.Do(t, prac, browsertest.Submit(`a.button[href$="/reflect"]`)) // "Reflect on a session"
	loc := browsertest.Run(t, prac, browsertest.Location())
	if !regexp.MustCompile(`/practitioners/\d+/reflect$`).MatchString(loc) {
		t.Fatalf("“Reflect on a session” led to %s", loc)
	}
	// Answer the ten questions, then type the note.
	browsertest.Run(t, prac, chromedp.Evaluate[bool](`(() => {
		document.querySelectorAll("form fieldset").forEach(fs => { const r = fs.querySelector("input[type=radio]"); if (r) r.click(); });
		return true;
	})()`))
	browsertest.Do(t, prac, browsertest.Fill("#note", "We talked about the week. He is still non-compliant with the morning tablets."))
	browsertest.Do(t, prac, chromedp.WaitVisible(`#note-suggestions .suggestion`))
	mainSays(t, prac, "a suggestion as they type", "non-compliant", "You might write", "Never suggest this")
	if n := browsertest.Run(t, prac, chromedp.Evaluate[int](`document.querySelector('input[name="suggestions_seen"]').value === "1" ? 1 : 0`)); n != 1 {
		t.Fatal("the form does not know the suggestion was seen")
	}
	browsertest.AssertNoAxeViolations(t, prac, "a note with a suggestion beside it")

	// Saving anyway keeps their words and goes on to their reflections.
	browsertest.Do(t, prac, browsertest.Submit(`main form button.button[type=submit]`))
	loc = browsertest.Run(t, prac, browsertest.Location())
	if !regexp.MustCompile(`/practitioners/\d+/reflections$`).MatchString(loc) {
		t.Fatalf("saving went to %s, not the reflections", loc)
	}
	mainSays(t, prac, "saved anyway", "Reflection saved")
}
