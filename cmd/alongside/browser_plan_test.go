package main

import (
	"context"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside/internal/browsertest"
)

// TestBrowserRecoveryPlan runs the recovery plan in real Chromium on the
// demo: the person writes a goal on a phone-sized screen; the person and
// their practitioner change the same section at once and the second sees
// both texts; the carer sees only what the person shares; the person sees
// who has looked. axe-core checks each page on the way.
func TestBrowserRecoveryPlan(t *testing.T) {
	b := browsertest.New(t)
	base, accounts := startDemo(t)
	signIn := func(role string, w, h int) context.Context {
		t.Helper()
		return signInTab(t, b, base, accounts, role, w, h)
	}
	say := func(ctx context.Context, what string, texts ...string) string {
		t.Helper()
		return mainSays(t, ctx, what, texts...)
	}

	// The person, on a phone, opens their plan from the home page and adds a goal.
	phone := signIn("person", 360, 740)
	browsertest.Do(t, phone, browsertest.Submit(`a.button[href$="/plan"]`))
	plan := browsertest.Run(t, phone, browsertest.Location())
	say(phone, "plan", "My recovery plan", "I am stubborn in a good way", "Work part-time in a garden centre")
	browsertest.AssertNoAxeViolations(t, phone, "my plan at 360 px")
	browsertest.Do(t, phone, browsertest.Submit(`#goals a.button`)) // "Add a goal"
	browsertest.AssertNoAxeViolations(t, phone, "a new goal at 360 px")
	browsertest.Do(t, phone, browsertest.Fill("#title", "Swim once a week"), browsertest.Fill("#about", "Feeling strong again"),
		browsertest.Submit(".form button[type=submit]"))
	say(phone, "goal saved", "Saved: Goal 2", "Swim once a week")

	// The practitioner and the person open "My strengths" at the same time.
	prac := signIn("practitioner", 1280, 900)
	strengths := plan + "/sections/strengths"
	browsertest.Do(t, prac, browsertest.Visit(strengths))
	browsertest.Do(t, phone, browsertest.Visit(strengths))
	browsertest.Do(t, phone, browsertest.Fill("#strengths", "I am stubborn in a good way.\nI make a good soup."),
		browsertest.Submit(".form button[type=submit]"))
	say(phone, "person saved first", "Saved: My strengths")
	browsertest.Do(t, prac, browsertest.Fill("#strengths", "A good listener; kept the allotment going all winter."),
		browsertest.Submit(".form button[type=submit]"))
	say(prac, "conflict", "saved this section while you were writing", "I make a good soup")
	if mine := browsertest.Run(t, prac, browsertest.Value("#strengths")); !strings.Contains(mine, "kept the allotment going all winter") {
		t.Fatalf("the practitioner's own text was not kept in the form: %q", mine)
	}
	browsertest.AssertNoAxeViolations(t, prac, "a clash shown with both texts")

	// The carer sees the sections shared with them, and nothing else.
	carer := signIn("supporter", 1280, 900)
	browsertest.Do(t, carer, browsertest.Visit(plan))
	main := say(carer, "carer's view", "’s staying well plan", "’s crisis plan", "When the post piles up by the door")
	for _, hidden := range []string{"I am stubborn in a good way", "’s advance statement", "Depot injections", "My crisis plan", "My recovery plan"} {
		if strings.Contains(main, hidden) {
			t.Fatalf("the carer sees %q, which is not shared with them", hidden)
		}
	}
	browsertest.AssertNoAxeViolations(t, carer, "the carer's view of the plan")

	// The person sees who has looked.
	browsertest.Do(t, phone, browsertest.Visit(plan+"/activity"))
	say(phone, "who has looked", "Who has looked at or changed my plan", "Looked at your plan", "Changed “My strengths”")
	browsertest.AssertNoAxeViolations(t, phone, "who has looked, at 360 px")
}
