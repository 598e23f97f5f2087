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
	browsertest.Do(t, prac, chromedp.Click(`details.tip-note > summary`))
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

// On a 360 px phone, a phrase typed into a note brings the suggestions
// panel within a second of the pause in typing; its "Not for this text"
// and "Never suggest this" are buttons at least 44 px high, side by side,
// and nothing on the page scrolls sideways or fails axe-core. "Not for this
// text" takes the suggestion away.
func TestBrowserLanguagePanelOnAPhone(t *testing.T) {
	b := browsertest.New(t)
	base, accounts := startDemo(t)
	prac := signInTab(t, b, base, accounts, "practitioner", 360, 800)
	browsertest.Do(t, prac, browsertest.Submit(`a.button[href$="/reflect"]`))
	// Type the phrase as a person would, a key at a time, then time from
	// the last key to the panel showing.
	browsertest.Do(t, prac, chromedp.Click(`details.tip-note > summary`))
	browsertest.Do(t, prac, chromedp.Focus("#note"), chromedp.SendKeys("#note", "He was non-compliant"))
	waited := browsertest.Run(t, prac, chromedp.Evaluate[float64](`new Promise(done => {
		const from = performance.now();
		(function look() {
			if (document.querySelector("#note-suggestions .suggestion")) return done(performance.now() - from);
			if (performance.now() - from > 5000) return done(-1);
			requestAnimationFrame(look);
		})();
	})`, chromedp.EvalAwaitPromise))
	if waited < 0 || waited > 1000 {
		t.Fatalf("the suggestions panel showed %.0f ms after typing stopped (-1: not within 5 s); want within a second", waited)
	}
	t.Logf("the panel showed %.0f ms after the last key", waited)
	sizes := browsertest.Run(t, prac, chromedp.Evaluate[[]float64](`[...document.querySelectorAll("#note-suggestions .suggestion button")]
		.flatMap(b => { const r = b.getBoundingClientRect(); return [r.height, r.width, r.right]; })`))
	if len(sizes) != 6 {
		t.Fatalf("want two buttons on the suggestion, found %d", len(sizes)/3)
	}
	for i := 0; i < len(sizes); i += 3 {
		if sizes[i] < 44 || sizes[i+1] < 44 {
			t.Errorf("a suggestion button is %.0f × %.0f px; want at least 44 px high and wide to tap", sizes[i+1], sizes[i])
		}
		if sizes[i+2] > 360 {
			t.Errorf("a suggestion button reaches %.0f px, past the 360 px screen", sizes[i+2])
		}
	}
	panel := browsertest.Run(t, prac, chromedp.Evaluate[float64](`document.querySelector("#note-suggestions .suggestions").getBoundingClientRect().height`))
	t.Logf("the panel with one suggestion is %.0f px high at 360 px", panel)
	if w := browsertest.Run(t, prac, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`)); w[0] > w[1] {
		t.Errorf("the page scrolls sideways at 360 px: %d px wide", w[0])
	}
	browsertest.AssertNoAxeViolations(t, prac, "the suggestions panel at 360 px")
	browsertest.Do(t, prac, chromedp.Click(`#note-suggestions button[data-dismiss="text"]`))
	browsertest.Do(t, prac, chromedp.WaitNotPresent(`#note-suggestions .suggestion`))
}
