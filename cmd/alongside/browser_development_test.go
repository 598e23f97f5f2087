package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/alongside-recovery/alongside/internal/browsertest"
	"github.com/chromedp/chromedp"
)

// TestBrowserDevelopment runs a practitioner's development in real
// Chromium on the demo: the practitioner does a self-assessment, adds an
// objective to their development plan and shares it with their supervisor;
// the supervisor comments and signs it off, and cannot open the rest of the
// practitioner's development; the practitioner reflects on a session on a
// phone-sized screen, and a note naming someone with a date is refused with
// everything they entered kept. axe-core checks each page on the way.
//
// It relies only on the demo's accounts and on the demo supervisor
// supervising the demo practitioner, not on any development records the
// demo may hold: whatever is there already, the steps below give the same
// result.
func TestBrowserDevelopment(t *testing.T) {
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
	heading := func(ctx context.Context, what, want string) {
		t.Helper()
		if h1 := browsertest.Run(t, ctx, browsertest.Text("h1")); h1 != want {
			t.Fatalf("%s: the page's heading is %q, not %q", what, h1, want)
		}
	}
	eval := func(ctx context.Context, js string) string {
		t.Helper()
		return browsertest.Run(t, ctx, chromedp.Evaluate[string](js))
	}

	// 1. The practitioner goes from home to "My development" and does a
	// self-assessment.
	prac := signIn("practitioner", 1280, 900)
	browsertest.Do(t, prac, browsertest.Submit(`a.button[href$="/development"]`)) // "My development"
	heading(prac, "my development", "My development")
	m := regexp.MustCompile(`/practitioners/(\d+)/development$`).FindStringSubmatch(browsertest.Run(t, prac, browsertest.Location()))
	if m == nil {
		t.Fatalf("“My development” led to %s", browsertest.Run(t, prac, browsertest.Location()))
	}
	mine := base + "/practitioners/" + m[1] // the practitioner's development pages
	browsertest.AssertNoAxeViolations(t, prac, "my development")
	// "Start my self-assessment", or "Do it again" when there is one already.
	browsertest.Do(t, prac, browsertest.Submit(`main a[href$="/self-assessment"]`))
	heading(prac, "self-assessment", "Knowledge, items 1 to 13") // its first part
	browsertest.AssertNoAxeViolations(t, prac, "the self-assessment form")

	// Answer every item, part by part: each fieldset's radios are clicked
	// in the page, one rating per item from "Not yet" to the top of the
	// scale in turn, and any "I want to develop this" left from an earlier
	// self-assessment is unticked, so the needs marked are exactly the
	// first item's and the last's, ticked below.
	var items []string
	for part := 1; ; part++ {
		say(prac, fmt.Sprintf("self-assessment part %d", part), fmt.Sprintf("Self-assessment: part %d of", part))
		keys := browsertest.Run(t, prac, chromedp.Evaluate[[]string](`(() => {
			const keys = [];
			document.querySelectorAll("form fieldset.rating").forEach((fs, i) => {
				const radios = fs.querySelectorAll('input[type=radio]');
				radios[i % radios.length].click();
				const need = fs.querySelector('input[type=checkbox]');
				if (need && need.checked) need.click();
				keys.push(fs.id.replace(/^r-/, ""));
			});
			return keys;
		})()`))
		if unanswered := eval(prac, `[...document.querySelectorAll("form fieldset.rating")].filter(fs => !fs.querySelector("input[type=radio]:checked")).map(fs => fs.id).join(" ")`); unanswered != "" {
			t.Fatalf("items left unanswered: %s", unanswered)
		}
		if part == 1 {
			browsertest.Do(t, prac, browsertest.Click(`label[for="n-`+keys[0]+`"]`))
		}
		items = append(items, keys...)
		last := eval(prac, `String(document.querySelector('.form button[value=next]').textContent.includes("Save my self-assessment"))`) == "true"
		if last {
			browsertest.Do(t, prac, browsertest.Click(`label[for="n-`+keys[len(keys)-1]+`"]`))
		}
		browsertest.Do(t, prac, browsertest.Submit(`.form button[value=next]`))
		if last || part > 20 {
			break
		}
	}
	if len(items) < 60 {
		t.Fatalf("the self-assessment has %d items, expected the whole framework (about 67): %v", len(items), items)
	}
	need := items[0] // the need the objective below starts from
	say(prac, "self-assessment saved", "Self-assessment saved", "Mean rating by framework group", "Development needs marked")
	heading(prac, "after saving the self-assessment", "My development")
	if n := eval(prac, `String(document.querySelectorAll("figure.chart svg polyline").length)`); n == "0" {
		t.Errorf("the saved self-assessment has no chart")
	}
	// The newest row comes first; its last cell is the number of needs marked.
	if needs := eval(prac, `document.querySelector("table.data tbody tr td:last-child").textContent.trim()`); needs != "2" {
		t.Errorf("the newest self-assessment row shows %q development needs, not 2", needs)
	}
	browsertest.AssertNoAxeViolations(t, prac, "my development with a self-assessment")

	// 2. The development plan: add an objective, then share the plan with
	// the supervisor.
	browsertest.Do(t, prac, browsertest.Submit(`main a[href$="/development-plan"]`)) // "Open my development plan"
	heading(prac, "development plan", "My development plan")
	browsertest.Do(t, prac, browsertest.Submit(`main a.button[href$="/objectives/new"]`)) // "Add an objective"
	heading(prac, "new objective", "A new objective")
	browsertest.AssertNoAxeViolations(t, prac, "a new objective")
	const objective = "Open every first meeting by asking about hopes before problems"
	needText := eval(prac, fmt.Sprintf(`document.querySelector('#need_item option[value=%q]').textContent`, need))
	browsertest.Do(t, prac,
		chromedp.SetValue(chromedp.CSS("#need_item"), need),
		browsertest.Fill("#need", "I still lead with risk when I meet someone new."),
		browsertest.Fill("#objective", objective),
		browsertest.Click(`label[for="status-under-way"]`),
		browsertest.Fill("#activity", "Shadow a peer worker at three first meetings"),
		browsertest.Click(`label[for="activity_status-booked"]`),
		// A date field's typed format follows the browser's locale, so the
		// date is set as the value the field submits.
		chromedp.SetValue(chromedp.CSS("#target_date"), "2027-03-31"),
		browsertest.Submit(`.form button[type=submit]`))
	say(prac, "objective saved", "Objective saved", objective, needText, "I still lead with risk", "Under way", "Booked", "31 March 2027")
	heading(prac, "after saving the objective", "My development plan")

	// The supervisor's checkbox is the one labelled "(your supervisor)".
	sv := browsertest.Run(t, prac, chromedp.Evaluate[map[string]any](`(() => {
		const l = [...document.querySelectorAll("#sharing ~ form label")].find(l => l.textContent.includes("(your supervisor)"));
		if (!l) return {};
		return {id: l.htmlFor, name: l.textContent.replace("(your supervisor)", "").trim(), checked: document.getElementById(l.htmlFor).checked};
	})()`))
	svID, _ := sv["id"].(string)
	svName, _ := sv["name"].(string)
	if svID == "" {
		t.Fatalf("the plan offers no one marked “(your supervisor)” to share with:\n%s", say(prac, "sharing"))
	}
	if checked, _ := sv["checked"].(bool); !checked {
		browsertest.Do(t, prac, browsertest.Click(`label[for="`+svID+`"]`))
	}
	browsertest.Do(t, prac, browsertest.Submit(`form[action$="/development-plan/sharing"] button[type=submit]`))
	say(prac, "sharing saved", "Sharing saved", objective)
	if eval(prac, `String(document.getElementById("`+svID+`").checked)`) != "true" {
		t.Fatalf("after saving, the plan is not shared with %s", svName)
	}
	browsertest.AssertNoAxeViolations(t, prac, "my development plan, shared")

	// 3. The supervisor opens the plan from home, comments and signs off.
	sup := signIn("supervisor", 1280, 900)
	say(sup, "supervisor's home", "Development plans shared with you")
	browsertest.Do(t, sup, browsertest.Submit(`section[aria-labelledby="shared-dev-h"] a[href="/practitioners/`+m[1]+`/development-plan"]`))
	supHome := say(sup, "the supervisor's view of the plan", "Shared with you by", "as their supervisor, sign it off", objective, needText)
	if strings.Contains(supHome, "Who sees this plan") || strings.Contains(supHome, "Add an objective") {
		t.Errorf("the supervisor is offered the practitioner's own controls:\n%s", supHome)
	}
	const comment = "Good aim. Bring one of the three meetings to our next supervision."
	browsertest.Do(t, sup, browsertest.Fill("#comment", comment),
		browsertest.Submit(`form[action$="/development-plan/comments"] button[type=submit]`))
	say(sup, "comment added", "Comment added", comment)
	const signOffNote = "Talked it through on the phone; the date is realistic."
	browsertest.Do(t, sup, browsertest.Fill("#note", signOffNote),
		browsertest.Submit(`form[action$="/development-plan/sign-off"] button[type=submit]`))
	say(sup, "signed off", "Signed off.", "Signed off by "+svName, signOffNote, comment)
	browsertest.AssertNoAxeViolations(t, sup, "the supervisor's view of a signed-off plan")

	// The rest of the practitioner's development stays theirs alone.
	for _, p := range []string{"/development", "/reflections", "/self-assessment", "/reflect"} {
		browsertest.Do(t, sup, browsertest.Visit(mine+p))
		main := say(sup, "supervisor opening "+p, "You do not have access")
		heading(sup, "supervisor opening "+p, "You do not have access to this page")
		if strings.Contains(main, "Mean rating") || strings.Contains(main, "My reflections") {
			t.Errorf("the refusal of %s shows the practitioner's development:\n%s", p, main)
		}
	}

	// 4. On a phone, the practitioner sees the comment and the sign-off on
	// their plan, then reflects on a session from home.
	phone := signIn("practitioner", 360, 740)
	browsertest.Do(t, phone, browsertest.Visit(mine+"/development-plan"))
	say(phone, "the practitioner's plan after sign-off", "Signed off by "+svName, signOffNote, comment, objective)
	browsertest.AssertNoAxeViolations(t, phone, "my signed-off development plan, at 360 px")
	browsertest.Do(t, phone, browsertest.Visit(base+"/home"))
	browsertest.Do(t, phone, browsertest.Submit(`main a.button[href$="/reflect"]`)) // "Reflect on a session"
	heading(phone, "reflect", "After a session")
	browsertest.AssertNoAxeViolations(t, phone, "after a session, at 360 px")
	tips := browsertest.Run(t, phone, chromedp.Evaluate[[]string](`[...document.querySelectorAll("form fieldset.tip")].map(fs => fs.id)`))
	if len(tips) != 10 {
		t.Fatalf("the reflection asks %d tips, not the Ten Top Tips: %v", len(tips), tips)
	}
	answers := map[string]string{}
	var taps []chromedp.Action[chromedp.Void]
	for i, tip := range tips {
		a := []string{"yes", "partly", "no"}[i%3]
		answers[tip] = a
		taps = append(taps, browsertest.Click(`label[for="`+tip+`-`+a+`"]`))
	}
	browsertest.Do(t, phone, taps...)
	const badNote = "Saw Jo Bloggs on 3/4 and asked about hopes first."
	browsertest.Do(t, phone, browsertest.Click(".tip-note > summary"), // the note is folded away until asked for
		browsertest.Fill("#note", badNote), browsertest.Submit(`.form button[type=submit]`))
	say(phone, "a note with a name and a date", "There is a problem", "This looks like a name with a date")
	heading(phone, "the refused reflection", "After a session")
	kept := browsertest.Run(t, phone, chromedp.Evaluate[map[string]string](`Object.fromEntries(
		[...document.querySelectorAll("form fieldset.tip")].map(fs => [fs.id, (fs.querySelector("input[type=radio]:checked") || {}).value || ""]))`))
	for tip, a := range answers {
		if kept[tip] != a {
			t.Errorf("after the refusal, tip %s shows %q, not the %q given", tip, kept[tip], a)
		}
	}
	if note := browsertest.Run(t, phone, browsertest.Value("#note")); note != badNote {
		t.Errorf("after the refusal, the note reads %q, not %q", note, badNote)
	}
	browsertest.AssertNoAxeViolations(t, phone, "a refused reflection, at 360 px")
	const goodNote = "Asked about hopes before problems, and it changed the conversation."
	browsertest.Do(t, phone, browsertest.Fill("#note", goodNote), browsertest.Submit(`.form button[type=submit]`))
	say(phone, "reflection saved", "Reflection saved", goodNote, "Answers to each tip by month")
	heading(phone, "after reflecting", "My reflections")
	browsertest.AssertNoAxeViolations(t, phone, "my reflections, at 360 px")
}
