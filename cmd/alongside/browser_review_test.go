package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside/internal/browsertest"
)

// reviewManager manages a demo service with no review under way, so the
// test can start one.
const reviewManager = "manager.heatherbank@example.org"

// TestBrowserReviewCycle runs a whole SRI 2 cycle in real Chromium as a
// service manager who coordinates it: start the review, invite a carer who
// answers on a phone-sized screen, enter a paper sheet and a records sheet,
// read the results, write the action plan, complete the review, start the
// next one and see the change. axe-core checks each page on the way.
func TestBrowserReviewCycle(t *testing.T) {
	b := browsertest.New(t)
	base, _ := startDemo(t)
	// The carer now answers a part a page, so the cycle takes longer than
	// one tab's usual time.
	ctx := b.TabWithin(t, 1280, 900, 5*time.Minute)
	browsertest.Do(t, ctx, browsertest.Visit(base+"/login"),
		browsertest.Fill("#email", reviewManager), browsertest.Fill("#password", demoPassword),
		browsertest.Submit("button[type=submit]"),
		browsertest.Submit(`.site-nav a[href^="/services/"]`),
		browsertest.Submit(`a[href$="/reviews"]`))
	say := func(what string, texts ...string) {
		t.Helper()
		main := browsertest.Run(t, ctx, browsertest.Text("main"))
		for _, s := range texts {
			if !strings.Contains(main, s) {
				t.Fatalf("%s: the page does not say %q:\n%s", what, s, main)
			}
		}
	}
	axe := func(name string) { t.Helper(); browsertest.AssertNoAxeViolations(t, ctx, name) }
	nextStage := func(want string) {
		t.Helper()
		browsertest.Do(t, ctx, browsertest.Submit(`form[action$="/stage"] button`))
		say("moved on", "The review is now at: "+want)
	}

	// Start the review, coordinating it ourselves.
	axe("service reviews")
	browsertest.Do(t, ctx, browsertest.Fill("#title", "Winter 2026 review"), browsertest.Submit(`form[aria-labelledby="start-h"] button`))
	say("started", "Review started", "Winter 2026 review")
	axe("review: planning")
	nextStage("Gathering evidence")
	axe("review: gathering")

	// Invite a carer; the link is shown once.
	browsertest.Do(t, ctx, browsertest.Click("#source-carers"), browsertest.Fill("#count", "1"),
		browsertest.Submit(`form[action$="/invitations"] button`))
	say("links made", "1 invitation link", "cannot be shown again")
	axe("invitation links")
	link := browsertest.Run(t, ctx, browsertest.Text(".invitation-slip__url a"))

	// The carer answers on a phone, without an account.
	phone := b.TabWithin(t, 360, 740, 3*time.Minute)
	browsertest.Do(t, phone, browsertest.Visit(link))
	browsertest.AssertNoAxeViolations(t, phone, "carer's sheet at 360 px")
	// A part a page (TestBrowserSheetByLink walks them); the carers' part
	// is the seventh.
	browsertest.Do(t, phone, browsertest.Submit("main a.button"))
	for !strings.Contains(browsertest.Run(t, phone, browsertest.Text("h1")), "carers") {
		browsertest.Do(t, phone, browsertest.Submit(`button[value="next"]`))
	}
	browsertest.Do(t, phone, browsertest.Click(`label[for="r-carers-1-4"]`), browsertest.Click(`label[for="r-carers-2-na"]`),
		browsertest.Fill("#e-carers", "Staff phoned me after the review meeting"))
	for browsertest.Run(t, phone, browsertest.Text("h1")) != "Check and send your answers" {
		browsertest.Do(t, phone, browsertest.Submit(`button[value="next"]`))
	}
	browsertest.Do(t, phone, browsertest.Submit(`button[value="send"]`))
	if h1 := browsertest.Run(t, phone, browsertest.Text("h1")); h1 != "Thank you" {
		t.Fatalf("after answering, the carer sees %q", h1)
	}
	browsertest.AssertNoAxeViolations(t, phone, "carer's thank-you page at 360 px")

	// Enter a staff sheet from paper, and a records sheet with a problem first.
	reviewURL := regexp.MustCompile(`/reviews/\d+`).FindString(browsertest.Run(t, ctx, browsertest.Location()))
	browsertest.Do(t, ctx, browsertest.Visit(base+reviewURL+"/sheets/people/print"))
	say("blank sheet", "Review sheet: People using the service")
	axe("blank sheet for printing")
	browsertest.Do(t, ctx, browsertest.Visit(base+reviewURL+"/sheets/staff"))
	axe("paper sheet form")
	browsertest.Do(t, ctx, browsertest.Click(`label[for="r-goals-1-5"]`), browsertest.Submit(`.sheet-form button[type=submit]`))
	say("paper sheet saved", "Sheet saved: Staff")
	browsertest.Do(t, ctx, browsertest.Visit(base+reviewURL+"/sheets/assessments"),
		browsertest.Fill("#reference", "DOB 01/02/1980"), browsertest.Click(`label[for="r-goals-1-2"]`),
		browsertest.Submit(`.sheet-form button[type=submit]`))
	say("records sheet refused", "There is a problem", "date of birth")
	axe("records sheet with an error")
	browsertest.Do(t, ctx, browsertest.Fill("#reference", "A1"), browsertest.Submit(`.sheet-form button[type=submit]`))
	say("records sheet saved", "Sheet saved: Assessments")

	// Results: one carer is too few to show; the records figure shows.
	browsertest.Do(t, ctx, browsertest.Visit(base+reviewURL+"/results"))
	say("results", "Indicator profile", "Fewer than 5 sheets: not shown")
	axe("results")

	// Action plan.
	browsertest.Do(t, ctx, browsertest.Visit(base+reviewURL))
	nextStage("Action planning")
	browsertest.Do(t, ctx, browsertest.Visit(base+reviewURL+"/plan"))
	axe("action plan")
	browsertest.Do(t, ctx, browsertest.Fill("#new-what", "Invite carers to a review evening each season"),
		browsertest.Click(`label[for="new-themes-involving-carers"]`),
		browsertest.Submit(`form[action$="/plan/actions"] button`))
	say("action added", "Invite carers to a review evening each season")
	axe("action plan with an action")

	// Complete, start the next cycle and see the change in records.
	browsertest.Do(t, ctx, browsertest.Visit(base+reviewURL))
	nextStage("Complete")
	browsertest.Do(t, ctx, browsertest.Submit(`a.back-link`))
	browsertest.Do(t, ctx, browsertest.Fill("#title", "Spring 2027 review"), browsertest.Submit(`form[aria-labelledby="start-h"] button`))
	say("next review", "Winter 2026 review")
	nextStage("Gathering evidence")
	next := regexp.MustCompile(`/reviews/\d+`).FindString(browsertest.Run(t, ctx, browsertest.Location()))
	browsertest.Do(t, ctx, browsertest.Visit(base+next+"/sheets/assessments"),
		browsertest.Fill("#reference", "A1"), browsertest.Click(`label[for="r-goals-1-4"]`),
		browsertest.Submit(`.sheet-form button[type=submit]`))
	browsertest.Do(t, ctx, browsertest.Visit(base+next+"/results"))
	say("change", "change since Winter 2026 review", "+2.0")
	axe("results with change")
}
