package main

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alongside-recovery/alongside/internal/browsertest"
	"github.com/chromedp/chromedp"
)

// TestBrowserSurvey runs a survey in real Chromium on the demo: the service
// manager starts a survey of people's experience and gets its link and QR
// code; anonymous visitors open the link on a phone-sized screen, with no
// account, and answer by tapping the answers; a free-text answer holding a
// CHI-like number is refused with every other answer kept, then sent
// without it; once enough people have answered, the manager sees the
// results. axe-core checks each page on the way.
//
// It relies only on the demo's manager account and their service, not on
// any survey the demo may hold: the survey is its own, so its counts are
// exactly the answers sent here.
func TestBrowserSurvey(t *testing.T) {
	b := browsertest.New(t)
	base, accounts := startDemo(t)
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

	// 1. The manager finds their service from home and starts a survey.
	if accounts["manager"] == "" {
		t.Fatalf("the demo printed no manager account: %v", accounts)
	}
	mgr := b.Tab(t, 1280, 900)
	browsertest.Do(t, mgr, browsertest.Visit(base+"/login"),
		browsertest.Fill("#email", accounts["manager"]), browsertest.Fill("#password", demoPassword),
		browsertest.Submit("button[type=submit]"))
	say(mgr, "manager's home", "Services you manage")
	service := eval(mgr, `(() => {
		const a = document.querySelector('section[aria-labelledby="mgr-h"] a[href^="/services/"]');
		return a ? a.getAttribute("href") : "";
	})()`)
	if !regexp.MustCompile(`^/services/\d+$`).MatchString(service) {
		t.Fatalf("the manager's home links to no service of theirs (found %q)", service)
	}
	serviceName := eval(mgr, `document.querySelector('section[aria-labelledby="mgr-h"] a[href="`+service+`"]').textContent.trim()`)
	browsertest.Do(t, mgr, browsertest.Visit(base+service+"/surveys"))
	heading(mgr, "the service's surveys", "Surveys: "+serviceName)
	browsertest.AssertNoAxeViolations(t, mgr, "the service's surveys")

	// The form comes with its dates filled in: from today, for four weeks.
	opens := browsertest.Run(t, mgr, browsertest.Value("#opens_on"))
	closes := browsertest.Run(t, mgr, browsertest.Value("#closes_on"))
	from, err1 := time.Parse("2006-01-02", opens)
	to, err2 := time.Parse("2006-01-02", closes)
	if err1 != nil || err2 != nil {
		t.Fatalf("the survey form's dates are %q and %q, not days", opens, closes)
	}
	if d := time.Since(from); d < 0 || d > 48*time.Hour {
		t.Errorf("the first wave opens on %s, not today", opens)
	}
	if to.Sub(from) != 28*24*time.Hour {
		t.Errorf("the first wave runs from %s to %s, not four weeks", opens, closes)
	}
	questionnaire := eval(mgr, `(() => {
		const o = [...document.querySelectorAll("#questionnaire option")].find(o => o.value.startsWith("people-experience@"));
		return o ? o.value : "";
	})()`)
	if !regexp.MustCompile(`^people-experience@\d+$`).MatchString(questionnaire) {
		t.Fatalf("the questionnaires offered do not include people's experience as key@version: %v",
			browsertest.Run(t, mgr, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#questionnaire option")].map(o => o.value)`)))
	}
	const title = "How our support feels: browser test"
	browsertest.Do(t, mgr,
		browsertest.Fill("#title", title),
		chromedp.SetValue(chromedp.CSS("#questionnaire"), questionnaire),
		browsertest.Submit(`form[action$="/surveys"] button[type=submit]`))
	say(mgr, "survey started", "Survey started", "Your experience of our support", "0 responses", "Open from "+longDay(t, opens)+" to "+longDay(t, closes))
	heading(mgr, "the new survey", title)
	surveyURL := browsertest.Run(t, mgr, browsertest.Location())
	if !regexp.MustCompile(`/surveys/\d+$`).MatchString(surveyURL) {
		t.Fatalf("starting the survey led to %s", surveyURL)
	}
	link := eval(mgr, `(document.querySelector("code.link-text") || {}).textContent || ""`)
	if !regexp.MustCompile(`^` + regexp.QuoteMeta(base) + `/s/[^/\s]+$`).MatchString(link) {
		t.Fatalf("the survey's page shows the link %q, not one to %s/s/…", link, base)
	}
	if qr := eval(mgr, `(() => {
		const svg = document.querySelector(".qr svg");
		return svg ? svg.getAttribute("role") + ": " + (svg.getAttribute("aria-label") || "") : "";
	})()`); qr == "" {
		t.Errorf("the survey's page shows no QR code <svg>")
	} else if !strings.HasPrefix(qr, "img: QR code") {
		t.Errorf("the QR code <svg> is not an image named as a QR code (role and name: %q)", qr)
	}
	browsertest.AssertNoAxeViolations(t, mgr, "the new survey's page")

	// 2. Someone with the link, on a phone and with no account, answers.
	// The questions are answered by tapping their answers' labels.
	phone := b.Tab(t, 360, 740)
	browsertest.Do(t, phone, browsertest.Visit(link))
	heading(phone, "the survey behind the link", "Your experience of our support")
	say(phone, "the survey's introduction", "We do not ask your name")
	browsertest.AssertNoAxeViolations(t, phone, "the survey behind its link, at 360 px")
	noSideways := func(ctx context.Context, what string) {
		t.Helper()
		w := browsertest.Run(t, ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
		if w[0] > w[1] {
			wide := eval(ctx, `[...document.querySelectorAll("main *")].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
				.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (typeof e.className === "string" && e.className ? "." + e.className.trim().split(/\s+/).join(".") : "")).join(", ")`)
			t.Errorf("%s scrolls sideways at 360 px: the page is %d px wide in a %d px window (too wide: %s)", what, w[0], w[1], wide)
		}
	}
	noSideways(phone, "the survey")

	answers := map[string]string{
		"staff-listen":      "4",
		"staff-respect":     "5",
		"say-in-support":    "3",
		"life-can-improve":  "5",
		"asked-hopes":       "yes",
		"helped-write-plan": "no",
		"overall":           "8",
	}
	var taps []chromedp.Action[chromedp.Void]
	for item, a := range answers {
		taps = append(taps, browsertest.Click(`label[for="`+item+`-`+a+`"]`))
	}
	browsertest.Do(t, phone, taps...)
	checked := func(ctx context.Context) map[string]string {
		t.Helper()
		return browsertest.Run(t, ctx, chromedp.Evaluate[map[string]string](`Object.fromEntries(
			[...document.querySelectorAll("form input[type=radio]:checked")].map(r => [r.name, r.value]))`))
	}
	if got := checked(phone); fmt.Sprint(got) != fmt.Sprint(answers) {
		t.Fatalf("tapping the answers' labels chose %v, not %v", got, answers)
	}

	// 3. A free-text answer with a CHI-like number is refused, and every
	// answer given is kept for sending again.
	const badText = "Ask about 0101901234 before the next meeting."
	browsertest.Do(t, phone, browsertest.Fill("#one-thing", badText), browsertest.Submit(`.sheet-form button[type=submit]`))
	say(phone, "an answer with a CHI number", "There is a problem", "This looks like a CHI number")
	heading(phone, "the refused answer", "Your experience of our support")
	if got := checked(phone); fmt.Sprint(got) != fmt.Sprint(answers) {
		t.Errorf("after the refusal, the answers chosen are %v, not the %v given", got, answers)
	}
	if v := browsertest.Run(t, phone, browsertest.Value("#one-thing")); v != badText {
		t.Errorf("after the refusal, the free text reads %q, not %q", v, badText)
	}
	if inv := eval(phone, `document.getElementById("one-thing").getAttribute("aria-invalid") || ""`); inv != "true" {
		t.Errorf("after the refusal, the free-text field is not marked aria-invalid")
	}
	if href := eval(phone, `(document.querySelector(".error-summary a") || {}).getAttribute?.("href") || ""`); href != "#one-thing" {
		t.Errorf("the error summary's link goes to %q, not to the free-text field #one-thing", href)
	}
	browsertest.AssertNoAxeViolations(t, phone, "a refused survey answer, at 360 px")
	noSideways(phone, "the refused survey answer")
	browsertest.Do(t, phone, browsertest.Fill("#one-thing", "Ask about what I hope for before the next meeting."),
		browsertest.Submit(`.sheet-form button[type=submit]`))
	heading(phone, "after answering", "Thank you")
	say(phone, "after answering", "Your answers are in")
	browsertest.AssertNoAxeViolations(t, phone, "thank you, at 360 px")

	// Five more people answer, each in a browser of their own, more briefly.
	for i := range 5 {
		other := b.Tab(t, 360, 740)
		browsertest.Do(t, other, browsertest.Visit(link),
			browsertest.Click(`label[for="staff-listen-`+strconv.Itoa(1+i)+`"]`),
			browsertest.Click(`label[for="life-can-improve-`+strconv.Itoa(5-i%3)+`"]`),
			browsertest.Click(`label[for="asked-hopes-`+[]string{"yes", "no"}[i%2]+`"]`),
			browsertest.Click(`label[for="overall-`+strconv.Itoa(2*i)+`"]`),
			browsertest.Submit(`.sheet-form button[type=submit]`))
		heading(other, fmt.Sprintf("after answer %d", i+2), "Thank you")
	}

	// 4. The manager sees the results: all six answers, and none refused.
	browsertest.Do(t, mgr, browsertest.Visit(surveyURL))
	say(mgr, "the survey after answers", "6 responses")
	browsertest.Do(t, mgr, browsertest.Submit(`main a[href$="/results"]`)) // "See the results"
	heading(mgr, "results", "Results: "+title)
	say(mgr, "results", "Baseline: 6 responses", "Domain scores (0 to 100) in Baseline", "Being listened to", "Hope and goals")
	if n := eval(mgr, `String(document.querySelectorAll("figure.chart svg rect").length)`); n == "0" {
		t.Errorf("the results show no chart of domain scores")
	}
	scores := browsertest.Run(t, mgr, chromedp.Evaluate[map[string]string](`Object.fromEntries(
		[...document.querySelectorAll("table.data")].find(t => t.caption && t.caption.textContent.startsWith("Domain scores"))
			.querySelectorAll("tbody tr").values().map(r => [r.querySelector("th").textContent.trim(), r.querySelector("td:last-child").textContent.trim()]))`))
	// Everyone answered in "Being listened to" and "Hope and goals", so
	// both have a score. Each person's domain score is the mean of their
	// answers there on 0–100: 87.5 (4 and 5 of 5) for the first, then 0,
	// 25, 50, 75 and 100; their mean, 56.25, shows as 56.
	if scores["Being listened to"] != "56" {
		t.Errorf("the domain scores read %v; “Being listened to” should be 56", scores)
	}
	if scores["Hope and goals"] == "" || scores["Hope and goals"] == "–" {
		t.Errorf("the domain scores read %v; “Hope and goals” should have a score", scores)
	}
	browsertest.AssertNoAxeViolations(t, mgr, "the survey's results")
}

// longDay is a date input's value ("2026-12-02") as pages show it.
func longDay(t *testing.T, iso string) string {
	t.Helper()
	d, err := time.Parse("2006-01-02", iso)
	if err != nil {
		t.Fatalf("a date input holds %q", iso)
	}
	return d.Format("2 January 2006")
}
