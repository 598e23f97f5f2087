package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/alongside-recovery/alongside/internal/browsertest"
	"github.com/chromedp/chromedp"
)

// Phone-sized limits for a practitioner's development: a reflection must
// be quick to give on a phone (few taps, at most two screens tall), with
// targets big enough to tap.
const (
	phoneWidth, phoneHeight = 360, 640
	reflectionMaxTaps       = 11 // ten answers and "Save"
	reflectionMaxHeight     = 2 * phoneHeight
	minTarget               = 24 // WCAG 2.2 target size (minimum), in CSS px
)

// TestBrowserPracticeOnPhone does a practitioner's development on a 360 px
// phone in real Chromium. The Ten Top Tips reflection: every tip's yes,
// partly and no sit side by side on one row, each at least 24 px (aimed at
// 44), the reflection from its heading to its "Save" button is at most two
// 640 px screens, and it is done in at most 11 taps (real mouse clicks)
// with nothing else to fill in. The self-assessment: walked part by part,
// each page saying which part of how many, going back keeps the answers,
// and the last part saves it. axe-core checks each page and nothing may be
// wider than the window. It logs the figures the issue asks for.
func TestBrowserPracticeOnPhone(t *testing.T) {
	b := browsertest.New(t)
	base, accounts := startDemo(t)
	shots := os.Getenv("ALONGSIDE_TEST_SCREENSHOTS")
	phone := signInTab(t, b, base, accounts, "practitioner", phoneWidth, phoneHeight)
	eval := func(js string) string { t.Helper(); return browsertest.Run(t, phone, chromedp.Evaluate[string](js)) }
	fits := func(what string) {
		t.Helper()
		if size := browsertest.Run(t, phone, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`)); size[0] > size[1] {
			t.Errorf("%s scrolls sideways: %d px wide in a %d px window", what, size[0], size[1])
		}
		browsertest.AssertNoAxeViolations(t, phone, what)
		if shots != "" {
			browsertest.Do(t, phone, browsertest.Screenshot(filepath.Join(shots, fmt.Sprintf("practice-%s.png", what))))
		}
	}

	// The reflection, from the home page's "Reflect on a session".
	browsertest.Do(t, phone, browsertest.Submit(`main a.button[href$="/reflect"]`))
	mainSays(t, phone, "the reflection", "After a session")
	fits("reflection at 360 px")
	rows := browsertest.Run(t, phone, chromedp.Evaluate[[]map[string]float64](`[...document.querySelectorAll("form fieldset.tip")].map(fs => {
		const boxes = [...fs.querySelectorAll("label.tip__answer")].map(l => l.getBoundingClientRect());
		const inputs = [...fs.querySelectorAll("input[type=radio]")].map(i => i.getBoundingClientRect());
		return {answers: boxes.length, tops: new Set(boxes.map(b => Math.round(b.top))).size,
			minH: Math.min(...boxes.map(b => b.height)), minW: Math.min(...boxes.map(b => b.width)),
			inputMin: Math.min(...inputs.map(r => Math.min(r.width, r.height)))};
	})`))
	if len(rows) != 10 {
		t.Fatalf("the reflection asks %d tips, not ten", len(rows))
	}
	for i, r := range rows {
		if r["answers"] != 3 || r["tops"] != 1 {
			t.Errorf("tip %d: %v answers on %v rows, not yes, partly and no side by side", i+1, r["answers"], r["tops"])
		}
		if r["minH"] < 44 || r["minW"] < 44 || r["inputMin"] < minTarget {
			t.Errorf("tip %d: answers %.0f×%.0f px (radio %.0f px), smaller than 44 px boxes with 24 px radios", i+1, r["minW"], r["minH"], r["inputMin"])
		}
	}
	// Height of the reflection itself (heading to "Save"), of the page's
	// main content, and of the whole page with the site's header and footer.
	height := browsertest.Run(t, phone, chromedp.Evaluate[map[string]float64](`(() => {
		const h1 = document.querySelector("main h1").getBoundingClientRect(), save = document.querySelector(".form button[type=submit]").getBoundingClientRect();
		return {reflection: save.bottom - h1.top, main: document.querySelector("main").getBoundingClientRect().height, page: document.documentElement.scrollHeight};
	})()`))
	if height["reflection"] > reflectionMaxHeight {
		t.Errorf("the reflection is %.0f px tall at 360 px, more than two %d px screens", height["reflection"], phoneHeight)
	}
	// Taps: one real click on each tip's answer, and one on "Save".
	taps := 0
	for i := range rows {
		answer := []string{"yes", "partly", "no"}[i%3]
		browsertest.Do(t, phone, browsertest.Click(fmt.Sprintf(`form fieldset.tip:nth-of-type(%d) label.tip__answer:has(input[value=%s])`, i+1, answer)))
		taps++
	}
	if got := eval(`String(document.querySelectorAll("form fieldset.tip input[type=radio]:checked").length)`); got != "10" {
		t.Fatalf("after ten taps, %s tips are answered", got)
	}
	browsertest.Do(t, phone, browsertest.Submit(`.form button[type=submit]`))
	taps++
	mainSays(t, phone, "after saving the reflection", "Reflection saved", "My reflections")
	if taps > reflectionMaxTaps {
		t.Errorf("the reflection took %d taps, more than %d", taps, reflectionMaxTaps)
	}
	t.Logf("reflection at 360 px: %d taps; %.0f px from heading to Save, main content %.0f px, whole page %.0f px",
		taps, height["reflection"], height["main"], height["page"])

	// The self-assessment, part by part, from My development.
	browsertest.Do(t, phone, browsertest.Visit(base+"/home"), browsertest.Submit(`main a.button[href$="/development"]`))
	browsertest.Do(t, phone, browsertest.Submit(`main a[href$="/self-assessment"]`))
	tallest, tallestPart, parts := 0.0, 0, 0
	for part := 1; part <= 20; part++ {
		caption := browsertest.Run(t, phone, browsertest.Text("main .caption"))
		var of int
		if _, err := fmt.Sscanf(caption, fmt.Sprintf("Self-assessment: part %d of %%d", part), &of); err != nil {
			t.Fatalf("part %d is captioned %q", part, caption)
		}
		parts = of
		what := fmt.Sprintf("self-assessment part %d of %d at 360 px", part, of)
		fits(what)
		if h := browsertest.Run(t, phone, chromedp.Evaluate[float64](`document.querySelector("main").getBoundingClientRect().height`)); h > tallest {
			tallest, tallestPart = h, part
		}
		// Answer every item by a real click on a rating ("Developing").
		n := browsertest.Run(t, phone, chromedp.Evaluate[int](`document.querySelectorAll("form fieldset.scale-item").length`))
		if n == 0 || n > 13 {
			t.Fatalf("%s has %d items", what, n)
		}
		for i := 1; i <= n; i++ {
			browsertest.Do(t, phone, browsertest.Click(fmt.Sprintf(`form fieldset.scale-item:nth-of-type(%d) label.scale__choice:has(input[value="2"])`, i)))
		}
		if part == 2 {
			// Back to part 1 and on again: part 2's answers are stored in the draft.
			browsertest.Do(t, phone, browsertest.Submit(`.form button[value=back]`))
			mainSays(t, phone, "back at part 1", "Self-assessment: part 1 of")
			browsertest.Do(t, phone, browsertest.Submit(`.form button[value=next]`))
			if got := eval(`String(document.querySelectorAll("form fieldset.scale-item input[value='2']:checked").length)`); got != fmt.Sprint(n) {
				t.Fatalf("after going back, part 2 has %s of its %d answers", got, n)
			}
		}
		last := eval(`document.querySelector(".form button[value=next]").textContent.trim()`) == "Save my self-assessment"
		browsertest.Do(t, phone, browsertest.Submit(`.form button[value=next]`))
		if last {
			if part != of {
				t.Fatalf("part %d of %d offers to save the whole", part, of)
			}
			break
		}
	}
	mainSays(t, phone, "after the last part", "Self-assessment saved", "Mean rating by framework group")
	t.Logf("self-assessment at 360 px: %d parts; the tallest, part %d, is %.0f px of main content", parts, tallestPart, tallest)
}
