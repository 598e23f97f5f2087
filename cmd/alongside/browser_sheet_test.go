package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/alongside-recovery/alongside/internal/browsertest"
)

// carerLink has the demo's manager make one carer's invitation link for a
// review of theirs that is gathering evidence, as the crawl does.
func carerLink(t *testing.T, b *browsertest.Browser, base string, accounts map[string]string) string {
	t.Helper()
	mgr := signInTab(t, b, base, accounts, "manager", 1280, 800)
	review := browsertest.Run(t, mgr, chromedp.Evaluate[string](`(async () => {
		const service = document.querySelector('section[aria-labelledby="mgr-h"] a[href^="/services/"]');
		if (!service) return "";
		const list = await (await fetch(service.getAttribute("href") + "/reviews")).text();
		for (const id of new Set([...list.matchAll(/href="(\/reviews\/\d+)"/g)].map(m => m[1]))) {
			if ((await (await fetch(id)).text()).includes('/invitations"')) return id;
		}
		return "";
	})()`, chromedp.EvalAwaitPromise))
	if review == "" {
		t.Fatal("the manager has no review gathering evidence to invite a carer to")
	}
	browsertest.Do(t, mgr, browsertest.Visit(base+review), browsertest.Click("#source-carers"), browsertest.Fill("#count", "1"),
		browsertest.Submit(`form[action$="/invitations"] button`))
	return browsertest.Run(t, mgr, browsertest.Text(".invitation-slip__url a"))
}

// TestBrowserSheetByLink: a carer opens their link on a 360 px phone, reads
// how long it takes, answers two parts, stops (the tab closed), opens the
// link again in a new tab, finds their answers stored and carries on, goes
// back a part, and finishes and sends. Every page passes axe-core and none
// scrolls sideways; the first page's height is logged.
func TestBrowserSheetByLink(t *testing.T) {
	b := browsertest.New(t)
	base, accounts := startDemo(t)
	link := carerLink(t, b, base, accounts)

	check := func(ctx context.Context, what string) {
		t.Helper()
		browsertest.AssertNoAxeViolations(t, ctx, what+" at 360 px")
		w := browsertest.Run(t, ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
		if w[0] > w[1] {
			t.Errorf("%s scrolls sideways at 360 px: %d px wide in a %d px window", what, w[0], w[1])
		}
	}
	heading := func(ctx context.Context) string { return browsertest.Run(t, ctx, browsertest.Text("h1")) }
	progress := func(ctx context.Context) string {
		return browsertest.Run(t, ctx, chromedp.Evaluate[string](`(document.querySelector(".sheet-progress__text") || {innerText: ""}).innerText`))
	}

	// The first page: short, and says how long and who reads the answers.
	phone := b.TabWithin(t, 360, 740, 3*time.Minute)
	browsertest.Do(t, phone, browsertest.Visit(link))
	mainSays(t, phone, "the first page", "About 10 minutes", "21 short statements in 10 parts", "Who reads your answers", "You can stop and come back")
	check(phone, "the sheet's first page")
	size := browsertest.Run(t, phone, chromedp.Evaluate[[]int](`[document.documentElement.scrollHeight, Math.round(document.querySelector("main .button").getBoundingClientRect().bottom + window.scrollY)]`))
	t.Logf("the sheet's first page at 360 px: %d px high, its Start button ending %d px down", size[0], size[1])
	if size[1] > 740 {
		t.Errorf("on a 360 × 740 phone the Start button is below the first screen (ends %d px down)", size[1])
	}

	// Part 1, then part 2; each one indicator, with progress.
	browsertest.Do(t, phone, browsertest.Submit("main a.button"))
	if p := progress(phone); p != "Part 1 of 10" {
		t.Fatalf("Start leads to %q", p)
	}
	check(phone, "part 1 of the sheet")
	browsertest.Do(t, phone, browsertest.Click(`label[for="r-basic-needs-1-4"]`), browsertest.Click(`label[for="r-basic-needs-2-na"]`),
		browsertest.Fill("#e-basic-needs", "Staff helped with a housing form"),
		browsertest.Submit(`button[value="next"]`))
	if p := progress(phone); p != "Part 2 of 10" {
		t.Fatalf("Next from part 1 leads to %q", p)
	}
	browsertest.Do(t, phone, browsertest.Click(`label[for="r-goals-1-5"]`), browsertest.Submit(`button[value="next"]`))

	// They stop: a new tab on the same link, later.
	later := b.TabWithin(t, 360, 740, 5*time.Minute)
	browsertest.Do(t, later, browsertest.Visit(link))
	mainSays(t, later, "coming back", "You have answered 3 of 21 statements so far", "Carry on from part 3")
	check(later, "the first page coming back")
	browsertest.Do(t, later, browsertest.Submit("main a.button"))
	if p := progress(later); p != "Part 3 of 10" {
		t.Fatalf("Carry on leads to %q", p)
	}
	// Back to part 2: the answer given before is still chosen.
	browsertest.Do(t, later, browsertest.Submit(`button[value="back"]`))
	if p := progress(later); p != "Part 2 of 10" {
		t.Fatalf("Back from part 3 leads to %q", p)
	}
	if !browsertest.Run(t, later, chromedp.Evaluate[bool](`document.getElementById("r-goals-1-5").checked`)) {
		t.Fatal("the answer to part 2 given before stopping is not kept")
	}
	// A problem is shown on its part, with what was typed kept.
	browsertest.Do(t, later, browsertest.Fill("#e-goals", "Her CHI number is 1503751234"), browsertest.Submit(`button[value="next"]`))
	mainSays(t, later, "a CHI number", "There is a problem", "CHI")
	check(later, "a part with a problem")
	if v := browsertest.Run(t, later, browsertest.Value("#e-goals")); v != "Her CHI number is 1503751234" {
		t.Fatalf("what was typed is not kept: %q", v)
	}
	browsertest.Do(t, later, browsertest.Fill("#e-goals", "We set goals together"), browsertest.Submit(`button[value="next"]`))

	// On to the end, answering one more statement on the way.
	for i := 3; i <= 10; i++ {
		if p := progress(later); p != fmt.Sprintf("Part %d of 10", i) {
			t.Fatalf("expected part %d, the page says %q", i, p)
		}
		if i == 7 {
			browsertest.Do(t, later, browsertest.Click(`label[for="r-carers-1-4"]`))
		}
		browsertest.Do(t, later, browsertest.Submit(`button[value="next"]`))
	}
	if h := heading(later); h != "Check and send your answers" {
		t.Fatalf("after the last part: %q", h)
	}
	mainSays(t, later, "the check", "You have answered 4 of 21 statements", "2 of 2 answered, with examples", "Send my answers")
	check(later, "the check before sending")
	browsertest.Do(t, later, browsertest.Submit(`button[value="send"]`))
	if h := heading(later); h != "Thank you" {
		t.Fatalf("after sending, the carer sees %q", h)
	}
	check(later, "the thank-you page")

	// The link is spent: opening it again says so, and shows no answers.
	browsertest.Do(t, later, browsertest.Visit(link))
	if body := browsertest.Run(t, later, browsertest.Text("main")); strings.Contains(body, "You have answered") || !strings.Contains(body, "has been used or has expired") {
		t.Fatalf("the link after sending shows:\n%s", body)
	}
}
