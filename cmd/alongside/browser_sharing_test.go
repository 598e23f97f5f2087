package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside/internal/browsertest"
	"github.com/chromedp/chromedp"
)

// TestBrowserSharingOneSupporter runs "Who can see my plan" in real
// Chromium on the demo, on a 360 px phone: the person opens the overview
// from their plan, opens their carer's page, ticks one more part and saves;
// the carer then reads that part under the person's name, where a moment
// before they were told kindly it was not shared. axe-core checks each page,
// and neither page scrolls sideways. The pages' heights are logged.
func TestBrowserSharingOneSupporter(t *testing.T) {
	b := browsertest.New(t)
	base, accounts := startDemo(t)
	say := func(ctx context.Context, what string, texts ...string) string {
		t.Helper()
		return mainSays(t, ctx, what, texts...)
	}
	fits := func(ctx context.Context, what string) int {
		t.Helper()
		size := browsertest.Run(t, ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth, document.documentElement.scrollHeight]`))
		if size[0] > size[1] {
			t.Errorf("%s scrolls sideways at 360 px: the page is %d px wide in a %d px window", what, size[0], size[1])
		}
		browsertest.AssertNoAxeViolations(t, ctx, what)
		t.Logf("%s: %d px high at %d px wide", what, size[2], size[1])
		if dir := os.Getenv("ALONGSIDE_TEST_SCREENSHOTS"); dir != "" {
			browsertest.Do(t, ctx, browsertest.Screenshot(filepath.Join(dir, strings.ReplaceAll(what, " ", "-")+".png")))
		}
		return size[2]
	}

	phone := signInTabWithin(t, b, base, accounts, "person", 360, 740, 5*time.Minute)
	browsertest.Do(t, phone, browsertest.Submit(`a.button[href$="/plan"]`))
	plan := browsertest.Run(t, phone, browsertest.Location())
	browsertest.Do(t, phone, browsertest.Submit(`main a[href$="/plan/sharing"]`))
	say(phone, "overview", "Who can see my plan", "My supporters", "People who work with me")
	fits(phone, "the overview")
	if n := browsertest.Run(t, phone, chromedp.Evaluate[int](`document.querySelectorAll("main select").length`)); n != 0 {
		t.Fatalf("the overview has %d drop-downs", n)
	}

	// The carer, before: "People in my life" is not shared with them.
	carer := signInTabWithin(t, b, base, accounts, "supporter", 360, 740, 5*time.Minute)
	people := plan + "/sections/people"
	browsertest.Do(t, carer, browsertest.Visit(people))
	say(carer, "not shared yet", "has not shared this part with you")
	browsertest.AssertNoAxeViolations(t, carer, "a part not shared, at 360 px")

	// The person opens their carer's page and ticks "People in my life".
	href := browsertest.Run(t, phone, chromedp.Evaluate[string](`[...document.querySelectorAll(".share-list li")]
		.find(li => li.textContent.includes("Carer")).querySelector('a[href*="/plan/sharing/"]').href`))
	browsertest.Do(t, phone, browsertest.Visit(href))
	say(phone, "the carer's page", "can see", "People in my life", "My crisis plan")
	fits(phone, "a supporter's page")
	if browsertest.Run(t, phone, chromedp.Evaluate[bool](`document.querySelector("#see-people").checked`)) {
		t.Fatal("“People in my life” is already ticked for the carer")
	}
	browsertest.Do(t, phone, browsertest.Click(`#see-people`), browsertest.Submit(`main form button[type=submit]`))
	say(phone, "saved", "Saved.", "Who can see my plan")

	// The carer now reads it, under the person's name.
	browsertest.Do(t, carer, browsertest.Visit(people))
	h1 := browsertest.Run(t, carer, browsertest.Text("h1"))
	if !strings.HasPrefix(h1, "People in ") || !strings.HasSuffix(h1, "’s life") {
		t.Fatalf("the carer reads the heading %q, not the person's name", h1)
	}
	browsertest.AssertNoAxeViolations(t, carer, "a part just shared, at 360 px")
}
